"""training: staff, their roles and grades, and credit for completed work (manual ch. 8)."""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from svckit.events import EventContract

SOURCE = "training"

ROLES = ["service_advisor", "technician", "foreman", "parts_clerk", "qc_inspector",
         "customer_care", "trainer", "site_manager", "group_manager"]
TECHNICIAN_GRADES = ["apprentice", "junior", "intermediate", "senior", "master"]


# --- RPC inputs ---

class NewStaff(StrictSchema):
    site_id = SiteId(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    grade = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TECHNICIAN_GRADES))


class StaffQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))


# --- RPC answers ---

class StaffView(PayloadSchema):
    staff_id = Id(attribute="id")
    site_id = fields.String()
    name = fields.String()
    role = fields.String()
    grade = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = fields.DateTime()


class JobCreditView(PayloadSchema):
    repair_order_id = Id()
    hours = fields.Decimal(as_string=True)
    credited_at = fields.DateTime()


class JobCreditsView(PayloadSchema):
    staff_id = Id()
    total_hours = fields.Decimal(as_string=True)
    credits = fields.List(fields.Nested(JobCreditView))


# --- events ---

class TechnicianJobCreditedPayload(PayloadSchema):
    staff_id = Id(required=True)
    repair_order_id = Id(required=True)
    hours = fields.Decimal(required=True, as_string=True)
    credited_at = fields.DateTime(required=True)


TECHNICIAN_JOB_CREDITED = EventContract(
    SOURCE, "technician_job_credited", 1, TechnicianJobCreditedPayload,
    "Labour hours of a closed repair order were credited to the technician who did them.")

EVENTS = [TECHNICIAN_JOB_CREDITED]
