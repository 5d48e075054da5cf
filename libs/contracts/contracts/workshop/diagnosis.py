"""workshop diagnosis (诊断): findings per concern, codes read with equipment, notes and photos."""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, StrictSchema

PHOTO_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"]
TROUBLE_CODE = validate.Regexp(
    r"^[PCBU][0-3][0-9A-F]{3}$",
    error="Must be an OBD-II code: P, C, B or U, then 0-3 and three hex digits (e.g. P0301, U0100).")


# --- RPC inputs ---

class DiagnosisStart(StrictSchema):
    technician_id = Id(required=True, metadata={"description": "The technician who diagnoses the car."})


class TroubleCodeInput(StrictSchema):
    code = fields.String(required=True, validate=TROUBLE_CODE)
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))
    equipment = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100),
                              metadata={"description": "The tool that read it, e.g. ODIS, X-431."})


class NewFinding(StrictSchema):
    concern = fields.String(required=True, validate=validate.Length(min=1, max=500),
                            metadata={"description": "The customer's concern this finding answers."})
    finding = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                            metadata={"description": "What the technician found."})
    cause = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000))
    codes = fields.List(fields.Nested(TroubleCodeInput), load_default=list, validate=validate.Length(max=50))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000))


class PhotoUpload(StrictSchema):
    """A photo as the gateway passes an upload on (raw body, base64 on the wire)."""
    filename = fields.String(load_default="", validate=validate.Length(max=255))
    content_type = fields.String(required=True, validate=validate.OneOf(PHOTO_CONTENT_TYPES))
    content_base64 = fields.String(required=True, validate=validate.Length(min=1))


# --- RPC answers ---

class TroubleCodeView(PayloadSchema):
    code = fields.String()
    description = fields.String(allow_none=True)
    equipment = fields.String(allow_none=True)


class PhotoView(PayloadSchema):
    photo_id = Id(attribute="id")
    finding_id = Id()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class PhotoContent(PhotoView):
    content_base64 = fields.String()


class FindingView(PayloadSchema):
    finding_id = Id(attribute="id")
    concern = fields.String()
    finding = fields.String()
    cause = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    codes = fields.List(fields.Nested(TroubleCodeView))
    photos = fields.List(fields.Nested(PhotoView))
    recorded_by = fields.String()
    recorded_at = fields.DateTime()


class DiagnosisSessionView(PayloadSchema):
    technician_id = Id()
    started_by = fields.String()
    started_at = fields.DateTime()
    finished_by = fields.String(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class DiagnosisView(PayloadSchema):
    repair_order_id = Id()
    status = fields.String()
    sessions = fields.List(fields.Nested(DiagnosisSessionView), metadata={
        "description": "Each time the car was diagnosed, by whom (again after the quote is possible)."})
    findings = fields.List(fields.Nested(FindingView))


EVENTS = []
