"""reception appointments (预约): booking against the site's real capacity, reminders, arrival."""
from decimal import Decimal

from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema
from contracts.reception.common import SOURCE
from contracts.workshop.common import OPERATION_CODE
from svckit.events import EventContract

APPOINTMENT_STATUSES = ["booked", "moved", "cancelled", "no_show", "arrived"]
APPOINTMENT_CHANNELS = ["phone", "wechat", "walk_in", "app"]
APPOINTMENT_STATUS_HELP = (
    "booked; moved (rescheduled, still expected); cancelled (with a reason); no_show (not come by the slot start "
    "+ the grace period); arrived (checked in: visit_id).")


def _hours_field(**kwargs):
    return fields.Decimal(as_string=True, places=2, **kwargs)


# --- RPC inputs ---

class RequestedService(StrictSchema):
    operation_code = fields.String(load_default=None, allow_none=True, validate=OPERATION_CODE, metadata={
        "description": "An operation of the workshop's catalogue: its description and standard hours are the "
                       "defaults."})
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=500))
    hours = _hours_field(load_default=None, allow_none=True,
                         validate=validate.Range(min=0, max=24, min_inclusive=False), metadata={
                             "description": "Needed without an operation_code; overrides the catalogue's hours."})


class NewAppointment(StrictSchema):
    site_id = SiteId(required=True)
    vehicle_id = Id(required=True, metadata={"description": "A vehicle of crm at the same site."})
    services = fields.List(fields.Nested(RequestedService), required=True, validate=validate.Length(min=1, max=20),
                           metadata={"description": "The work asked for; together at least 0.5 h."})
    preferred_advisor = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100),
                                      metadata={"description": "Username of the advisor the customer asks for."})
    slot_start = fields.AwareDateTime(required=True, metadata={
        "description": "Start of a slot of the desk (site-local opening hours, on a slot boundary), in the future."})
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    channel = fields.String(required=True, validate=validate.OneOf(APPOINTMENT_CHANNELS))


class AppointmentMoveInput(StrictSchema):
    slot_start = fields.AwareDateTime(required=True, metadata={"description": "The new slot."})
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class AppointmentCancellation(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class AppointmentQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    date = fields.Date(load_default=None, metadata={"description": "The site-local day of the slot."})
    status = fields.String(load_default=None, validate=validate.OneOf(APPOINTMENT_STATUSES))
    vehicle_id = Id(load_default=None)


class FreeSlotQuery(StrictSchema):
    site_id = SiteId(required=True)
    date = fields.Date(required=True)
    hours = _hours_field(load_default=Decimal("1.00"), validate=validate.Range(min=Decimal("0.5"), max=24))
    preferred_advisor = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))


# --- RPC answers ---

class AppointmentServiceView(PayloadSchema):
    operation_code = fields.String(allow_none=True)
    description = fields.String()
    hours = _hours_field()


class AppointmentMoveView(PayloadSchema):
    from_slot_start = fields.DateTime()
    to_slot_start = fields.DateTime()
    reason = fields.String()
    moved_by = fields.String()
    moved_at = fields.DateTime()


class AppointmentView(PayloadSchema):
    appointment_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    plate = fields.String()
    slot_start = fields.DateTime()
    date = fields.Date(attribute="day", metadata={"description": "The site-local day of the slot."})
    hours = _hours_field(metadata={"description": "Workshop hours booked: the sum of the services' hours."})
    services = fields.List(fields.Nested(AppointmentServiceView))
    preferred_advisor = fields.String(allow_none=True)
    notes = fields.String()
    channel = fields.String()
    status = fields.String(metadata={"description": APPOINTMENT_STATUS_HELP})
    booked_by = fields.String()
    booked_at = fields.DateTime()
    moves = fields.List(fields.Nested(AppointmentMoveView), metadata={"description": "Every move, oldest first."})
    cancel_reason = fields.String(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    no_show_at = fields.DateTime(allow_none=True)
    visit_id = Id(allow_none=True)
    arrived_at = fields.DateTime(allow_none=True)
    reminder_sent_at = fields.DateTime(allow_none=True)


class FreeSlotView(PayloadSchema):
    slot_start = fields.DateTime()
    advisors_free = fields.Integer()


class FreeSlotsView(PayloadSchema):
    site_id = fields.String()
    date = fields.Date()
    hours = _hours_field(metadata={"description": "The hours asked for."})
    advisors = fields.Integer(metadata={"description": "Active service advisors of the site."})
    workshop_free_hours = _hours_field(metadata={"description": "The workshop's free hours that day (its capacity)."})
    booked_hours = _hours_field(metadata={"description": "Hours of the day's appointments booked, moved or arrived."})
    remaining_hours = _hours_field(metadata={"description": "workshop_free_hours - booked_hours, at least 0."})
    slots = fields.List(fields.Nested(FreeSlotView), metadata={
        "description": "Slots where the hours asked for can be booked (none when the workshop is full)."})


# --- events ---

class AppointmentPayload(PayloadSchema):
    appointment_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    slot_start = fields.DateTime(required=True)
    date = fields.Date(required=True)
    hours = _hours_field(required=True)
    services = fields.List(fields.Nested(AppointmentServiceView), required=True)
    preferred_advisor = fields.String(required=True, allow_none=True)
    status = fields.String(required=True)


class AppointmentMovedPayload(AppointmentPayload):
    from_slot_start = fields.DateTime(required=True)
    reason = fields.String(required=True)


class AppointmentCancelledPayload(AppointmentPayload):
    reason = fields.String(required=True)


class AppointmentArrivedPayload(AppointmentPayload):
    visit_id = Id(required=True)


APPOINTMENT_BOOKED = EventContract(
    SOURCE, "appointment_booked", 1, AppointmentPayload,
    "A customer booked a slot at the desk and hours of the workshop's day.")
APPOINTMENT_MOVED = EventContract(
    SOURCE, "appointment_moved", 1, AppointmentMovedPayload,
    "An appointment was moved to another slot (from_slot_start -> slot_start).")
APPOINTMENT_CANCELLED = EventContract(
    SOURCE, "appointment_cancelled", 1, AppointmentCancelledPayload,
    "An appointment was cancelled, with the reason; its place is free again.")
APPOINTMENT_NO_SHOW = EventContract(
    SOURCE, "appointment_no_show", 1, AppointmentPayload,
    "The customer did not come by the slot start plus the grace period.")
APPOINTMENT_ARRIVED = EventContract(
    SOURCE, "appointment_arrived", 1, AppointmentArrivedPayload,
    "The customer came for the appointment: the car was checked in (visit_id).")
APPOINTMENT_REMINDER_DUE = EventContract(
    SOURCE, "appointment_reminder_due", 1, AppointmentPayload,
    "The appointment is tomorrow (site-local): crm reminds the customer. Published once per appointment.")

EVENTS = [APPOINTMENT_BOOKED, APPOINTMENT_MOVED, APPOINTMENT_CANCELLED, APPOINTMENT_NO_SHOW, APPOINTMENT_ARRIVED,
          APPOINTMENT_REMINDER_DUE]
