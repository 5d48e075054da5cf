"""Reception delivery and settlement (交车、结算): the invoice, payments and refunds, the PDF, the handover."""
from apigateway.http import api, file_response
from contracts import reception as reception_contract


class ReceptionSettlementRoutes:
    @api("POST", "/api/v1/visits/<visit_id>/invoice", tag="reception", body=reception_contract.InvoiceRequest,
         answer=reception_contract.InvoiceView, status=201,
         summary="Make (or rebuild, same number) the visit's invoice from the approved lines, with coupons")
    def create_invoice(self, visit_id, body):
        return self.reception.create_invoice(visit_id, body)

    @api("GET", "/api/v1/visits/<visit_id>/invoice", tag="reception", answer=reception_contract.InvoiceView,
         summary="The visit's current invoice")
    def get_visit_invoice(self, visit_id):
        return self.reception.get_visit_invoice(visit_id)

    @api("GET", "/api/v1/invoices/<invoice_id>", tag="reception", answer=reception_contract.InvoiceView,
         summary="An invoice with its lines, discounts, VAT, payments and balance")
    def get_invoice(self, invoice_id):
        return self.reception.get_invoice(invoice_id)

    @api("GET", "/api/v1/invoices/<invoice_id>.pdf", tag="reception", produces=["application/pdf"],
         summary="The printable invoice, as application/pdf")
    def get_invoice_pdf(self, invoice_id):
        document = self.reception.invoice_pdf(invoice_id)
        return file_response(document, "private, no-store", named=True)

    @api("POST", "/api/v1/invoices/<invoice_id>/payments", tag="reception", body=reception_contract.NewPayment,
         answer=reception_contract.InvoiceView, status=201,
         summary="Take a payment (cash, bank card, WeChat Pay, Alipay, transfer); more than is due is refused")
    def record_payment(self, invoice_id, body):
        return self.reception.record_payment(invoice_id, body)

    @api("POST", "/api/v1/invoices/<invoice_id>/payments/<payment_id>/refund", tag="reception",
         body=reception_contract.NewRefund, answer=reception_contract.InvoiceView, status=201,
         summary="Refund some or all of a payment, with the reason")
    def refund_payment(self, invoice_id, payment_id, body):
        return self.reception.refund_payment(invoice_id, payment_id, body)

    @api("POST", "/api/v1/invoices/<invoice_id>/void", tag="reception", body=reception_contract.InvoiceVoid,
         answer=reception_contract.InvoiceView,
         summary="Void an invoice before the handover, with nothing paid on it (its coupons are released)")
    def void_invoice(self, invoice_id, body):
        return self.reception.void_invoice(invoice_id, body)

    @api("GET", "/api/v1/visits/<visit_id>/delivery-summary", tag="reception",
         answer=reception_contract.DeliverySummaryView,
         summary="Every item done and declined in plain words, promised against handover time")
    def delivery_summary(self, visit_id):
        return self.reception.delivery_summary(visit_id)

    @api("POST", "/api/v1/visits/<visit_id>/delivery", tag="reception", body=reception_contract.Delivery,
         answer=reception_contract.VisitView,
         summary="Deliver the car to the customer: its invoice must be paid in full")
    def deliver(self, visit_id, body):
        return self.reception.deliver(visit_id, body)
