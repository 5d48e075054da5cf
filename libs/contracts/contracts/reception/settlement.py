"""reception delivery and settlement (交车、结算): the bill, payments and the handover (manual 4.1.5)."""
from marshmallow import fields, validate

from contracts.fields import Id, Money, PayloadSchema, StrictSchema
from contracts.reception.common import SOURCE
from svckit.events import EventContract


# --- RPC inputs ---

class Delivery(StrictSchema):
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


# --- events ---

class VehicleDeliveredPayload(PayloadSchema):
    visit_id = Id(required=True)
    repair_order_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    delivered_at = fields.DateTime(required=True)
    promised_at = fields.DateTime(required=True)
    promised_time_kept = fields.Boolean(required=True)
    labour_total = Money(required=True)
    parts_total = Money(required=True)
    total = Money(required=True)
    currency = fields.String(required=True)


VEHICLE_DELIVERED = EventContract(
    SOURCE, "vehicle_delivered", 1, VehicleDeliveredPayload,
    "The car was handed back to the customer with the work and the bill explained.")

EVENTS = [VEHICLE_DELIVERED]
