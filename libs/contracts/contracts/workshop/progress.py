"""workshop progress: the board (进度看板), delay alerts (延误预警), re-promised times, rework items and comebacks
(manual 2.2, 4.3 and ch. 6)."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.workshop.common import SOURCE
from svckit.events import EventContract

DELAY_KINDS = ["labour", "parts", "technician_overloaded"]
DELAY_KIND_HELP = ("labour: the approved work left does not fit before the promised time; parts: a part waited "
                   "for has no delivery date or comes too late; technician_overloaded: the technician's work on "
                   "orders promised earlier comes first.")
LONGEST_REPORT_DAYS = 366


def _reason(description):
    return fields.String(required=True, validate=validate.Length(min=3, max=500),
                         metadata={"description": description})


# --- RPC inputs ---

class BoardQuery(StrictSchema):
    site_id = SiteId(load_default=None, metadata={"description": "One site; every site of yours when omitted."})


class NewPromisedTime(StrictSchema):
    promised_at = fields.AwareDateTime(required=True, metadata={
        "description": "The new time the car is promised back (with its offset)."})
    reason = _reason("Why the time changes: kept with the order and told to the customer.")


class ComebackFlag(StrictSchema):
    comeback_of = Id(required=True, metadata={"description": "The earlier, delivered order of the same vehicle."})
    reason = _reason("Why the foreman judges it the same concern.")


class ComebackClear(StrictSchema):
    reason = _reason("Why it is not a comeback after all.")


class DelayAlertQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    repair_order_id = Id(load_default=None)


class ComebackReportQuery(StrictSchema):
    site_id = SiteId(load_default=None, metadata={"description": "One site; every site of yours when omitted."})
    from_ = fields.Date(required=True, data_key="from", metadata={
        "description": "First day (sites' calendar), inclusive."})
    to = fields.Date(required=True, metadata={"description": "Last day (sites' calendar), inclusive."})

    @validates_schema
    def _a_real_period(self, data, **kwargs):
        if "from_" in data and "to" in data:
            if data["to"] < data["from_"]:
                raise ValidationError("Must not be before from.", "to")
            if (data["to"] - data["from_"]).days >= LONGEST_REPORT_DAYS:
                raise ValidationError(f"At most {LONGEST_REPORT_DAYS} days.", "to")


# --- RPC answers ---

class DelayReasonView(PayloadSchema):
    kind = fields.String(required=True, metadata={"description": DELAY_KIND_HELP})
    detail = fields.String(required=True)


class DelayRiskView(PayloadSchema):
    at_risk = fields.Boolean()
    expected_ready_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the car is expected ready; null while a part has no delivery date."})
    reasons = fields.List(fields.Nested(DelayReasonView))


class ReworkItemView(PayloadSchema):
    inspection_id = Id()
    item = fields.String()
    note = fields.String()
    inspector = fields.String()
    failed_at = fields.DateTime()


class BoardBay(PayloadSchema):
    bay_id = Id()
    code = fields.String(allow_none=True)


class BoardEntry(PayloadSchema):
    repair_order_id = Id()
    visit_id = Id()
    site_id = fields.String()
    plate = fields.String()
    concern = fields.String()
    status = fields.String()
    technicians = fields.List(Id(), metadata={
        "description": "Technicians its approved labour lines are dispatched to."})
    bays = fields.List(fields.Nested(BoardBay))
    promised_at = fields.DateTime()
    minutes_left = fields.Integer(metadata={"description": "Until the promised time; negative once it has passed."})
    standard_hours = fields.Decimal(as_string=True, metadata={"description": "Of the approved labour lines."})
    clocked_hours = fields.Decimal(as_string=True, metadata={"description": "Clocked work (not rework) so far."})
    rework_hours = fields.Decimal(as_string=True)
    progress_percent = fields.Integer(allow_none=True, metadata={
        "description": "Clocked work hours / approved standard hours x 100; null before any labour is approved."})
    waiting_reason = fields.String(allow_none=True, metadata={
        "description": "Why it waits: the parts, the hold's reason, the customer's answer or the failed items."})
    comeback_of = Id(allow_none=True)
    rework_items = fields.List(fields.Nested(ReworkItemView))
    delay_risk = fields.Nested(DelayRiskView)


class DelayAlertView(PayloadSchema):
    alert_id = Id(attribute="id")
    site_id = fields.String()
    repair_order_id = Id()
    kind = fields.String(metadata={"description": DELAY_KIND_HELP})
    detail = fields.String()
    promised_at = fields.DateTime()
    expected_ready_at = fields.DateTime(allow_none=True)
    raised_at = fields.DateTime()


class ComebackView(PayloadSchema):
    repair_order_id = Id()
    site_id = fields.String()
    vehicle_id = Id()
    plate = fields.String()
    concern = fields.String()
    opened_at = fields.DateTime()
    comeback_of = Id()
    earlier_concern = fields.String(allow_none=True)
    flagged_by = fields.String(metadata={"description": "workshop (at opening) or the foreman who flagged it."})
    reason = fields.String()


class ComebackReport(PayloadSchema):
    site_id = fields.String(allow_none=True)
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    comebacks = fields.List(fields.Nested(ComebackView), metadata={
        "description": "Orders opened in the period that repeat an order of the same vehicle and concern."})
    comeback_count = fields.Integer()
    orders_closed = fields.Integer(metadata={"description": "Orders closed in the period."})
    comeback_rate_percent = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "Comebacks / orders closed x 100 (null when none closed)."})
    first_time_fix_rate_percent = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "100 - comeback rate (一次修复率)."})


# --- events ---

class RepairOrderDelayRiskPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    vehicle_id = Id(required=True)
    plate = fields.String(required=True)
    promised_at = fields.DateTime(required=True)
    expected_ready_at = fields.DateTime(required=True, allow_none=True)
    reasons = fields.List(fields.Nested(DelayReasonView), required=True, validate=validate.Length(min=1))


class PromisedTimeChangedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    plate = fields.String(required=True)
    previous_promised_at = fields.DateTime(required=True)
    promised_at = fields.DateTime(required=True)
    reason = fields.String(required=True)
    by = fields.String(required=True)
    at = fields.DateTime(required=True)


class ComebackFlaggedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    comeback_of = Id(required=True)
    concern = fields.String(required=True)
    earlier_concern = fields.String(required=True)
    by = fields.String(required=True, metadata={"description": "workshop (at opening) or the foreman."})
    reason = fields.String(required=True)


class ComebackUnflaggedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    vehicle_id = Id(required=True)
    was_comeback_of = Id(required=True)
    by = fields.String(required=True)
    reason = fields.String(required=True)


REPAIR_ORDER_DELAY_RISK = EventContract(
    SOURCE, "repair_order_delay_risk", 1, RepairOrderDelayRiskPayload,
    "A repair order is expected to miss its promised time, raised before that time passes: once per order, "
    "reason kind and promised time; reasons lists the kinds new for this promised time.")
PROMISED_TIME_CHANGED = EventContract(
    SOURCE, "promised_time_changed", 1, PromisedTimeChangedPayload,
    "The advisor promised the car for another time, with the reason: for crm to tell the customer.")
COMEBACK_FLAGGED = EventContract(
    SOURCE, "comeback_flagged", 1, ComebackFlaggedPayload,
    "A repair order repeats an order of the same vehicle and concern delivered within 30 days (返修): "
    "for quality and crm.")
COMEBACK_UNFLAGGED = EventContract(
    SOURCE, "comeback_unflagged", 1, ComebackUnflaggedPayload,
    "A foreman judged an order flagged as a comeback not to be one.")

EVENTS = [REPAIR_ORDER_DELAY_RISK, PROMISED_TIME_CHANGED, COMEBACK_FLAGGED, COMEBACK_UNFLAGGED]
