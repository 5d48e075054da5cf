"""Purchase orders and receiving in plain Python: what a delivery may hold, and what state an order is in.

A line's outstanding quantity is what the supplier still owes:
    ordered - accepted - cancelled
Rejected parts go back to the supplier and stay outstanding (the supplier owes a
replacement) until they are delivered again and accepted, or the rest of the order is
cancelled.
"""
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

DRAFT, SENT, PARTIALLY_RECEIVED, RECEIVED, CANCELLED = "draft", "sent", "partially_received", "received", "cancelled"
PO_STATUSES = [DRAFT, SENT, PARTIALLY_RECEIVED, RECEIVED, CANCELLED]
OPEN_STATUSES = (DRAFT, SENT, PARTIALLY_RECEIVED)  # counted as on order
RECEIVABLE_STATUSES = (SENT, PARTIALLY_RECEIVED)


def outstanding(quantity, accepted, cancelled):
    return quantity - accepted - cancelled


def receipt_line_problems(outstanding_quantity, delivered, accepted, rejected, reject_reason):
    """{field: [reason]} for one delivered line of a receipt; empty when it may be booked."""
    problems = {}
    if accepted + rejected != delivered:
        problems["delivered"] = [f"Must equal accepted + rejected ({accepted + rejected})."]
    if delivered <= 0:
        problems.setdefault("delivered", []).append("Must be more than 0.")
    if accepted > outstanding_quantity:
        problems["accepted"] = [f"At most {outstanding_quantity}: only that much is still owed on the line."]
    if rejected > 0 and not (reject_reason or "").strip():
        problems["reject_reason"] = ["Say why parts were rejected."]
    if rejected == 0 and (reject_reason or "").strip():
        problems["reject_reason"] = ["Only for a rejected quantity."]
    return problems


def status_after_delivery(lines):
    """received when nothing is owed any more, else partially_received (something has come)."""
    owed = sum((outstanding(l.quantity, l.accepted_quantity, l.cancelled_quantity) for l in lines), ZERO)
    return RECEIVED if owed == 0 else PARTIALLY_RECEIVED


def status_after_cancel(lines):
    """cancelled when nothing was ever accepted, else received (closed short: what came is kept)."""
    accepted = sum((l.accepted_quantity for l in lines), ZERO)
    return RECEIVED if accepted > 0 else CANCELLED


def percentage(part, whole):
    """part / whole as a percentage with two places; None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def variance(pairs):
    """[(paid, reference, quantity)] -> (amount paid above the reference, that as a % of the reference value)."""
    paid = sum((p * q for p, _, q in pairs), ZERO)
    reference = sum((r * q for _, r, q in pairs), ZERO)
    return (paid - reference).quantize(CENT, rounding=ROUND_HALF_UP), percentage(paid - reference, reference)
