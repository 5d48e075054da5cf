"""reception delivery and settlement (交车、结算): the invoice, payments and refunds, the handover (manual 4.1.5).

Rounding, stated once: every line amount is rounded half-up to the cent once (by the workshop; the invoice
copies it); each discount is computed on the invoice and rounded half-up to the cent once; VAT is worked out
once on the invoice total and rounded half-up to the cent (prices are VAT-inclusive: VAT = total x rate /
(1 + rate), net = total - VAT). total = sum of the customer-pay line amounts - discounts: with no discount,
exactly the sum of the approved customer-pay lines.
"""
from marshmallow import fields, validate

from contracts.fields import Amount, Id, LARGEST_AMOUNT, Money, PayloadSchema, StrictSchema
from contracts.reception.common import SOURCE
from svckit.events import EventContract

PAYMENT_METHODS = ["cash", "bank_card", "wechat_pay", "alipay", "transfer"]
INVOICE_STATUS_HELP = (
    "open: money still due; paid: paid in full (a zero total at once); refunded: money given back after the "
    "handover; voided: replaced or cancelled before the handover with nothing paid (its coupons released).")


# --- RPC inputs ---

class Delivery(StrictSchema):
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class InvoiceRequest(StrictSchema):
    coupon_codes = fields.List(fields.String(validate=validate.Length(min=1, max=32)), load_default=list,
                               validate=validate.Length(max=5), metadata={
                                   "description": "Coupons from crm, applied in this order (each to what the "
                                                  "ones before it left)."})


class NewPayment(StrictSchema):
    method = fields.String(required=True, validate=validate.OneOf(PAYMENT_METHODS))
    amount = Amount("0.01", LARGEST_AMOUNT, required=True, metadata={
        "description": "At most the balance due: overpayment is refused."})
    reference = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "Terminal slip, WeChat Pay / Alipay transaction number or bank transfer reference."})


class NewRefund(StrictSchema):
    amount = Amount("0.01", LARGEST_AMOUNT, required=True, metadata={
        "description": "At most what the payment brought in and is not yet refunded."})
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class InvoiceVoid(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


# --- RPC answers ---

class InvoiceLineView(PayloadSchema):
    kind = fields.String(metadata={"description": "labour, part or sublet."})
    repair_order_line_id = Id()
    code = fields.String(allow_none=True, metadata={"description": "Operation code or part number."})
    description = fields.String()
    quantity = fields.Decimal(as_string=True, places=2, metadata={"description": "Hours of labour, quantity of a part, 1."})
    unit_price = Money(metadata={"description": "Labour rate, part price, sublet price."})
    amount = Money(metadata={"description": "As quoted, rounded to the cent once by the workshop."})
    pay_type = fields.String(metadata={"description": "customer, warranty, internal or goodwill."})
    customer_amount = Money(metadata={"description": "What the customer pays for the line: 0 unless customer-pay."})


class InvoiceDiscountView(PayloadSchema):
    kind = fields.String(metadata={"description": "coupon."})
    code = fields.String()
    description = fields.String()
    applies_to = fields.String(metadata={"description": "labour, parts or all."})
    amount = Money()


class RefundView(PayloadSchema):
    refund_id = Id(attribute="id")
    amount = Money()
    reason = fields.String()
    refunded_at = fields.DateTime()
    refunded_by = fields.String()


class PaymentView(PayloadSchema):
    payment_id = Id(attribute="id")
    method = fields.String()
    amount = Money()
    reference = fields.String()
    received_at = fields.DateTime()
    received_by = fields.String()
    refunded_amount = Money()
    refunds = fields.List(fields.Nested(RefundView))


class PayTypeAmounts(PayloadSchema):
    customer = Money()
    warranty = Money()
    internal = Money()
    goodwill = Money()


class InvoiceView(PayloadSchema):
    """The invoice (结算单) of a visit. total = labour_total + parts_total + sublet_total - discount_total."""
    invoice_id = Id(attribute="id")
    number = fields.String(metadata={"description": "Gapless per site and year, e.g. SH01-JS2026-000123."})
    site_id = fields.String()
    visit_id = Id()
    repair_order_id = Id()
    customer_id = Id()
    vehicle_id = Id()
    plate = fields.String()
    status = fields.String(metadata={"description": INVOICE_STATUS_HELP})
    lines = fields.List(fields.Nested(InvoiceLineView))
    discounts = fields.List(fields.Nested(InvoiceDiscountView))
    labour_total = Money(metadata={"description": "Customer-pay labour lines."})
    parts_total = Money(metadata={"description": "Customer-pay part lines."})
    sublet_total = Money(metadata={"description": "Customer-pay sublet lines."})
    subtotal = Money(metadata={"description": "Every customer-pay line."})
    totals_by_pay_type = fields.Nested(PayTypeAmounts, metadata={
        "description": "Approved lines by who pays; only customer is on the customer's bill."})
    discount_total = Money()
    total = Money(metadata={"description": "What the customer pays, VAT included: subtotal - discount_total."})
    vat_rate = fields.Decimal(as_string=True, places=4, metadata={"description": "e.g. 0.1300 (config VAT_RATE)."})
    vat = Money(metadata={"description": "VAT in the total: total x rate / (1 + rate), rounded half-up once."})
    net = Money(metadata={"description": "total - vat."})
    paid_total = Money()
    refunded_total = Money()
    balance_due = Money(metadata={"description": "total - (paid_total - refunded_total); never negative."})
    currency = fields.String()
    payments = fields.List(fields.Nested(PaymentView))
    created_at = fields.DateTime()
    created_by = fields.String()
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)


class InvoiceDocument(PayloadSchema):
    filename = fields.String()
    content_type = fields.String()
    content_base64 = fields.String()


class SummaryItem(PayloadSchema):
    kind = fields.String(metadata={"description": "labour, part or sublet."})
    description = fields.String()
    amount = Money()
    pay_type = fields.String()
    customer_amount = Money(metadata={"description": "What the customer paid for it (0 for declined work)."})
    explanation = fields.String(metadata={"description": "In plain words, for the customer (Chinese)."})


class DeliverySummaryView(PayloadSchema):
    visit_id = Id()
    plate = fields.String()
    status = fields.String()
    done = fields.List(fields.Nested(SummaryItem), metadata={"description": "Approved work, done."})
    declined = fields.List(fields.Nested(SummaryItem), metadata={
        "description": "Work the customer declined: crm reminds them of it later."})
    promised_at = fields.DateTime()
    handed_over_at = fields.DateTime(allow_none=True, metadata={"description": "None until delivered."})
    promised_time_kept = fields.Boolean(allow_none=True)
    timing = fields.String(metadata={"description": "Promised vs handover time, in plain words."})
    invoice_number = fields.String(allow_none=True)
    total = Money(allow_none=True, metadata={"description": "What the customer pays (the invoice total)."})
    sentences = fields.List(fields.String(), metadata={"description": "The whole explanation, line by line."})


# --- events ---

class VehicleDeliveredPayload(PayloadSchema):
    visit_id = Id(required=True)
    repair_order_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    delivered_at = fields.DateTime(required=True)
    promised_at = fields.DateTime(required=True)
    promised_time_kept = fields.Boolean(required=True)
    labour_total = Money(required=True, metadata={"description": "Customer-pay labour (since v2; before: all)."})
    parts_total = Money(required=True, metadata={"description": "Customer-pay parts (since v2; before: all)."})
    total = Money(required=True, metadata={"description": "What the customer paid: the invoice total, after "
                                                          "discounts, VAT included."})
    currency = fields.String(required=True)
    invoice_id = Id(metadata={"description": "v2."})
    invoice_number = fields.String(metadata={"description": "v2."})
    sublet_total = Money(metadata={"description": "v2: customer-pay sublet work."})
    discount_total = Money(metadata={"description": "v2."})
    vat = Money(metadata={"description": "v2: VAT inside total."})


class InvoicePayload(PayloadSchema):
    invoice_id = Id(required=True)
    invoice_number = fields.String(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    status = fields.String(required=True)
    total = Money(required=True)
    vat = Money(required=True)
    paid_total = Money(required=True)
    refunded_total = Money(required=True)
    balance_due = Money(required=True)
    currency = fields.String(required=True)


class PaymentPayload(InvoicePayload):
    payment_id = Id(required=True)
    method = fields.String(required=True)
    amount = Money(required=True, metadata={"description": "Received, or given back for a refund."})
    reason = fields.String(required=True, allow_none=True, metadata={"description": "Why, for a refund."})


VEHICLE_DELIVERED = EventContract(
    SOURCE, "vehicle_delivered", 2, VehicleDeliveredPayload,
    "The car was handed back to the customer with the work and the bill explained; its invoice is paid.")
INVOICE_ISSUED = EventContract(
    SOURCE, "invoice_issued", 1, InvoicePayload,
    "A visit's invoice was made or rebuilt (same number) from the repair order's approved lines.")
INVOICE_VOIDED = EventContract(
    SOURCE, "invoice_voided", 1, InvoicePayload, "An invoice was cancelled before the handover; nothing was paid.")
PAYMENT_RECEIVED = EventContract(
    SOURCE, "payment_received", 1, PaymentPayload, "The customer paid some or all of an invoice.")
PAYMENT_REFUNDED = EventContract(
    SOURCE, "payment_refunded", 1, PaymentPayload, "Money of a payment was given back to the customer.")

EVENTS = [INVOICE_ISSUED, INVOICE_VOIDED, PAYMENT_RECEIVED, PAYMENT_REFUNDED, VEHICLE_DELIVERED]
