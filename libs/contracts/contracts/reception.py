"""reception: the service advisor's desk, check-in and delivery (manual 2.1, 4.1.1, 4.1.5)."""
from marshmallow import fields, validate

from contracts.fields import Id, Money, PayloadSchema, SiteId, StrictSchema
from svckit.events import EventContract

SOURCE = "reception"


# --- RPC inputs ---

class CheckIn(StrictSchema):
    site_id = SiteId(required=True)
    vehicle_id = Id(required=True)
    mileage_km = fields.Integer(required=True, validate=validate.Range(min=0, max=2_000_000))
    concern = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                            metadata={"description": "The customer's concern in their own words."})
    walk_around_notes = fields.String(load_default="", validate=validate.Length(max=4000))
    promised_at = fields.AwareDateTime(required=True, metadata={"description": "When the car is promised back."})


class Delivery(StrictSchema):
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class VisitQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(
        ["checked_in", "ready_for_delivery", "delivered"]))


# --- RPC answers ---

class VisitView(PayloadSchema):
    visit_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    vin = fields.String()
    plate = fields.String()
    mileage_km = fields.Integer()
    concern = fields.String()
    walk_around_notes = fields.String()
    promised_at = fields.DateTime()
    checked_in_at = fields.DateTime()
    advisor = fields.String()
    status = fields.String(metadata={"description": "checked_in, ready_for_delivery or delivered."})
    repair_order_id = Id(allow_none=True)
    ready_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    promised_time_kept = fields.Boolean(allow_none=True)
    labour_total = Money(allow_none=True)
    parts_total = Money(allow_none=True)
    total = Money(allow_none=True)
    currency = fields.String()
    delivery_notes = fields.String()


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


VEHICLE_CHECKED_IN = EventContract(
    SOURCE, "vehicle_checked_in", 1, VehicleCheckedInPayload,
    "A vehicle was received at the service desk: a visit began. The workshop opens a repair order.")
VEHICLE_DELIVERED = EventContract(
    SOURCE, "vehicle_delivered", 1, VehicleDeliveredPayload,
    "The car was handed back to the customer with the work and the bill explained.")

EVENTS = [VEHICLE_CHECKED_IN, VEHICLE_DELIVERED]
