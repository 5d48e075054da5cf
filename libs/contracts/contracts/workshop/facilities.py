"""workshop facilities: bays and equipment, their maintenance, and the capacity they give (manual ch. 9)."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.workshop.common import SOURCE
from svckit.events import EventContract

BAY_KINDS = ["general", "quick_service", "body", "paint", "ev", "alignment", "wash"]
EQUIPMENT_KINDS = ["lift", "diagnostic_tool", "alignment_rig", "tyre_changer", "wheel_balancer", "ac_station",
                   "ev_charger", "brake_tester", "other"]
FILE_CATEGORIES = ["manual", "inspection_certificate", "photo", "other"]
FILE_CONTENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]
ASSET_NUMBER = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9\-_/.]{0,39}$",
                               error="Must be 1-40 letters, digits, '-', '_', '/' or '.'.")

OUT_OF_SERVICE_HELP = (
    "Why it is out of service: bay_inactive, fault (an open fault reported as out of service), maintenance "
    "(a scheduled maintenance window) or calibration_expired (past its calibration due date); a bay is out "
    "when it is inactive or any equipment in it is out (equipment_id names which).")


# --- RPC inputs ---

class NewBay(StrictSchema):
    site_id = SiteId(required=True)
    code = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z0-9][A-Z0-9\-]{0,19}$", error="Must be 1-20 upper-case letters, digits or '-'."))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(load_default="general", validate=validate.OneOf(BAY_KINDS))


class BayQuery(StrictSchema):
    site_id = SiteId(load_default=None)


class NewEquipment(StrictSchema):
    site_id = SiteId(required=True)
    bay_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The bay it stands in (a lift); none for portable equipment (a scan tool). Equipment out "
                       "of service takes its bay out of service."})
    kind = fields.String(required=True, validate=validate.OneOf(EQUIPMENT_KINDS))
    asset_number = fields.String(required=True, validate=ASSET_NUMBER, metadata={"description": "Unique per site."})
    make = fields.String(load_default="", validate=validate.Length(max=100))
    model = fields.String(load_default="", validate=validate.Length(max=100))
    serial = fields.String(load_default="", validate=validate.Length(max=100))
    commissioned_on = fields.Date(load_default=None, allow_none=True)
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    calibration_required = fields.Boolean(load_default=False, metadata={
        "description": "A tool that must be calibrated (alignment rig, brake tester...): out of service after "
                       "calibration_due_on until calibrated again."})
    calibration_due_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Last day the current calibration is valid; required when calibration_required."})

    @validates_schema(skip_on_field_errors=False)
    def _calibration_date_given(self, data, **kwargs):
        if data.get("calibration_required") and data.get("calibration_due_on") is None:
            raise ValidationError("Required for equipment that needs calibration.", "calibration_due_on")


class EquipmentQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    bay_id = Id(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(EQUIPMENT_KINDS))


class EquipmentFileUpload(StrictSchema):
    """The file as the gateway passes an upload on (raw body, base64 on the wire)."""
    filename = fields.String(load_default="", validate=validate.Length(max=255))
    content_type = fields.String(required=True, validate=validate.OneOf(FILE_CONTENT_TYPES))
    content_base64 = fields.String(required=True, validate=validate.Length(min=1))
    category = fields.String(load_default="other", validate=validate.OneOf(FILE_CATEGORIES))


class EquipmentFileQuery(StrictSchema):
    category = fields.String(load_default=None, validate=validate.OneOf(FILE_CATEGORIES), metadata={
        "description": "manual, inspection_certificate, photo or other (the default)."})


class MaintenancePlanInput(StrictSchema):
    interval_days = fields.Integer(required=True, validate=validate.Range(min=1, max=3650))
    tasks = fields.String(required=True, validate=validate.Length(min=3, max=2000), metadata={
        "description": "What to do each time (检查液压、钢丝绳、安全锁...)."})
    next_due_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "First due date; by default interval_days from today."})


class MaintenanceWindowInput(StrictSchema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    reason = fields.String(load_default="Preventive maintenance", validate=validate.Length(min=3, max=500))

    @validates_schema(skip_on_field_errors=False)
    def _ends_after_start(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("Must be after starts_at.", "ends_at")


class MaintenanceDone(StrictSchema):
    done_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "By default today."})
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class FaultReport(StrictSchema):
    description = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    out_of_service = fields.Boolean(required=True, metadata={
        "description": "Whether the equipment may not be used until repaired (its bay is then out too)."})


class RepairRecord(StrictSchema):
    repair_notes = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class CalibrationRecord(StrictSchema):
    calibrated_on = fields.Date(required=True)
    certificate_number = fields.String(required=True, validate=validate.Length(min=1, max=60))
    next_due_on = fields.Date(required=True, metadata={"description": "Last day this calibration is valid."})
    notes = fields.String(load_default="", validate=validate.Length(max=2000))

    @validates_schema(skip_on_field_errors=False)
    def _due_after_calibration(self, data, **kwargs):
        if "calibrated_on" in data and "next_due_on" in data and data["next_due_on"] <= data["calibrated_on"]:
            raise ValidationError("Must be after calibrated_on.", "next_due_on")


class AvailabilityQuery(StrictSchema):
    at = fields.AwareDateTime(load_default=None, metadata={"description": "A moment; by default now."})
    date = fields.Date(load_default=None, metadata={
        "description": "A day instead of a moment: out if out at any time of that day's opening hours."})

    @validates_schema(skip_on_field_errors=False)
    def _moment_or_day(self, data, **kwargs):
        if data.get("at") is not None and data.get("date") is not None:
            raise ValidationError("Give either at or date, not both.", "date")


class CapacityQuery(StrictSchema):
    site_id = SiteId(required=True)
    date = fields.Date(required=True)


class SiteRef(StrictSchema):
    site_id = SiteId(required=True)


class SiteSettingsInput(StrictSchema):
    hours_per_day = fields.Decimal(required=True, as_string=True, places=2, validate=validate.Range(
        min=0, max=24, min_inclusive=False), metadata={"description": "Productive hours of one bay in one day."})


# --- RPC answers ---

class BayView(PayloadSchema):
    bay_id = Id(attribute="id")
    site_id = fields.String()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    active = fields.Boolean()


class OutOfServiceReason(PayloadSchema):
    reason = fields.String(metadata={"description": OUT_OF_SERVICE_HELP})
    detail = fields.String()
    equipment_id = Id(allow_none=True)
    until = fields.DateTime(allow_none=True, metadata={"description": "When it ends, if known."})


class AvailabilityView(PayloadSchema):
    in_service = fields.Boolean()
    reasons = fields.List(fields.Nested(OutOfServiceReason))


class EquipmentView(PayloadSchema):
    equipment_id = Id(attribute="id")
    site_id = fields.String()
    bay_id = Id(allow_none=True)
    kind = fields.String()
    asset_number = fields.String()
    make = fields.String()
    model = fields.String()
    serial = fields.String()
    commissioned_on = fields.Date(allow_none=True)
    notes = fields.String()
    calibration_required = fields.Boolean()
    calibration_due_on = fields.Date(allow_none=True)
    maintenance_due_on = fields.Date(allow_none=True, metadata={"description": "Next due date of its plan."})
    availability = fields.Nested(AvailabilityView, metadata={"description": "Now."})
    created_at = fields.DateTime()


class EquipmentFileView(PayloadSchema):
    file_id = Id(attribute="id")
    equipment_id = Id()
    category = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class EquipmentFileContent(EquipmentFileView):
    content_base64 = fields.String()


class MaintenancePlanView(PayloadSchema):
    interval_days = fields.Integer()
    tasks = fields.String()
    next_due_on = fields.Date()


class MaintenanceWindowView(PayloadSchema):
    window_id = Id(attribute="id")
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    reason = fields.String()
    scheduled_by = fields.String()
    cancelled_at = fields.DateTime(allow_none=True)


class MaintenanceRecordView(PayloadSchema):
    record_id = Id(attribute="id")
    done_on = fields.Date()
    done_by = fields.String()
    notes = fields.String()
    recorded_at = fields.DateTime()


class MaintenanceView(PayloadSchema):
    equipment_id = Id()
    plan = fields.Nested(MaintenancePlanView, allow_none=True)
    windows = fields.List(fields.Nested(MaintenanceWindowView))
    records = fields.List(fields.Nested(MaintenanceRecordView))


class FaultView(PayloadSchema):
    fault_id = Id(attribute="id")
    equipment_id = Id()
    description = fields.String()
    out_of_service = fields.Boolean()
    reported_by = fields.String()
    reported_at = fields.DateTime()
    repaired_by = fields.String(allow_none=True)
    repaired_at = fields.DateTime(allow_none=True)
    repair_notes = fields.String(allow_none=True)
    open = fields.Boolean()


class CalibrationView(PayloadSchema):
    calibration_id = Id(attribute="id")
    equipment_id = Id()
    calibrated_on = fields.Date()
    certificate_number = fields.String()
    next_due_on = fields.Date()
    notes = fields.String()
    recorded_by = fields.String()
    recorded_at = fields.DateTime()


class BayOutView(PayloadSchema):
    bay_id = Id()
    code = fields.String()
    reasons = fields.List(fields.Nested(OutOfServiceReason))


class CapacityView(PayloadSchema):
    """A site's bookable workshop hours on one day.

    capacity_hours = min(bays_in_service, technicians_available) × hours_per_day;
    committed_hours = standard hours still to do (approved or pending labour lines, less the hours already
    clocked) of the open repair orders promised that day;
    free_hours = max(capacity_hours − committed_hours, 0).
    A bay is out for the day if it is out of service at any moment of the site's opening hours that day
    (an inactive bay, an open out-of-service fault of its equipment, a maintenance window overlapping them,
    or a calibration expired before or on that day).
    """
    site_id = fields.String()
    date = fields.Date()
    bays_total = fields.Integer()
    bays_in_service = fields.Integer()
    bays_out = fields.List(fields.Nested(BayOutView), metadata={"description": "Each bay out that day and why."})
    technicians_available = fields.Integer(metadata={"description": "Active technicians of the site."})
    hours_per_day = fields.Decimal(as_string=True)
    capacity_hours = fields.Decimal(as_string=True)
    committed_hours = fields.Decimal(as_string=True)
    free_hours = fields.Decimal(as_string=True)


class SiteSettingsView(PayloadSchema):
    site_id = fields.String()
    hours_per_day = fields.Decimal(as_string=True)
    configured = fields.Boolean(metadata={"description": "False: the platform default applies."})


# --- events ---

class EquipmentDuePayload(PayloadSchema):
    equipment_id = Id(required=True)
    bay_id = Id(required=True, allow_none=True)
    kind = fields.String(required=True)
    asset_number = fields.String(required=True)
    due_on = fields.Date(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "Negative when already overdue."})
    tasks = fields.String(required=True, allow_none=True)


class EquipmentServicePayload(PayloadSchema):
    equipment_id = Id(required=True)
    bay_id = Id(required=True, allow_none=True)
    kind = fields.String(required=True)
    asset_number = fields.String(required=True)
    at = fields.DateTime(required=True)
    by = fields.String(required=True)
    fault_id = Id(required=True, allow_none=True)
    reasons = fields.List(fields.Nested(OutOfServiceReason), required=True, metadata={
        "description": "Why it is out (empty when back in service)."})


EQUIPMENT_MAINTENANCE_DUE = EventContract(
    SOURCE, "equipment_maintenance_due", 1, EquipmentDuePayload,
    "Preventive maintenance of a piece of equipment is due within the alert window (once per due date).")
EQUIPMENT_CALIBRATION_DUE = EventContract(
    SOURCE, "equipment_calibration_due", 1, EquipmentDuePayload,
    "A tool's calibration runs out within the alert window (once per due date); after it the tool is out "
    "of service until calibrated again.")
EQUIPMENT_OUT_OF_SERVICE = EventContract(
    SOURCE, "equipment_out_of_service", 1, EquipmentServicePayload,
    "A piece of equipment (and with it its bay) went out of service through what was recorded: a fault "
    "reported as out of service. Scheduled maintenance windows are known ahead and show in availability and "
    "capacity instead.")
EQUIPMENT_BACK_IN_SERVICE = EventContract(
    SOURCE, "equipment_back_in_service", 1, EquipmentServicePayload,
    "A piece of equipment out of service is in service again through what was recorded: the repair of its last "
    "out-of-service fault, or a new calibration of an expired tool.")

EVENTS = [EQUIPMENT_OUT_OF_SERVICE, EQUIPMENT_BACK_IN_SERVICE, EQUIPMENT_MAINTENANCE_DUE, EQUIPMENT_CALIBRATION_DUE]
