"""reception tracking link: the customer follows the visit and answers the quote without logging in.

The link is `TRACKING_BASE_URL` + a random token (256 bits). Reception keeps only the token's SHA-256, so a token
is shown once: in the check-in answer, and again only by issuing a new one (`GET /visits/{id}/tracking-link`; the
link before it stops working). The advisor hands it to the customer (SMS, WeChat, printed QR code). The token never
travels in an event, a log or the outbox: an event is kept in the outbox table and seen by every subscriber, and
the link is a bearer secret.
"""
from marshmallow import fields

from contracts.fields import Id, Money, PayloadSchema, StrictSchema
from contracts.reception.common import SOURCE
from svckit.events import EventContract

LINK_VALIDITY_HELP = ("Valid while the visit is open and for TRACKING_LINK_DAYS (default 7) after delivery; "
                      "null while the visit is open (the end is not known before delivery).")


# --- RPC inputs ---

class TrackingApproval(StrictSchema):
    """The customer's answer through the link: only pending lines of this visit's repair order may be named."""
    approved_line_ids = fields.List(Id(), load_default=list, metadata={
        "description": "Lines the customer approves (line ids from the tracking view)."})
    declined_line_ids = fields.List(Id(), load_default=list, metadata={
        "description": "Lines the customer declines: kept on the car as recommendations."})


# --- RPC answers ---

class TrackingLinkView(PayloadSchema):
    """The link to hand to the customer. Shown once: asking again issues a new link and ends this one."""
    visit_id = Id()
    url = fields.String(metadata={"description": "TRACKING_BASE_URL followed by the token: a bearer secret."})
    issued_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True, metadata={"description": LINK_VALIDITY_HELP})


class TrackedLineView(PayloadSchema):
    line_id = Id()
    kind = fields.String(metadata={"description": "labour, part or sublet."})
    description = fields.String()
    quantity = fields.Decimal(as_string=True, allow_none=True, metadata={"description": "Parts only."})
    amount = Money()
    pay_type = fields.String(metadata={"description": "customer, warranty, internal or goodwill."})
    pay_type_text = fields.String(metadata={"description": "Who pays, in Chinese (e.g. 保修: nothing to pay)."})
    approval = fields.String(metadata={"description": "pending, approved or declined."})


class TrackedRepairOrderView(PayloadSchema):
    status = fields.String()
    status_text = fields.String(metadata={"description": "The repair order's status in Chinese."})
    awaiting_answer = fields.Boolean(metadata={
        "description": "True while lines are pending and the order still takes an answer."})
    lines = fields.List(fields.Nested(TrackedLineView))
    customer_total = Money(metadata={"description": "What the customer pays: approved customer-pay lines."})
    pending_customer_total = Money(metadata={"description": "Customer-pay lines still waiting for an answer."})


class TrackingView(PayloadSchema):
    """What the customer sees: this visit only, no names, phones or internal ids beyond line ids."""
    plate = fields.String()
    status = fields.String(metadata={"description": "checked_in, ready_for_delivery or delivered."})
    status_text = fields.String(metadata={"description": "Where the car is, in Chinese."})
    checked_in_at = fields.DateTime()
    promised_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True, metadata={"description": LINK_VALIDITY_HELP})
    currency = fields.String()
    repair_order = fields.Nested(TrackedRepairOrderView, allow_none=True, metadata={
        "description": "null until the workshop has opened the repair order."})


# --- events ---

class TrackingLinkIssuedPayload(PayloadSchema):
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    issued_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True, allow_none=True, metadata={"description": LINK_VALIDITY_HELP})
    reissued = fields.Boolean(required=True, metadata={
        "description": "False for the link issued at check-in; True when the advisor issued a new one (the "
                       "previous link stopped working)."})


TRACKING_LINK_ISSUED = EventContract(
    SOURCE, "tracking_link_issued", 1, TrackingLinkIssuedPayload,
    "A visit has a new customer tracking link (any earlier link of the visit stopped working). The event carries "
    "no token or URL: the link is a bearer secret, handed to the customer by the advisor, never published.")

EVENTS = [TRACKING_LINK_ISSUED]
