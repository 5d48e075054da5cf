"""reception check-in (接车): the car is received at the desk and a visit begins (manual 4.1.1)."""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.reception.common import SOURCE
from svckit.events import EventContract


# --- RPC inputs ---

class CheckIn(StrictSchema):
    site_id = SiteId(required=True)
    vehicle_id = Id(required=True)
    mileage_km = fields.Integer(required=True, validate=validate.Range(min=0, max=2_000_000))
    concern = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                            metadata={"description": "The customer's concern in their own words."})
    walk_around_notes = fields.String(load_default="", validate=validate.Length(max=4000))
    promised_at = fields.AwareDateTime(required=True, metadata={"description": "When the car is promised back."})
    appointment_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The appointment the customer came for, if any: it is marked arrived."})


# --- events ---

class VehicleCheckedInPayload(PayloadSchema):
    visit_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    vin = fields.String(required=True)
    plate = fields.String(required=True)
    mileage_km = fields.Integer(required=True)
    concern = fields.String(required=True)
    walk_around_notes = fields.String(required=True)
    promised_at = fields.DateTime(required=True)
    checked_in_at = fields.DateTime(required=True)
    advisor = fields.String(required=True)


VEHICLE_CHECKED_IN = EventContract(
    SOURCE, "vehicle_checked_in", 1, VehicleCheckedInPayload,
    "A vehicle was received at the service desk: a visit began. The workshop opens a repair order.")

EVENTS = [VEHICLE_CHECKED_IN]
