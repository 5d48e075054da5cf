"""The customer's tracking link, free of any database: the token, its lifetime, and what the customer may see and say.

The token is 32 random bytes (256 bits, URL-safe base64: 43 characters); only its SHA-256 is kept, so a copy of
the database opens no link. With 2**256 possible tokens, guessing one is pointless: no rate limit is needed for
that, and an unknown token and an expired one get the same answer, so a guess learns nothing.
"""
import hashlib
import re
import secrets
from datetime import timedelta
from decimal import Decimal

from reception.rules.visits import CHECKED_IN, DELIVERED, READY_FOR_DELIVERY, money
from svckit.errors import Conflict, InvalidInput, NotFound

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")

DEFAULT_BASE_URL = "http://127.0.0.1:8000/track/"
DEFAULT_LINK_DAYS = 7

PENDING = "pending"
# the workshop takes an answer to quoted lines until the job is completed (additional work included)
QUOTABLE = {"opened", "diagnosing", "awaiting_approval", "approved", "waiting_for_parts", "in_progress"}

VISIT_STATUS_TEXT = {
    CHECKED_IN: "车辆已接收，正在维修服务中",
    READY_FOR_DELIVERY: "维修已完成并通过质检，可以提车",
    DELIVERED: "车辆已交付",
}

REPAIR_ORDER_STATUS_TEXT = {
    "opened": "已开单，等待检查",
    "diagnosing": "技师正在检查诊断",
    "awaiting_approval": "报价已出，等待您确认",
    "approved": "您已确认，等待施工",
    "waiting_for_parts": "等待配件到货",
    "in_progress": "正在维修",
    "on_hold": "维修暂停",
    "completed": "维修完成，正在质检",
    "rework": "质检未通过，正在返工",
    "ready_for_delivery": "可以提车",
    "delivered": "已交车",
    "closed": "已结束",
    "cancelled": "已取消",
}

PAY_TYPE_TEXT = {
    "customer": "客户付费",
    "warranty": "保修（无需付费）",
    "internal": "内部（无需付费）",
    "goodwill": "善意维修（无需付费）",
}


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token):
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token):
    """Whether `token` could be one of ours at all (so junk is refused without a database query)."""
    return isinstance(token, str) and _TOKEN_SHAPE.fullmatch(token) is not None


def tracking_url(base_url, token):
    base = str(base_url or DEFAULT_BASE_URL)
    return base + token if base.endswith(("/", "=")) else f"{base}/{token}"


def link_expires_at(status, delivered_at, days):
    """When a visit's link stops working: None while the car is with us, else `days` after the delivery."""
    if status != DELIVERED or delivered_at is None:
        return None
    return delivered_at + timedelta(days=int(days))


def link_is_valid(status, delivered_at, days, now):
    expires_at = link_expires_at(status, delivered_at, days)
    return expires_at is None or now < expires_at


def no_such_link():
    """The one answer for an unknown, malformed or expired token: it says nothing about which it was."""
    return NotFound("No such tracking link, or it has expired.", {"token": ["Unknown or expired."]})


def quote_lines(order):
    """The lines of the workshop's repair order view, as the customer sees them (no costs, technicians or bays)."""
    lines = []
    for kind, key in (("labour", "labour_lines"), ("part", "part_lines"), ("sublet", "sublet_lines")):
        for line in order.get(key) or []:
            lines.append({
                "line_id": line["line_id"], "kind": kind, "description": line["description"],
                "quantity": line.get("quantity") if kind == "part" else None,
                "amount": money(line["amount"]), "pay_type": line["pay_type"],
                "pay_type_text": PAY_TYPE_TEXT.get(line["pay_type"], line["pay_type"]),
                "approval": line["approval"],
            })
    return lines


def tracked_repair_order(order):
    """The customer's view of the repair order (the workshop's RepairOrderView)."""
    lines = quote_lines(order)
    pending = [line for line in lines if line["approval"] == PENDING]
    return {
        "status": order["status"],
        "status_text": REPAIR_ORDER_STATUS_TEXT.get(order["status"], order["status"]),
        "awaiting_answer": bool(pending) and order["status"] in QUOTABLE,
        "lines": lines,
        "customer_total": money(order["customer_total"]),
        "pending_customer_total": money(sum((line["amount"] for line in pending if line["pay_type"] == "customer"),
                                            Decimal("0"))),
    }


def check_answer(order, approved_line_ids, declined_line_ids):
    """The customer may name only pending lines of this visit's order, each once, and must approve at least one
    (declining everything is cancelling the repair: that is for a conversation with the advisor).

    Checked here, before anything is asked of the workshop, because the link's calls run as the platform itself:
    the token is the only thing that says which order the customer may answer.
    """
    pending = {line["line_id"] for line in quote_lines(order) if line["approval"] == PENDING}
    if not pending or order["status"] not in QUOTABLE:
        raise Conflict("This quote is not waiting for an answer.",
                       {"repair_order": [f"Is {REPAIR_ORDER_STATUS_TEXT.get(order['status'], order['status'])}; "
                                         "no line waits for an answer."]})
    approved, declined = list(approved_line_ids), list(declined_line_ids)
    errors = {}
    for field, ids in (("approved_line_ids", approved), ("declined_line_ids", declined)):
        foreign = sorted(set(ids) - pending)
        if foreign:
            errors[field] = [f"Not lines of this quote waiting for an answer: {', '.join(foreign)}."]
        elif len(set(ids)) != len(ids):
            errors[field] = ["A line is named twice."]
    both = set(approved) & set(declined)
    if both and "declined_line_ids" not in errors:
        errors["declined_line_ids"] = [f"Both approved and declined: {', '.join(sorted(both))}."]
    if not errors and not approved:
        errors["approved_line_ids"] = ["Approve at least one line; to decline all the work, call your service advisor."]
    if errors:
        raise InvalidInput("The answer names lines it cannot.", errors)
    return sorted(set(approved)), sorted(set(declined))
