"""training: staff, their roles and grades, certificates, and credit for completed work (manual ch. 8)."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.workshop.common import SKILL_CODE
from svckit.events import EventContract

SOURCE = "training"

ROLES = ["service_advisor", "technician", "foreman", "parts_clerk", "qc_inspector",
         "customer_care", "trainer", "site_manager", "group_manager"]
TECHNICIAN_GRADES = ["apprentice", "junior", "intermediate", "senior", "master"]

SKILLS = {
    "HV_EV": "high-voltage work on electric vehicles",
    "AC_REFRIGERANT": "handling air-conditioning refrigerant",
    "ALIGNMENT": "wheel alignment",
    "BRAND_L2": "the brand's level-2 technician qualification",
}
"""Skill codes the platform knows a description of; any code of the SKILL_CODE pattern may be certified."""

CERTIFICATE_STATUSES = ["valid", "not_yet_valid", "expired", "revoked"]
CERTIFICATE_STATUS_HELP = ("valid; not_yet_valid (issued_on is later); expired (the day is after expires_on); "
                           "revoked. Only a valid certificate qualifies its holder.")


# --- RPC inputs ---

class NewStaff(StrictSchema):
    site_id = SiteId(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    grade = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TECHNICIAN_GRADES))


class StaffQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))


class NewCertificate(StrictSchema):
    """A certificate (上岗证/资质) a staff member holds: it qualifies them for work needing its skill_code."""
    skill_code = fields.String(required=True, validate=SKILL_CODE, metadata={
        "description": "The skill it certifies, e.g. HV_EV (high-voltage work on electric vehicles)."})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    number = fields.String(required=True, validate=validate.Length(min=1, max=60),
                           metadata={"description": "The certificate's number as printed on it."})
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Last day it is valid (inclusive); null: it never expires."})

    @validates_schema
    def expires_after_issue(self, data, **kwargs):
        if data.get("expires_on") is not None and data["expires_on"] < data["issued_on"]:
            raise ValidationError("Must not be before issued_on.", field_name="expires_on")


class Revocation(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500),
                           metadata={"description": "Why the certificate no longer counts."})


class QualificationQuery(StrictSchema):
    on_day = fields.Date(load_default=None, metadata={"description": "The day asked about; today when omitted."})


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


class CertificateView(PayloadSchema):
    certificate_id = Id(attribute="id")
    staff_id = Id()
    skill_code = fields.String()
    skill = fields.String(allow_none=True, metadata={"description": "What the skill code means, when known."})
    name = fields.String()
    number = fields.String()
    issued_on = fields.Date()
    expires_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "Today: " + CERTIFICATE_STATUS_HELP})
    granted_by = fields.String()
    granted_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = fields.String(allow_none=True)
    revoked_reason = fields.String(allow_none=True)


class LapsedCertificateView(PayloadSchema):
    certificate_id = Id(attribute="id")
    skill_code = fields.String()
    number = fields.String()
    status = fields.String(metadata={"description": CERTIFICATE_STATUS_HELP})
    issued_on = fields.Date()
    expires_on = fields.Date(allow_none=True)


class QualificationsView(PayloadSchema):
    """What a staff member is qualified for on one day: the skill codes of their valid certificates."""
    staff_id = Id()
    name = fields.String()
    on_day = fields.Date()
    skill_codes = fields.List(fields.String(), metadata={
        "description": "Skill codes of the certificates valid on on_day (neither expired, revoked nor not yet issued)."})
    lapsed = fields.List(fields.Nested(LapsedCertificateView), metadata={
        "description": "Certificates held that do not count on on_day, with why: what a refusal can name."})


# --- events ---

class TechnicianJobCreditedPayload(PayloadSchema):
    staff_id = Id(required=True)
    repair_order_id = Id(required=True)
    hours = fields.Decimal(required=True, as_string=True)
    credited_at = fields.DateTime(required=True)


TECHNICIAN_JOB_CREDITED = EventContract(
    SOURCE, "technician_job_credited", 1, TechnicianJobCreditedPayload,
    "Labour hours of a closed repair order were credited to the technician who did them.")

class CertificateGrantedPayload(PayloadSchema):
    certificate_id = Id(required=True)
    staff_id = Id(required=True)
    skill_code = fields.String(required=True)
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    expires_on = fields.Date(required=True, allow_none=True)


class CertificateRevokedPayload(PayloadSchema):
    certificate_id = Id(required=True)
    staff_id = Id(required=True)
    skill_code = fields.String(required=True)
    reason = fields.String(required=True)
    revoked_at = fields.DateTime(required=True)


CERTIFICATE_GRANTED = EventContract(
    SOURCE, "certificate_granted", 1, CertificateGrantedPayload,
    "A staff member was granted a certificate (上岗证/资质); it qualifies them for work needing its skill.")
CERTIFICATE_REVOKED = EventContract(
    SOURCE, "certificate_revoked", 1, CertificateRevokedPayload,
    "A certificate was revoked: it no longer qualifies its holder.")

EVENTS = [TECHNICIAN_JOB_CREDITED, CERTIFICATE_GRANTED, CERTIFICATE_REVOKED]
