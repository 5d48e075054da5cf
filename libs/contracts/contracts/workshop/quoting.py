"""workshop quoting: the lines of a repair order and the customer's answer to them."""
from marshmallow import fields, validate

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, StrictSchema
from contracts.parts import PartNumber
from contracts.workshop.common import OPERATION_CODE, SOURCE
from svckit.events import EventContract

APPROVAL_CHANNELS = ["in_person", "phone", "tracking_link"]


# --- RPC inputs ---

class LabourLineInput(StrictSchema):
    operation_code = fields.String(required=True, validate=OPERATION_CODE)
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



# --- events ---

class RepairOrderApprovedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    status = fields.String(required=True, metadata={"description": "approved, or waiting_for_parts when a part is short."})
    approved_line_ids = fields.List(Id(), required=True)
    declined_line_ids = fields.List(Id(), required=True)
    channel = fields.String(required=True)


REPAIR_ORDER_APPROVED = EventContract(
    SOURCE, "repair_order_approved", 1, RepairOrderApprovedPayload,
    "The customer approved (and possibly declined) quote lines; approved parts were reserved.")

EVENTS = [REPAIR_ORDER_APPROVED]
