"""workshop dispatch and time (manual 4.2 派工, 4.3, ch. 7): who works on which line where, and their clocked hours."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.workshop.common import SOURCE
from svckit.events import EventContract

CLOCK_OFF_REASONS = ["pause", "done", "end_of_shift"]
LONGEST_REPORT_DAYS = 366

# --- RPC inputs ---


class LineDispatch(StrictSchema):
    """Give an approved labour line to a technician (and a bay).

    Allowed while the order is approved, waiting_for_parts, in_progress or rework. The technician must be an
    active technician of the order's site holding a certificate valid today for the line's skill_code; a line
    may be given to someone else only while nobody is clocked on it.
    """
    technician_id = Id(required=True)
    bay_id = Id(load_default=None, allow_none=True,
                metadata={"description": "Where the work is done; the line keeps its bay when omitted."})


class ClockOn(StrictSchema):
    """Start a stretch of work on a line. A technician is on one line at a time: clocking on elsewhere while
    still clocked on is refused, naming the open job (clock off with reason pause first). A line not yet
    dispatched is dispatched to the technician (same rules as dispatch). The first clock-on of an approved order,
    or of an order sent back for rework, moves it to in_progress; every stretch after a failed inspection is
    timed as rework."""
    technician_id = Id(required=True)


class ClockOff(StrictSchema):
    technician_id = Id(required=True)
    reason = fields.String(load_default="pause", validate=validate.OneOf(CLOCK_OFF_REASONS), metadata={
        "description": "pause (back later), done (the technician finished the line) or end_of_shift."})


class TechnicianLoadQuery(StrictSchema):
    site_id = SiteId(required=True)


class EfficiencyQuery(StrictSchema):
    site_id = SiteId(required=True)
    from_day = fields.Date(required=True, data_key="from", metadata={"description": "First day (site's time)."})
    to_day = fields.Date(required=True, data_key="to", metadata={"description": "Last day, inclusive."})

    @validates_schema
    def a_period(self, data, **kwargs):
        if data["to_day"] < data["from_day"]:
            raise ValidationError("Must not be before from.", field_name="to")
        if (data["to_day"] - data["from_day"]).days >= LONGEST_REPORT_DAYS:
            raise ValidationError(f"At most {LONGEST_REPORT_DAYS} days.", field_name="to")


# --- RPC answers ---

class ClockEntryView(PayloadSchema):
    clock_entry_id = Id(attribute="id")
    repair_order_id = Id()
    line_id = Id(attribute="labour_line_id")
    technician_id = Id()
    phase = fields.String(metadata={"description": "work, or rework after a failed inspection."})
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    end_reason = fields.String(allow_none=True)
    hours = fields.Decimal(as_string=True, metadata={"description": "Of this stretch, up to now while open."})
    order_status = fields.String(metadata={"description": "The repair order's status after the clocking."})


class LoadLineView(PayloadSchema):
    repair_order_id = Id()
    line_id = Id()
    plate = fields.String()
    order_status = fields.String()
    operation_code = fields.String()
    description = fields.String()
    skill_code = fields.String(allow_none=True)
    bay_id = Id(allow_none=True)
    standard_hours = fields.Decimal(as_string=True)
    remaining_hours = fields.Decimal(as_string=True, metadata={
        "description": "Standard hours less the work hours clocked, never below zero."})
    promised_at = fields.DateTime()


class ClockedOnView(PayloadSchema):
    repair_order_id = Id()
    line_id = Id()
    operation_code = fields.String()
    phase = fields.String()
    since = fields.DateTime()


class TechnicianLoadView(PayloadSchema):
    """One active technician of the site: the work dispatched to them on orders not yet completed."""
    staff_id = Id()
    name = fields.String()
    grade = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(LoadLineView))
    remaining_hours = fields.Decimal(as_string=True, metadata={"description": "Sum of the lines' remaining hours."})
    clocked_today_hours = fields.Decimal(as_string=True, metadata={
        "description": "Hours clocked today (site's time zone) on any line, an open stretch up to now."})
    clocked_on = fields.Nested(ClockedOnView, allow_none=True, metadata={"description": "What they work on now."})


class TechnicianEfficiencyView(PayloadSchema):
    staff_id = Id()
    name = fields.String(allow_none=True)
    lines = fields.Integer(metadata={"description": "Labour lines counted."})
    standard_hours = fields.Decimal(as_string=True)
    clocked_hours = fields.Decimal(as_string=True)
    rework_hours = fields.Decimal(as_string=True)
    efficiency_percent = fields.Decimal(as_string=True, allow_none=True)


class EfficiencyReportView(PayloadSchema):
    """Technician efficiency (工时效率) over a period.

    Lines counted: the approved labour lines of the site's repair orders completed (handed to quality) in the
    period, from..to inclusive in the site's time zone, and not sent back since. For each line:
    standard_hours of a technician = line hours x (their clocked hours on the line / all clocked hours on it);
    a line nobody clocked on counts whole for the technician it was dispatched to.
    clocked_hours = hours they clocked on those lines (work and rework); rework_hours = of those, the rework.
    efficiency_percent = standard_hours / clocked_hours x 100, rounded half up to one decimal
    (null when nothing was clocked). Hours are rounded to the hundredth.
    """
    site_id = fields.String()
    from_day = fields.Date(data_key="from")
    to_day = fields.Date(data_key="to")
    technicians = fields.List(fields.Nested(TechnicianEfficiencyView))


# --- events ---

class LabourLineDispatchedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    line_id = Id(required=True)
    operation_code = fields.String(required=True)
    skill_code = fields.String(required=True, allow_none=True)
    technician_id = Id(required=True)
    previous_technician_id = Id(required=True, allow_none=True)
    bay_id = Id(required=True, allow_none=True)
    by = fields.String(required=True)
    at = fields.DateTime(required=True)


LABOUR_LINE_DISPATCHED = EventContract(
    SOURCE, "labour_line_dispatched", 1, LabourLineDispatchedPayload,
    "A labour line was given (or reassigned) to a certified technician and a bay: what the workshop board shows.")

EVENTS = [LABOUR_LINE_DISPATCHED]
