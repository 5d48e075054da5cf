"""quality: the final inspection before delivery (manual 4.2, ch. 6)."""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from svckit.events import EventContract

SOURCE = "quality"


# --- RPC inputs ---

class ChecklistItemResult(StrictSchema):
    item = fields.String(required=True, validate=validate.Length(min=1, max=100))
    passed = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class InspectionResult(StrictSchema):
    items = fields.List(fields.Nested(ChecklistItemResult), required=True, validate=validate.Length(min=1))
    remarks = fields.String(load_default="", validate=validate.Length(max=2000))


class InspectionQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    repair_order_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["pending", "passed", "failed"]))


# --- RPC answers ---

class ChecklistItemView(PayloadSchema):
    item = fields.String()
    passed = fields.Boolean(allow_none=True)
    note = fields.String()


class InspectionView(PayloadSchema):
    inspection_id = Id(attribute="id")
    site_id = fields.String()
    repair_order_id = Id()
    visit_id = Id()
    vehicle_id = Id()
    technician_id = Id(allow_none=True)
    status = fields.String(metadata={"description": "pending, passed or failed."})
    checklist = fields.List(fields.Nested(ChecklistItemView))
    remarks = fields.String()
    inspector = fields.String(allow_none=True)
    inspected_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


# --- events ---

class FailedItem(PayloadSchema):
    item = fields.String(required=True)
    note = fields.String(required=True)


class InspectionPassedPayload(PayloadSchema):
    inspection_id = Id(required=True)
    repair_order_id = Id(required=True)
    visit_id = Id(required=True)
    vehicle_id = Id(required=True)
    inspector = fields.String(required=True)
    inspected_at = fields.DateTime(required=True)


class InspectionFailedPayload(InspectionPassedPayload):
    failed_items = fields.List(fields.Nested(FailedItem), required=True)


INSPECTION_PASSED = EventContract(
    SOURCE, "inspection_passed", 1, InspectionPassedPayload,
    "The final inspection passed: the car may be delivered.")
INSPECTION_FAILED = EventContract(
    SOURCE, "inspection_failed", 1, InspectionFailedPayload,
    "The final inspection failed: the repair order goes back to the workshop for rework.")

EVENTS = [INSPECTION_PASSED, INSPECTION_FAILED]
