"""The rules of settlement (结算), free of any database: what the invoice holds, what the customer pays, VAT,
payments and refunds, and when the car may go.

Rounding, stated once (also in the contract's InvoiceView):
- every line amount is rounded half-up to the cent once, by the workshop; the invoice copies it;
- each discount (coupon) is computed on the invoice and rounded half-up to the cent once;
- VAT is worked out once, on the invoice total, and rounded half-up to the cent: prices are VAT-inclusive,
  so VAT = total x rate / (1 + rate) and net = total - VAT;
- total = sum of the customer-pay line amounts - discounts: with no discount, exactly the sum of the
  approved customer-pay lines.

Invoice states: open (money still due) -> paid (paid in full; a zero total is paid at once). A refund before
the handover reopens the invoice (the balance is due again); a refund after the handover marks it refunded
(the money went back to the customer; nothing is chased). An invoice is voided, before the handover and only
with nothing paid, when it is replaced or cancelled; its coupons are released.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reception.documents import labelled_pdf
from svckit.errors import Conflict, InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_VAT_RATE = "0.13"

PAY_TYPES = ("customer", "warranty", "internal", "goodwill")
LABOUR, PART, SUBLET = "labour", "part", "sublet"
PAYMENT_METHODS = ("cash", "bank_card", "wechat_pay", "alipay", "transfer")
COUPON_SCOPES = ("labour", "parts", "all")

OPEN, PAID, REFUNDED, VOIDED = "open", "paid", "refunded", "voided"
INVOICE_STATUSES = (OPEN, PAID, REFUNDED, VOIDED)


def cents(value):
    """Rounded half-up to the cent: the one rounding the invoice applies."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceLine:
    """An approved line of the repair order, as billed."""
    kind: str
    repair_order_line_id: str
    code: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    pay_type: str

    @property
    def customer_amount(self):
        """Warranty, internal and goodwill lines are shown at their amount but cost the customer nothing."""
        return self.amount if self.pay_type == "customer" else ZERO


def approved_lines(repair_order):
    """The repair order's approved lines, labour first, then parts, then sublet work, each as quoted."""
    lines = []
    for line in repair_order.get("labour_lines") or []:
        if line["approval"] == "approved":
            lines.append(InvoiceLine(LABOUR, line["line_id"], line["operation_code"], line["description"],
                                     Decimal(line["hours"]), Decimal(line["rate"]), Decimal(line["amount"]),
                                     line["pay_type"]))
    for line in repair_order.get("part_lines") or []:
        if line["approval"] == "approved":
            lines.append(InvoiceLine(PART, line["line_id"], line["part_number"], line["description"],
                                     Decimal(line["quantity"]), Decimal(line["unit_price"]), Decimal(line["amount"]),
                                     line["pay_type"]))
    for line in repair_order.get("sublet_lines") or []:
        if line["approval"] == "approved":
            lines.append(InvoiceLine(SUBLET, line["line_id"], None, line["description"], Decimal("1"),
                                     Decimal(line["price"]), Decimal(line["amount"]), line["pay_type"]))
    return lines


def declined_lines(repair_order):
    """The lines the customer declined, with what they were quoted at."""
    declined = []
    for kind, key, code in ((LABOUR, "labour_lines", "operation_code"), (PART, "part_lines", "part_number"),
                            (SUBLET, "sublet_lines", None)):
        for line in repair_order.get(key) or []:
            if line["approval"] == "declined":
                declined.append({"kind": kind, "line_id": line["line_id"], "code": line.get(code) if code else None,
                                 "description": line["description"], "amount": Decimal(line["amount"]),
                                 "pay_type": line["pay_type"]})
    return declined


@dataclass(frozen=True)
class CustomerAmounts:
    """What the customer pays for, by kind of work: the bases coupons apply to."""
    labour: Decimal
    parts: Decimal
    sublet: Decimal

    @property
    def all(self):
        return self.labour + self.parts + self.sublet

    def as_wire(self):
        return {"labour": str(self.labour), "parts": str(self.parts), "sublet": str(self.sublet)}


def customer_amounts(lines):
    def pay(kind):
        return sum((line.customer_amount for line in lines if line.kind == kind), ZERO)
    return CustomerAmounts(pay(LABOUR), pay(PART), pay(SUBLET))


def remaining_after(amounts, applies_to, discount):
    """The bases left for the next coupon once `discount` is taken from the work it applies to.

    A discount on everything is taken from labour first, then parts, then sublet work.
    """
    if applies_to == "labour":
        return CustomerAmounts(amounts.labour - discount, amounts.parts, amounts.sublet)
    if applies_to == "parts":
        return CustomerAmounts(amounts.labour, amounts.parts - discount, amounts.sublet)
    left = discount
    taken = []
    for base in (amounts.labour, amounts.parts, amounts.sublet):
        share = min(base, left)
        taken.append(base - share)
        left -= share
    return CustomerAmounts(*taken)


def check_discounts(amounts, discounts):
    """Discounts never exceed what the customer pays for the work they apply to."""
    for applies_to, discount in discounts:
        if discount < 0 or cents(discount) != discount:
            raise ValueError(f"a discount must be whole cents and not negative: {discount}")
        base = getattr(amounts, applies_to)
        if discount > base:
            raise InvalidInput(f"A discount of {discount} exceeds the {base} it applies to.",
                               {"coupon_codes": [f"Discount {discount} exceeds the {applies_to} amount {base}."]})
        amounts = remaining_after(amounts, applies_to, discount)
    return amounts


def vat_included(total, rate):
    """The VAT inside a VAT-inclusive total, rounded half-up to the cent once."""
    rate = Decimal(str(rate))
    return cents(total * rate / (1 + rate))


@dataclass(frozen=True)
class InvoiceTotals:
    labour_total: Decimal
    parts_total: Decimal
    sublet_total: Decimal
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    vat_rate: Decimal
    vat: Decimal
    net: Decimal
    by_pay_type: dict


def invoice_totals(lines, discounts, vat_rate):
    """The invoice's figures from its lines and its discounts [(applies_to, amount)]."""
    amounts = customer_amounts(lines)
    check_discounts(amounts, discounts)
    discount_total = sum((discount for _, discount in discounts), ZERO)
    total = amounts.all - discount_total
    vat = vat_included(total, vat_rate)
    by_pay_type = {pay_type: sum((line.amount for line in lines if line.pay_type == pay_type), ZERO)
                   for pay_type in PAY_TYPES}
    return InvoiceTotals(
        labour_total=amounts.labour, parts_total=amounts.parts, sublet_total=amounts.sublet, subtotal=amounts.all,
        discount_total=discount_total, total=total, vat_rate=Decimal(str(vat_rate)), vat=vat, net=total - vat,
        by_pay_type=by_pay_type)


def invoice_number(site_id, year, sequence):
    """SH01-JS2026-000123: the site, 结算 and the year, the invoice's place in the site's year (gapless)."""
    return f"{site_id}-JS{year}-{sequence:06d}"


# --- payments and refunds ---

def balance_due(total, paid_total, refunded_total):
    return total - (paid_total - refunded_total)


def check_payment(amount, balance):
    """A payment takes some or all of the balance; paying more than is due is refused."""
    if balance <= 0:
        raise Conflict("Nothing is due on this invoice.", {"amount": ["The invoice is paid in full."]})
    if amount <= 0:
        raise InvalidInput("amount: must be more than 0.", {"amount": ["Must be more than 0."]})
    if amount > balance:
        reason = f"{amount} is more than the balance due {balance}; overpayment is refused."
        raise InvalidInput(f"amount: {reason}", {"amount": [reason]})


def check_refund(amount, paid, already_refunded):
    """A payment is refunded at most up to what it brought in."""
    refundable = paid - already_refunded
    if amount <= 0:
        raise InvalidInput("amount: must be more than 0.", {"amount": ["Must be more than 0."]})
    if amount > refundable:
        reason = f"{amount} is more than the {refundable} of this payment not yet refunded."
        raise InvalidInput(f"amount: {reason}", {"amount": [reason]})


def invoice_status(total, paid_total, refunded_total, voided=False, delivered=False):
    if voided:
        return VOIDED
    if delivered and refunded_total > 0:
        return REFUNDED
    return PAID if balance_due(total, paid_total, refunded_total) <= 0 else OPEN


def check_payable(status):
    if status == VOIDED:
        raise Conflict("The invoice is voided: take payments on the visit's current invoice.",
                       {"status": ["Is voided."]})


def check_settled_for_delivery(invoice):
    """The car goes home only when its invoice is paid in full (a zero total needs no payment)."""
    if invoice is None:
        raise Conflict("The visit has no invoice yet: create it (POST /visits/{id}/invoice) and take payment.",
                       {"invoice": ["No invoice for this visit."]})
    due = balance_due(invoice.total, invoice.paid_total, invoice.refunded_total)
    if due > 0:
        raise Conflict(f"Invoice {invoice.number} has {due} {invoice.currency} still due: take payment first.",
                       {"balance_due": [f"{due} is still due."]})


def check_replaceable(invoice):
    """An invoice is rebuilt or voided only while no money is on it: refund the payments first."""
    held = invoice.paid_total - invoice.refunded_total
    if held > 0:
        raise Conflict(f"Invoice {invoice.number} holds {held} in payments: refund them first.",
                       {"paid_total": [f"{held} paid and not refunded."]})


# --- what the customer is told at the handover ---

KIND_WORDS = {LABOUR: "工时", PART: "配件", SUBLET: "外协"}
PAY_TYPE_WORDS = {"customer": "客户付费", "warranty": "厂家保修，客户无需付费", "internal": "内部结算，客户无需付费",
                  "goodwill": "善意维修，客户无需付费"}
PAYMENT_METHOD_WORDS = {"cash": "现金", "bank_card": "银行卡", "wechat_pay": "微信支付", "alipay": "支付宝",
                        "transfer": "转账"}


def _local(at, zone):
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def done_item(line):
    """An approved line, done, in plain words."""
    explanation = f"已完成（{KIND_WORDS[line.kind]}）：{line.description}，金额 ¥{line.amount}，{PAY_TYPE_WORDS[line.pay_type]}。"
    return {"kind": line.kind, "description": line.description, "amount": line.amount, "pay_type": line.pay_type,
            "customer_amount": line.customer_amount, "explanation": explanation}


def declined_item(line):
    """A declined line, in plain words: not done, and the customer will be reminded of it."""
    explanation = (f"未做（您暂不需要）：{line['description']}，报价 ¥{line['amount']}。"
                   "此项已记为建议维修项目，我们会在日后提醒您。")
    return {"kind": line["kind"], "description": line["description"], "amount": line["amount"],
            "pay_type": line["pay_type"], "customer_amount": ZERO, "explanation": explanation}


def timing_words(promised_at, handed_over_at, zone):
    promised = _local(promised_at, zone)
    if handed_over_at is None:
        return f"承诺交车时间 {promised}，尚未交车。"
    handed = _local(handed_over_at, zone)
    kept = "按时交车" if handed_over_at <= promised_at else "晚于承诺时间交车，敬请谅解"
    return f"承诺交车时间 {promised}，实际交车时间 {handed}，{kept}。"


def delivery_summary(visit, lines, declined, invoice, zone):
    """What was done, what was declined and when the car was promised and handed back, line by line."""
    done = [done_item(line) for line in lines]
    declined_items = [declined_item(line) for line in declined]
    timing = timing_words(visit.promised_at, visit.delivered_at, zone)
    sentences = [item["explanation"] for item in done + declined_items]
    if invoice is not None:
        sentences.append(f"结算单 {invoice.number}：应付 ¥{invoice.total}（含增值税 ¥{invoice.vat}），"
                         f"已付 ¥{invoice.paid_total - invoice.refunded_total}，余额 ¥{invoice.balance_due}。")
    sentences.append(timing)
    return {"visit_id": visit.id, "plate": visit.plate, "status": visit.status, "done": done,
            "declined": declined_items, "promised_at": visit.promised_at, "handed_over_at": visit.delivered_at,
            "promised_time_kept": visit.promised_time_kept, "timing": timing,
            "invoice_number": invoice.number if invoice is not None else None,
            "total": invoice.total if invoice is not None else None, "sentences": sentences}


# --- the printed invoice ---

def invoice_document_rows(invoice, site_name, visit_id, zone):
    """(label, text) rows of the printed invoice, top to bottom."""
    rows = [("门店 Site", site_name), ("结算单号 Invoice", invoice.number), ("状态 Status", invoice.status),
            ("开单时间 Date", _local(invoice.created_at, zone)), ("来访 Visit", visit_id),
            ("车牌 Plate", invoice.plate), ("", "")]
    for line in invoice.lines:
        code = f"{line.code} " if line.code else ""
        rows.append((f"{KIND_WORDS[line.kind]} {line.kind}",
                     f"{code}{line.description}  {line.quantity} x {line.unit_price} = {line.amount}  "
                     f"[{line.pay_type}] 客户 {line.customer_amount}"))
    rows.append(("", ""))
    for discount in invoice.discounts:
        rows.append(("优惠 Discount", f"{discount.code} {discount.description} ({discount.applies_to}) -{discount.amount}"))
    rows += [("工时 Labour", str(invoice.labour_total)), ("配件 Parts", str(invoice.parts_total)),
             ("外协 Sublet", str(invoice.sublet_total)), ("优惠合计 Discounts", f"-{invoice.discount_total}"),
             ("不含税 Net", str(invoice.net)), (f"增值税 VAT {invoice.vat_rate * 100:.0f}%", str(invoice.vat)),
             ("合计 Total", f"{invoice.total} {invoice.currency}"), ("", "")]
    for payment in invoice.payments:
        refunded = f"  退款 refunded {payment.refunded_amount}" if payment.refunded_amount else ""
        rows.append((f"收款 {PAYMENT_METHOD_WORDS[payment.method]}",
                     f"{payment.method} {payment.amount}  {_local(payment.received_at, zone)}{refunded}"))
    rows.append(("余额 Balance due", f"{invoice.balance_due} {invoice.currency}"))
    return rows


def invoice_pdf(invoice, site_name, visit_id, zone):
    """The invoice (结算单) as PDF bytes."""
    return labelled_pdf("维修结算单  Service invoice", f"结算单 {invoice.number}",
                        invoice_document_rows(invoice, site_name, visit_id, zone), label_width_mm=40)
