"""reception visits: one stay of a car at a site, as the desk sees it."""
from marshmallow import fields, validate

from contracts.fields import Id, Money, PayloadSchema, SiteId, StrictSchema


# --- RPC inputs ---

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


EVENTS = []
