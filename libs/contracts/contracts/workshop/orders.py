"""workshop: repair orders from opening to completion (manual 2.2, 4.1-4.3)."""
from marshmallow import fields, validate

from contracts.fields import Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from contracts.workshop.common import PAY_TYPE_HELP, SOURCE
from contracts.workshop.diagnosis import FindingView
from contracts.workshop.progress import ReworkItemView
from contracts.workshop.quoting import PayTypeTotals, SubletLineView
from svckit.events import EventContract

# --- RPC inputs ---

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
    pay_type = fields.String(metadata={"description": PAY_TYPE_HELP})
    skill_code = fields.String(allow_none=True, metadata={
        "description": "Skill or certificate a technician needs to be given this line (e.g. HV_EV)."})
    technician_id = Id(allow_none=True, metadata={"description": "Who the line is dispatched to."})
    bay_id = Id(allow_none=True, metadata={"description": "Where it is worked on."})
    clocked_hours = fields.Decimal(as_string=True, metadata={
        "description": "Hours technicians clocked on this line, first work and rework together."})
    rework_hours = fields.Decimal(as_string=True, metadata={
        "description": "Of the clocked hours, those spent on rework after a failed inspection."})


class PartLineView(PayloadSchema):
    line_id = Id(attribute="id")
    part_number = fields.String()
    description = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = Money()
    amount = Money()
    approval = fields.String()
    pay_type = fields.String(metadata={"description": PAY_TYPE_HELP})
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
    plate = fields.String()
    vin = fields.String()
    mileage_km = fields.Integer()
    concern = fields.String()
    promised_at = fields.DateTime()
    status = fields.String()
    technician_id = Id(allow_none=True)
    comeback_of = Id(allow_none=True, metadata={
        "description": "The earlier repair order of the same vehicle and concern within 30 days this one repeats."})
    labour_lines = fields.List(fields.Nested(LabourLineView))
    part_lines = fields.List(fields.Nested(PartLineView))
    sublet_lines = fields.List(fields.Nested(SubletLineView), metadata={
        "description": "Work sent out (外协), sold on this order."})
    labour_total = Money(metadata={"description": "Approved labour lines."})
    parts_total = Money(metadata={"description": "Approved part lines."})
    sublet_total = Money(metadata={"description": "Approved sublet lines."})
    total = Money(metadata={"description": "Every approved line, whoever pays for it."})
    totals_by_pay_type = fields.Nested(PayTypeTotals, metadata={
        "description": "Approved lines by who pays: warranty is the maker's claim, internal and goodwill the "
                       "dealer's cost."})
    customer_total = Money(metadata={"description": "What the customer pays: approved customer-pay lines only."})
    findings = fields.List(fields.Nested(FindingView), metadata={"description": "The diagnosis, per concern."})
    history = fields.List(fields.Nested(StatusChangeView))
    rework_items = fields.List(fields.Nested(ReworkItemView), metadata={
        "description": "Items of failed final inspections that sent the order back for rework, oldest first."})
    opened_at = fields.DateTime()


# --- events ---

class RepairOrderOpenedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    concern = fields.String(required=True)
    promised_at = fields.DateTime(required=True)


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

EVENTS = [REPAIR_ORDER_STATUS_CHANGED, REPAIR_ORDER_OPENED, REPAIR_STARTED, REPAIR_COMPLETED, REPAIR_ORDER_CLOSED]
