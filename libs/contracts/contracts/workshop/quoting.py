"""workshop quoting: the operation catalogue, canned jobs, the lines of a repair order and the customer's answer."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, StrictSchema
from contracts.parts import PartNumber
from contracts.workshop.common import OPERATION_CODE, PAY_TYPE_HELP, PAY_TYPES, SKILL_CODE, SOURCE
from svckit.events import EventContract

APPROVAL_CHANNELS = ["in_person", "phone", "tracking_link"]
LINE_KINDS = ["labour", "part", "sublet"]
MODEL_HELP = "Vehicle model (e.g. Passat 380TSI); an entry for the car's model wins over the generic one."


def StandardHours(**kwargs):
    return Amount("0.1", "200", **kwargs)


def Model(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=60), **kwargs)


def PayType(**kwargs):
    return fields.String(validate=validate.OneOf(PAY_TYPES), metadata={"description": PAY_TYPE_HELP}, **kwargs)


# --- RPC inputs: the operation catalogue (labour time guide) ---

class NewOperation(StrictSchema):
    code = fields.String(required=True, validate=OPERATION_CODE)
    description = fields.String(required=True, validate=validate.Length(min=1, max=200))
    standard_hours = StandardHours(required=True)
    skill_code = fields.String(load_default=None, allow_none=True, validate=SKILL_CODE, metadata={
        "description": "Skill or certificate a technician needs for this work (e.g. HV_EV)."})
    model = Model(load_default=None, allow_none=True, metadata={
        "description": "Only for this vehicle model; the generic entry of the code when omitted. " + MODEL_HELP})
    active = fields.Boolean(load_default=True)


class OperationChanges(StrictSchema):
    description = fields.String(validate=validate.Length(min=1, max=200))
    standard_hours = StandardHours()
    skill_code = fields.String(allow_none=True, validate=SKILL_CODE)
    active = fields.Boolean()

    @validates_schema
    def _something_changes(self, data, **kwargs):
        if not data:
            raise ValidationError("Name at least one of description, standard_hours, skill_code, active.", "_schema")


class OperationQuery(StrictSchema):
    code_prefix = fields.String(load_default=None, validate=validate.Length(min=1, max=20))
    text = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                         metadata={"description": "The code or the description contains this."})
    model = Model(load_default=None, metadata={
        "description": "Entries for this model and the generic ones."})
    include_inactive = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


# --- RPC inputs: canned jobs (套餐) ---

class CannedJobOperationInput(StrictSchema):
    operation_code = fields.String(required=True, validate=OPERATION_CODE)
    hours = StandardHours(load_default=None, allow_none=True, metadata={
        "description": "Hours sold for it in this job; the catalogue's standard hours when omitted."})


class CannedJobPartInput(StrictSchema):
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)


class NewCannedJob(StrictSchema):
    code = fields.String(required=True, validate=OPERATION_CODE, metadata={
        "description": "Unique in the group, e.g. S40K-PASSAT."})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    model = Model(load_default=None, allow_none=True, metadata={
        "description": "The model it is for; its operations take that model's catalogue entries."})
    operations = fields.List(fields.Nested(CannedJobOperationInput), load_default=list)
    parts = fields.List(fields.Nested(CannedJobPartInput), load_default=list)

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data.get("operations") and not data.get("parts"):
            raise ValidationError("A canned job needs at least one operation or part.", "operations")


class CannedJobQuery(StrictSchema):
    model = Model(load_default=None, metadata={"description": "Jobs for this model and those for any model."})
    code_prefix = fields.String(load_default=None, validate=validate.Length(min=1, max=20))


class CannedJobApplication(StrictSchema):
    canned_job_code = fields.String(required=True, validate=OPERATION_CODE)
    pay_type = PayType(load_default="customer")


# --- RPC inputs: lines of a repair order ---

class LabourLineInput(StrictSchema):
    operation_code = fields.String(required=True, validate=OPERATION_CODE, metadata={
        "description": "From the operation catalogue: fills description, hours and skill. A code not in the "
                       "catalogue is ad-hoc work and needs description and hours."})
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200),
                                metadata={"description": "The catalogue's when omitted."})
    hours = StandardHours(load_default=None, allow_none=True, metadata={
        "description": "Standard hours sold for the operation; the catalogue's when omitted."})
    rate = Money(load_default=None, allow_none=True,
                 metadata={"description": "Labour rate per hour; the site's rate when omitted."})
    pay_type = PayType(load_default="customer")
    model = Model(load_default=None, allow_none=True, metadata={
        "description": "The car's model, to take the catalogue entry for it (the repair order does not know "
                       "it); the generic entry when omitted."})
    skill_code = fields.String(load_default=None, allow_none=True, validate=SKILL_CODE, metadata={
        "description": "Skill needed for ad-hoc work; a catalogue operation's own skill always applies."})


class PartLineInput(StrictSchema):
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)
    pay_type = PayType(load_default="customer")


class SubletLineInput(StrictSchema):
    vendor = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata={"description": "Who does the work outside (外协), e.g. a glass shop."})
    description = fields.String(required=True, validate=validate.Length(min=1, max=200))
    cost = Money(required=True, metadata={"description": "What the vendor charges the dealer."})
    price = Money(required=True, metadata={"description": "What the line is sold for."})
    pay_type = PayType(load_default="customer")


class Approval(StrictSchema):
    approved_line_ids = fields.List(Id(), load_default=None, metadata={
        "description": "Lines (labour, part or sublet) the customer approves; every pending line not declined "
                       "when omitted."})
    declined_line_ids = fields.List(Id(), load_default=list, metadata={
        "description": "Lines the customer declines: kept on the order as recommendations."})
    channel = fields.String(load_default="in_person", validate=validate.OneOf(APPROVAL_CHANNELS))


# --- RPC answers ---

class OperationView(PayloadSchema):
    operation_id = Id(attribute="id")
    code = fields.String()
    description = fields.String()
    standard_hours = fields.Decimal(as_string=True)
    skill_code = fields.String(allow_none=True)
    model = fields.String(allow_none=True, metadata={"description": "null: the generic entry of the code."})
    active = fields.Boolean()


class CannedJobOperationView(PayloadSchema):
    operation_code = fields.String()
    hours = fields.Decimal(as_string=True, allow_none=True)


class CannedJobPartView(PayloadSchema):
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True)


class CannedJobView(PayloadSchema):
    canned_job_id = Id(attribute="id")
    code = fields.String()
    name = fields.String()
    model = fields.String(allow_none=True)
    active = fields.Boolean()
    operations = fields.List(fields.Nested(CannedJobOperationView))
    parts = fields.List(fields.Nested(CannedJobPartView))


class SubletLineView(PayloadSchema):
    line_id = Id(attribute="id")
    vendor = fields.String()
    description = fields.String()
    cost = Money()
    price = Money()
    amount = Money()
    approval = fields.String(metadata={"description": "pending, approved or declined."})
    pay_type = fields.String(metadata={"description": PAY_TYPE_HELP})


class PayTypeTotals(PayloadSchema):
    customer = Money()
    warranty = Money()
    internal = Money()
    goodwill = Money()


# --- events ---

class RepairOrderApprovedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    status = fields.String(required=True, metadata={"description": "approved, or waiting_for_parts when a part is short."})
    approved_line_ids = fields.List(Id(), required=True)
    declined_line_ids = fields.List(Id(), required=True)
    channel = fields.String(required=True)


class DeclinedLine(PayloadSchema):
    line_id = Id(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(LINE_KINDS))
    code = fields.String(required=True, allow_none=True, metadata={
        "description": "Operation code of a labour line, part number of a part line, null for sublet work."})
    description = fields.String(required=True)
    amount = Money(required=True)
    pay_type = fields.String(required=True)


class WorkDeclinedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    mileage_km = fields.Integer(required=True)
    declined_at = fields.DateTime(required=True)
    lines = fields.List(fields.Nested(DeclinedLine), required=True)


REPAIR_ORDER_APPROVED = EventContract(
    SOURCE, "repair_order_approved", 1, RepairOrderApprovedPayload,
    "The customer approved (and possibly declined) quote lines; approved parts were reserved.")
WORK_DECLINED = EventContract(
    SOURCE, "work_declined", 1, WorkDeclinedPayload,
    "The customer declined quoted work; the lines stay on the order as recommendations and crm reminds the "
    "customer later.")

EVENTS = [REPAIR_ORDER_APPROVED, WORK_DECLINED]
