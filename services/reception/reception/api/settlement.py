"""Delivery and settlement (交车、结算): the invoice, payments and refunds, the handover.

The invoice is built from the repair order's approved lines (workshop) with coupons from crm, numbered gapless
per site and year (a counter row bumped in the invoicing transaction: a rolled-back invoice gives its number
back). Coupons are redeemed in crm before the invoice commits and released when it is voided or rebuilt without
them; a failed commit releases what it redeemed. The car goes home only when its invoice is paid in full.
"""
import base64
import logging
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from contracts.reception import (
    INVOICE_ISSUED, INVOICE_VOIDED, PAYMENT_RECEIVED, PAYMENT_REFUNDED, VEHICLE_DELIVERED, Delivery,
    DeliverySummaryView, InvoiceDocument, InvoiceRequest, InvoiceView, InvoiceVoid, NewPayment, NewRefund, VisitView,
)
from reception.models.settlement import Invoice, InvoiceCounter, InvoiceDiscount, InvoiceLine, Payment, Refund
from reception.rules import settlement as rules
from reception.rules.visits import DELIVERED, READY_FOR_DELIVERY
from svckit.db import new_id, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load

log = logging.getLogger(__name__)

SETTLING_ROLES = ("service_advisor", "site_manager")


class SettlementApi:
    # --- the invoice ---

    @rpc
    def create_invoice(self, visit_id, payload):
        """Make (or rebuild, keeping its number) the visit's invoice from the approved lines, with coupons."""
        self.auth.require_role(*SETTLING_ROLES)
        codes = _coupon_codes(load(InvoiceRequest, payload)["coupon_codes"])
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        _check_invoiceable(visit)
        existing = self._live_invoice(visit.id)
        invoice_id = existing.id if existing is not None else new_id()
        repair_order = self.workshop.get_repair_order(visit.repair_order_id)
        lines = rules.approved_lines(repair_order)
        discounts = self._coupon_discounts(visit, invoice_id, codes, rules.customer_amounts(lines))
        totals = rules.invoice_totals(lines, [(d["applies_to"], d["discount"]) for d in discounts], self._vat_rate())

        visit = self._visit_for_update(visit_id)  # invoices of one visit queue up here
        _check_invoiceable(visit)
        invoice = self._live_invoice(visit.id, lock=True)
        if (invoice.id if invoice is not None else None) != (existing.id if existing is not None else None):
            raise Conflict("The visit's invoice changed meanwhile; ask again.", {"invoice": ["Changed meanwhile."]})
        held_before = {discount.code for discount in invoice.discounts} if invoice is not None else set()
        if invoice is None:
            invoice = self.db.add(Invoice(
                id=invoice_id, number=self._next_invoice_number(visit.site_id), site_id=visit.site_id,
                visit_id=visit.id, repair_order_id=visit.repair_order_id, customer_id=visit.customer_id,
                vehicle_id=visit.vehicle_id, plate=visit.plate, currency=visit.currency,
                paid_total=Decimal("0.00"), refunded_total=Decimal("0.00"), created_by=self.auth.username,
                created_at=utcnow()))
        else:
            rules.check_replaceable(invoice)
            invoice.lines.clear()
            invoice.discounts.clear()
            invoice.repair_order_id = visit.repair_order_id
            self.db.flush()
        _fill(invoice, lines, discounts, totals)
        self.db.flush()
        redeemed = self._redeem(invoice, visit, [d["code"] for d in discounts], held_before)
        self._emit_invoice(INVOICE_ISSUED, invoice)
        try:
            self.db.commit()
        except Exception:
            self._release(invoice.id, redeemed)
            raise
        self._release(invoice.id, held_before - set(codes))
        log.info("visit %s: invoice %s issued, total %s", visit.id, invoice.number, invoice.total)
        return self._invoice_view(invoice)

    @rpc
    def get_visit_invoice(self, visit_id):
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        invoice = self._live_invoice(visit.id)
        if invoice is None:
            raise NotFound(f"Visit {visit_id} has no invoice yet.", {"visit_id": ["No invoice yet."]})
        return self._invoice_view(invoice)

    @rpc
    def get_invoice(self, invoice_id):
        return self._invoice_view(self._invoice(invoice_id))

    @rpc
    def void_invoice(self, invoice_id, payload):
        """Cancel an invoice before the handover, with nothing paid on it; its coupons may be used again."""
        self.auth.require_role(*SETTLING_ROLES)
        data = load(InvoiceVoid, payload)
        invoice = self._invoice(invoice_id, lock=True)
        if invoice.status == rules.VOIDED:
            raise Conflict(f"Invoice {invoice.number} is already voided.", {"status": ["Is voided."]})
        if self._visit(invoice.visit_id).status == DELIVERED:
            raise Conflict(f"Invoice {invoice.number} was settled at the handover; refund it instead.",
                           {"status": ["The car has been delivered."]})
        rules.check_replaceable(invoice)
        invoice.status, invoice.voided_at, invoice.void_reason = rules.VOIDED, utcnow(), data["reason"]
        self._emit_invoice(INVOICE_VOIDED, invoice)
        self.db.commit()
        self._release(invoice.id, {discount.code for discount in invoice.discounts})
        return self._invoice_view(invoice)

    @rpc
    def invoice_pdf(self, invoice_id):
        """The printable invoice (A4 PDF, Chinese in STSong-Light), base64 for the wire."""
        invoice = self._invoice(invoice_id)
        content = rules.invoice_pdf(invoice, invoice.site_id, invoice.visit_id, self._zone())
        return InvoiceDocument().dump({"filename": f"{invoice.number}.pdf", "content_type": "application/pdf",
                                       "content_base64": base64.b64encode(content).decode()})

    # --- payments and refunds ---

    @rpc
    def record_payment(self, invoice_id, payload):
        """Take some or all of the balance due, by one method; more than is due is refused."""
        self.auth.require_role(*SETTLING_ROLES)
        data = load(NewPayment, payload)
        invoice = self._invoice(invoice_id, lock=True)
        rules.check_payable(invoice.status)
        rules.check_payment(data["amount"], invoice.balance_due)
        payment = Payment(id=new_id(), method=data["method"], amount=data["amount"], reference=data["reference"],
                          received_at=utcnow(), received_by=self.auth.username, refunded_amount=Decimal("0.00"))
        invoice.payments.append(payment)
        invoice.paid_total += payment.amount
        invoice.status = rules.invoice_status(invoice.total, invoice.paid_total, invoice.refunded_total)
        self.db.flush()
        self._emit_invoice(PAYMENT_RECEIVED, invoice, payment_id=payment.id, method=payment.method,
                           amount=str(payment.amount), reason=None)
        self.db.commit()
        log.info("invoice %s: %s %s received, balance %s", invoice.number, payment.method, payment.amount,
                 invoice.balance_due)
        return self._invoice_view(invoice)

    @rpc
    def refund_payment(self, invoice_id, payment_id, payload):
        """Give back some or all of a payment, with the reason. Before the handover the balance is due again."""
        self.auth.require_role(*SETTLING_ROLES)
        data = load(NewRefund, payload)
        invoice = self._invoice(invoice_id, lock=True)
        payment = next((p for p in invoice.payments if p.id == str(payment_id)), None)
        if payment is None:
            raise NotFound(f"Invoice {invoice.number} has no payment {payment_id}.",
                           {"payment_id": ["Unknown payment of this invoice."]})
        rules.check_refund(data["amount"], payment.amount, payment.refunded_amount)
        payment.refunds.append(Refund(id=new_id(), amount=data["amount"], reason=data["reason"],
                                      refunded_at=utcnow(), refunded_by=self.auth.username))
        payment.refunded_amount += data["amount"]
        invoice.refunded_total += data["amount"]
        delivered = self._visit(invoice.visit_id).status == DELIVERED
        invoice.status = rules.invoice_status(invoice.total, invoice.paid_total, invoice.refunded_total,
                                              voided=invoice.status == rules.VOIDED, delivered=delivered)
        self.db.flush()
        self._emit_invoice(PAYMENT_REFUNDED, invoice, payment_id=payment.id, method=payment.method,
                           amount=str(data["amount"]), reason=data["reason"])
        self.db.commit()
        log.info("invoice %s: %s refunded of payment %s", invoice.number, data["amount"], payment.id)
        return self._invoice_view(invoice)

    # --- the handover ---

    @rpc
    def delivery_summary(self, visit_id):
        """Every item done and declined, in plain words, and the promised against the handover time."""
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        if not visit.repair_order_id:
            raise Conflict(f"Visit {visit.id} has no repair order yet: nothing to explain.",
                           {"repair_order_id": ["No repair order is known for this visit yet."]})
        repair_order = self.workshop.get_repair_order(visit.repair_order_id)
        summary = rules.delivery_summary(visit, rules.approved_lines(repair_order),
                                         rules.declined_lines(repair_order), self._live_invoice(visit.id),
                                         self._zone())
        return DeliverySummaryView().dump(summary)

    @rpc
    def deliver(self, visit_id, payload):
        """Hand the car back: only with its invoice paid in full (a zero total needs no payment)."""
        self.auth.require_role("service_advisor")
        data = load(Delivery, payload)
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        visit.check_deliverable()
        repair_order = self.workshop.get_repair_order(visit.repair_order_id)
        visit = self._visit_for_update(visit_id)  # another advisor may have delivered it meanwhile
        visit.check_deliverable()
        invoice = self._live_invoice(visit.id, lock=True) or self._free_of_charge_invoice(visit, repair_order)
        rules.check_settled_for_delivery(invoice)
        visit.record_delivery(invoice.labour_total, invoice.parts_total, invoice.total, notes=data["notes"],
                              at=utcnow())
        view = VisitView().dump(visit)
        self.db.emit(VEHICLE_DELIVERED, {
            **{name: view[name] for name in (
                "visit_id", "repair_order_id", "customer_id", "vehicle_id", "delivered_at", "promised_at",
                "promised_time_kept", "labour_total", "parts_total", "total", "currency")},
            "invoice_id": invoice.id, "invoice_number": invoice.number, "sublet_total": str(invoice.sublet_total),
            "discount_total": str(invoice.discount_total), "vat": str(invoice.vat),
        }, site_id=visit.site_id)
        self.db.commit()
        log.info("visit %s: vehicle %s delivered with invoice %s, promised time kept: %s", visit.id,
                 visit.vehicle_id, invoice.number, visit.promised_time_kept)
        return view

    # --- helpers ---

    def _free_of_charge_invoice(self, visit, repair_order):
        """A visit whose approved work costs the customer nothing (warranty, goodwill) is invoiced at the
        handover without being asked; any other visit needs its invoice made and paid first."""
        lines = rules.approved_lines(repair_order)
        totals = rules.invoice_totals(lines, [], self._vat_rate())
        if totals.total != 0:
            return None
        invoice = self.db.add(Invoice(
            id=new_id(), number=self._next_invoice_number(visit.site_id), site_id=visit.site_id, visit_id=visit.id,
            repair_order_id=visit.repair_order_id, customer_id=visit.customer_id, vehicle_id=visit.vehicle_id,
            plate=visit.plate, currency=visit.currency, paid_total=Decimal("0.00"),
            refunded_total=Decimal("0.00"), created_by=self.auth.username, created_at=utcnow()))
        _fill(invoice, lines, [], totals)
        self.db.flush()
        self._emit_invoice(INVOICE_ISSUED, invoice)
        return invoice

    def _coupon_discounts(self, visit, invoice_id, codes, amounts):
        """Each coupon checked by crm against what the ones before it left: [{code, applies_to, discount, ...}]."""
        discounts = []
        for code in codes:
            try:
                checked = self.crm.check_coupon({
                    "code": code, "customer_id": visit.customer_id, "site_id": visit.site_id,
                    "invoice_id": invoice_id, "amounts": amounts.as_wire()})
            except InvalidInput as refused:
                reasons = (refused.details or {}).get("code") or [refused.message]
                raise InvalidInput(f"coupon_codes: {code}: {reasons[0]}",
                                   {"coupon_codes": [f"{code}: {reason}" for reason in reasons]}) from None
            checked["discount"] = Decimal(checked["discount"])
            discounts.append(checked)
            amounts = rules.remaining_after(amounts, checked["applies_to"], checked["discount"])
        return discounts

    def _redeem(self, invoice, visit, codes, held_before):
        """Redeem the invoice's coupons in crm (again for ones it held: harmless); the newly redeemed ones."""
        redeemed = []
        try:
            for code in codes:
                self.crm.redeem_coupon({"code": code, "invoice_id": invoice.id, "customer_id": visit.customer_id,
                                        "site_id": visit.site_id})
                if code not in held_before:
                    redeemed.append(code)
        except Exception:
            self._release(invoice.id, redeemed)
            raise
        return redeemed

    def _release(self, invoice_id, codes):
        for code in sorted(codes):
            try:
                self.crm.release_coupon({"code": code, "invoice_id": invoice_id})
            except Exception:
                log.exception("invoice %s: coupon %s could not be released; release it in crm", invoice_id, code)

    def _emit_invoice(self, contract, invoice, **extra):
        self.db.emit(contract, {
            "invoice_id": invoice.id, "invoice_number": invoice.number, "visit_id": invoice.visit_id,
            "customer_id": invoice.customer_id, "status": invoice.status, "currency": invoice.currency,
            **{figure: str(getattr(invoice, figure))
               for figure in ("total", "vat", "paid_total", "refunded_total", "balance_due")},
            **extra}, site_id=invoice.site_id)

    def _invoice_view(self, invoice):
        return InvoiceView().dump(invoice)

    def _vat_rate(self):
        return Decimal(str(self.config.get("VAT_RATE", rules.DEFAULT_VAT_RATE)))

    def _next_invoice_number(self, site_id):
        """The site's next number this year, counted in this transaction (the counter row stays locked until
        commit, so concurrent invoices queue and a rolled-back one gives its number back)."""
        year = utcnow().astimezone(self._zone()).year
        table = InvoiceCounter.__table__
        insert = postgresql_insert if self.db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values(site_id=site_id, year=year, last_number=1).on_conflict_do_update(
            index_elements=[table.c.site_id, table.c.year], set_={"last_number": table.c.last_number + 1},
        ).returning(table.c.last_number)
        return rules.invoice_number(site_id, year, self.db.execute(statement).scalar_one())

    def _invoice(self, invoice_id, lock=False):
        query = select(Invoice).where(Invoice.id == str(invoice_id))
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        invoice = self.db.scalars(query).one_or_none()
        if invoice is None:
            raise NotFound(f"No invoice {invoice_id}.", {"invoice_id": ["Unknown invoice."]})
        self.auth.require_site(invoice.site_id)
        return invoice

    def _live_invoice(self, visit_id, lock=False):
        query = select(Invoice).where(Invoice.visit_id == str(visit_id), Invoice.status != rules.VOIDED)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return self.db.scalars(query).one_or_none()


def _coupon_codes(codes):
    normalised = [code.strip().upper() for code in codes]
    repeated = sorted({code for code in normalised if normalised.count(code) > 1})
    if repeated:
        raise InvalidInput(f"coupon_codes: {', '.join(repeated)} given twice.",
                           {"coupon_codes": [f"{code} is given twice." for code in repeated]})
    return normalised


def _check_invoiceable(visit):
    if visit.status != READY_FOR_DELIVERY:
        raise Conflict(f"Visit {visit.id} is {visit.status}: the invoice is made once quality has passed the car.",
                       {"status": [f"Is {visit.status}, must be {READY_FOR_DELIVERY}."]})
    if not visit.repair_order_id:
        raise Conflict(f"Visit {visit.id} has no repair order yet: there is nothing to invoice.",
                       {"repair_order_id": ["No repair order is known for this visit yet."]})


def _fill(invoice, lines, discounts, totals):
    """The invoice's lines, discounts and figures from the rules' results."""
    for position, line in enumerate(lines, start=1):
        invoice.lines.append(InvoiceLine(
            id=new_id(), position=position, kind=line.kind, repair_order_line_id=line.repair_order_line_id,
            code=line.code, description=line.description, quantity=line.quantity, unit_price=line.unit_price,
            amount=line.amount, pay_type=line.pay_type, customer_amount=line.customer_amount))
    for position, discount in enumerate(discounts, start=1):
        invoice.discounts.append(InvoiceDiscount(
            id=new_id(), position=position, kind="coupon", code=discount["code"],
            description=discount.get("description") or "", applies_to=discount["applies_to"],
            amount=discount["discount"]))
    for figure in ("labour_total", "parts_total", "sublet_total", "subtotal", "discount_total", "total", "vat_rate",
                   "vat", "net"):
        setattr(invoice, figure, getattr(totals, figure))
    invoice.warranty_total = totals.by_pay_type["warranty"]
    invoice.internal_total = totals.by_pay_type["internal"]
    invoice.goodwill_total = totals.by_pay_type["goodwill"]
    invoice.status = rules.invoice_status(totals.total, invoice.paid_total, invoice.refunded_total)
