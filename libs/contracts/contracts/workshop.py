"""workshop: repair orders from opening to completion (manual 2.2, 4.1-4.3)."""
from marshmallow import fields, validate

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from contracts.parts import PartNumber
from svckit.events import EventContract

SOURCE = "workshop"

APPROVAL_CHANNELS = ["in_person", "phone", "tracking_link"]


# --- RPC inputs ---

class LabourLineInput(StrictSchema):
    operation_code = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z0-9][A-Z0-9.\-]{0,19}$", error="Must be 1-20 upper-case letters, digits, '.' or '-'."))
    description = fields.String(required=True, validate=validate.Length(min=1, max=200))
    hours = Amount("0.1", "200", required=True, metadata={"description": "Standard hours sold for the operation."})
    rate = Money(load_default=None, allow_none=True,
                 metadata={"description": "Labour rate per hour; the site's rate when omitted."})


class PartLineInput(StrictSchema):
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)


class Approval(StrictSchema):
    approved_line_ids = fields.List(Id(), load_default=None, metadata={
        "description": "Lines the customer approves; every pending line when omitted."})
    declined_line_ids = fields.List(Id(), load_default=list)
    channel = fields.String(load_default="in_person", validate=validate.OneOf(APPROVAL_CHANNELS))


class JobStart(StrictSchema):
    technician_id = Id(required=True)


class Reason(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500),
                           metadata={"description": "Why: kept in the order's history and told to the customer."})


class RepairOrderQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    visit_id = Id(load_default=None)
    status = fields.String(load_default=None)


# --- RPC answers ---

class LabourLineView(PayloadSchema):
    line_id = Id(attribute="id")
    operation_code = fields.String()
    description = fields.String()
    hours = fields.Decimal(as_string=True)
    rate = Money()
    amount = Money()
    approval = fields.String(metadata={"description": "pending, approved or declined."})
    technician_id = Id(allow_none=True)


class PartLineView(PayloadSchema):
    line_id = Id(attribute="id")
    part_number = fields.String()
    description = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = Money()
    amount = Money()
    approval = fields.String()
    reservation_id = Id(allow_none=True)
    reservation_status = fields.String(allow_none=True, metadata={
        "description": "reserved, or backordered: waits for stock and is reserved as it arrives."})


class StatusChangeView(PayloadSchema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    at = fields.DateTime()
    by = fields.String()


class RepairOrderView(PayloadSchema):
    repair_order_id = Id(attribute="id")
    site_id = fields.String()
    visit_id = Id()
    customer_id = Id()
    vehicle_id = Id()
    concern = fields.String()
    promised_at = fields.DateTime()
    status = fields.String()
    technician_id = Id(allow_none=True)
    labour_lines = fields.List(fields.Nested(LabourLineView))
    part_lines = fields.List(fields.Nested(PartLineView))
    labour_total = Money(metadata={"description": "Approved labour lines."})
    parts_total = Money(metadata={"description": "Approved part lines."})
    total = Money()
    history = fields.List(fields.Nested(StatusChangeView))
    opened_at = fields.DateTime()


# --- events ---

class RepairOrderOpenedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    concern = fields.String(required=True)
    promised_at = fields.DateTime(required=True)


class RepairOrderApprovedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    status = fields.String(required=True, metadata={"description": "approved, or waiting_for_parts when a part is short."})
    approved_line_ids = fields.List(Id(), required=True)
    declined_line_ids = fields.List(Id(), required=True)
    channel = fields.String(required=True)


class RepairStartedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    technician_id = Id(required=True)
    started_at = fields.DateTime(required=True)


class LabourLineDone(PayloadSchema):
    line_id = Id(required=True)
    operation_code = fields.String(required=True)
    description = fields.String(required=True)
    hours = fields.Decimal(required=True, as_string=True)
    technician_id = Id(required=True, allow_none=True)


class PartLineDone(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    reservation_id = Id(required=True, allow_none=True)


class RepairCompletedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    technician_id = Id(required=True)
    concern = fields.String(required=True)
    completed_at = fields.DateTime(required=True)
    labour_lines = fields.List(fields.Nested(LabourLineDone), required=True)
    part_lines = fields.List(fields.Nested(PartLineDone), required=True)
    labour_total = Money(required=True)
    parts_total = Money(required=True)


class RepairOrderClosedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    vehicle_id = Id(required=True)
    closed_at = fields.DateTime(required=True)
    labour_lines = fields.List(fields.Nested(LabourLineDone), required=True)
    labour_hours_sold = fields.Decimal(required=True, as_string=True)


class RepairOrderStatusChangedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    vehicle_id = Id(required=True)
    from_status = fields.String(required=True, allow_none=True)
    to_status = fields.String(required=True)
    by = fields.String(required=True)
    reason = fields.String(required=True, allow_none=True)
    at = fields.DateTime(required=True)
    promised_at = fields.DateTime(required=True)


REPAIR_ORDER_OPENED = EventContract(
    SOURCE, "repair_order_opened", 1, RepairOrderOpenedPayload,
    "A repair order was opened for a checked-in vehicle.")
REPAIR_ORDER_APPROVED = EventContract(
    SOURCE, "repair_order_approved", 1, RepairOrderApprovedPayload,
    "The customer approved (and possibly declined) quote lines; approved parts were reserved.")
REPAIR_STARTED = EventContract(
    SOURCE, "repair_started", 1, RepairStartedPayload,
    "A technician started work on the repair order.")
REPAIR_COMPLETED = EventContract(
    SOURCE, "repair_completed", 1, RepairCompletedPayload,
    "The technician finished the job: the handover to quality for the final inspection. "
    "Parts issues the reserved parts.")
REPAIR_ORDER_CLOSED = EventContract(
    SOURCE, "repair_order_closed", 1, RepairOrderClosedPayload,
    "The vehicle was delivered and the repair order closed; its labour is credited to the technicians.")

REPAIR_ORDER_STATUS_CHANGED = EventContract(
    SOURCE, "repair_order_status_changed", 1, RepairOrderStatusChangedPayload,
    "A repair order moved from one state to another (who, when, why): what the progress board and the "
    "customer's updates follow.")

EVENTS = [REPAIR_ORDER_STATUS_CHANGED, REPAIR_ORDER_OPENED, REPAIR_ORDER_APPROVED, REPAIR_STARTED, REPAIR_COMPLETED, REPAIR_ORDER_CLOSED]
