"""The life cycles of a counter sale and of a delivery order, and how invoices are numbered.

A sale:   quote -> ordered -> picked -> invoiced, or cancelled from quote or ordered.
A quote may be re-priced (requote) while it is a quote; an order reserves stock, a pick
issues it, an invoice numbers the sale. Once picked, the parts have left: no cancel.

A delivery: scheduled -> out_for_delivery -> delivered | failed; a failed delivery
(or one that could not leave) can be scheduled again.
"""
from svckit.errors import Conflict

QUOTE, ORDERED, PICKED, INVOICED, CANCELLED = "quote", "ordered", "picked", "invoiced", "cancelled"
SALE_STATUSES = [QUOTE, ORDERED, PICKED, INVOICED, CANCELLED]

# action -> (statuses it may start from, status it leads to)
SALE_ACTIONS = {
    "requote": ({QUOTE}, QUOTE),
    "order": ({QUOTE}, ORDERED),
    "pick": ({ORDERED}, PICKED),
    "invoice": ({PICKED}, INVOICED),
    "cancel": ({QUOTE, ORDERED}, CANCELLED),
}

SCHEDULED, OUT_FOR_DELIVERY, DELIVERED, FAILED = "scheduled", "out_for_delivery", "delivered", "failed"
DELIVERY_STATUSES = [SCHEDULED, OUT_FOR_DELIVERY, DELIVERED, FAILED]
DELIVERY_TRANSITIONS = {
    SCHEDULED: [OUT_FOR_DELIVERY, FAILED],
    OUT_FOR_DELIVERY: [DELIVERED, FAILED],
    FAILED: [SCHEDULED],
    DELIVERED: [],
}


def allowed_sale_actions(status):
    return [action for action, (starts, _) in SALE_ACTIONS.items() if status in starts]


def sale_status_after(status, action):
    """The status `action` leads to from `status`; Conflict listing what is allowed when it may not."""
    starts, leads_to = SALE_ACTIONS[action]
    if status not in starts:
        allowed = allowed_sale_actions(status)
        raise Conflict(
            f"A sale that is {status} cannot {action}; allowed now: {', '.join(allowed) or 'nothing'}.",
            {"status": [f"Is {status}."], "allowed_actions": allowed})
    return leads_to


def delivery_status_after(status, wanted):
    allowed = DELIVERY_TRANSITIONS[status]
    if wanted not in allowed:
        raise Conflict(
            f"A delivery that is {status} cannot become {wanted}; allowed now: {', '.join(allowed) or 'nothing'}.",
            {"status": [f"Is {status}."], "allowed_statuses": allowed})
    return wanted


def invoice_number(site_id, year, sequence):
    """SH01-2026-000123: the site, the year, the sale's place in the site's year (gapless)."""
    return f"{site_id}-{year}-{sequence:06d}"


def quote_expired(valid_until, today):
    return today > valid_until
