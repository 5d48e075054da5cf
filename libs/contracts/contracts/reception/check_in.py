"""reception check-in (接车): the car is received at the desk and a visit begins (manual 4.1.1).

The desk finds the car and its owner in crm (or registers them), records the walk-around (环车检查) with
photos and the customer's signature, agrees a promised time and prints the job card (接车单).
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Id, PayloadSchema, Phone, Plate, SiteId, StrictSchema, Vin
from contracts.reception.common import SOURCE
from contracts.reception.tracking import TrackingLinkView
from contracts.reception.visits import VisitView
from svckit.events import EventContract

DAMAGE_ZONES = (
    "front_bumper", "rear_bumper", "hood", "roof", "trunk", "left_front_door", "left_rear_door", "right_front_door",
    "right_rear_door", "left_front_fender", "right_front_fender", "left_rear_fender", "right_rear_fender",
    "windshield", "rear_window", "left_mirror", "right_mirror", "wheels", "interior", "other")
DAMAGE_KINDS = ("scratch", "dent", "crack", "paint", "missing", "other")
CHECK_IN_PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
CHECK_IN_SIGNATURE_TYPES = ("image/png",)

_HOURS = validate.Range(min=0, max=200, min_inclusive=False)


# --- RPC inputs ---

class VehicleAtDesk(StrictSchema):
    """The car as the desk reads it: found in crm by VIN (else plate); registered there when unknown."""
    vin = Vin(load_default=None, allow_none=True, metadata={"description": "17 characters, check digit as GB 16735 requires."})
    plate = Plate(load_default=None, allow_none=True, metadata={"description": "Mainland plate; 8 characters for new-energy cars."})
    model = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100), metadata={
        "description": "Needed only when crm does not know the car yet."})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _vin_or_plate(self, data, original, **kwargs):
        if not {key for key in ("vin", "plate") if isinstance(original, dict) and original.get(key) is not None}:
            raise ValidationError("Give the VIN, the plate or both.", "vin")


class CustomerAtDesk(StrictSchema):
    """The owner of a car crm does not know yet: found by phone at the site, else registered."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = Phone(required=True)


class DamageMark(StrictSchema):
    zone = fields.String(required=True, validate=validate.OneOf(DAMAGE_ZONES))
    kind = fields.String(required=True, validate=validate.OneOf(DAMAGE_KINDS))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class WalkAround(StrictSchema):
    """The walk-around record (环车检查); given again, it replaces the one kept."""
    damage_marks = fields.List(fields.Nested(DamageMark), load_default=list, validate=validate.Length(max=60))
    fuel_level_percent = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=100),
                                        metadata={"description": "Fuel level, or charge of an electric car, in %."})
    belongings = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list,
                             validate=validate.Length(max=40), metadata={"description": "Left in the car."})
    concerns = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), load_default=list,
                           validate=validate.Length(max=20), metadata={
                               "description": "The customer's concerns in their own words; at check-in the first "
                                              "is the visit's concern unless `concern` is given."})


class CheckIn(StrictSchema):
    """Receive a car: either `vehicle_id` of a car crm knows, or a `vehicle` block (and a `customer` block
    for a car crm does not know yet: it is registered in crm with its owner)."""
    site_id = SiteId(required=True)
    vehicle_id = Id(load_default=None, allow_none=True)
    vehicle = fields.Nested(VehicleAtDesk, load_default=None, allow_none=True)
    customer = fields.Nested(CustomerAtDesk, load_default=None, allow_none=True)
    mileage_km = fields.Integer(required=True, validate=validate.Range(min=0, max=2_000_000))
    mileage_correction_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=500), metadata={
        "description": "Why the odometer reads less than crm's record (e.g. instrument cluster replaced)."})
    concern = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000),
                            metadata={"description": "The customer's concern in their own words."})
    walk_around_notes = fields.String(load_default="", validate=validate.Length(max=4000))
    walk_around = fields.Nested(WalkAround, load_default=None, allow_none=True)
    estimated_hours = fields.Decimal(load_default=None, allow_none=True, as_string=True, places=2, validate=_HOURS, metadata={
        "description": "Hours of the requested work: without promised_at, the promised time is suggested "
                       "from them (see PromisedTimeSuggestion)."})
    promised_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "When the car is promised back; the advisor's word overrides any suggestion."})
    appointment_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The appointment the customer came for, if any: it is marked arrived."})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _complete(self, data, original, **kwargs):
        """Alternatives judged by what was sent, so a bad value is reported once, on its own field."""
        original = original if isinstance(original, dict) else {}
        given = {key for key, value in original.items() if value is not None}
        problems = {}
        if not given & {"vehicle_id", "vehicle"}:
            problems["vehicle_id"] = ["Give vehicle_id, or a vehicle block {vin, plate} to find or register the car."]
        elif {"vehicle_id", "vehicle"} <= given:
            problems["vehicle"] = ["Give vehicle_id or a vehicle block, not both."]
        if "customer" in given and "vehicle" not in given:
            problems["customer"] = ["Only with a vehicle block: a car known by vehicle_id already has its owner."]
        walk_around = original.get("walk_around")
        concerns = walk_around.get("concerns") if isinstance(walk_around, dict) else None
        if "concern" not in given and not concerns:
            problems["concern"] = ["Give the customer's concern, or walk_around.concerns."]
        if "promised_at" not in given and "estimated_hours" not in given:
            problems["promised_at"] = ["Give promised_at, or estimated_hours to have one suggested."]
        if problems:
            raise ValidationError(problems)


class Acknowledgement(StrictSchema):
    """The customer acknowledged the walk-around by typing their name instead of signing."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    at = fields.AwareDateTime(load_default=None, metadata={"description": "When; now if not given."})


class CheckInPhotoUpload(StrictSchema):
    """An image as the gateway passes an upload on (raw body, base64 on the wire)."""
    filename = fields.String(load_default="", validate=validate.Length(max=255))
    content_type = fields.String(required=True, validate=validate.OneOf(CHECK_IN_PHOTO_TYPES))
    content_base64 = fields.String(required=True, validate=validate.Length(min=1))


class DeskLookup(StrictSchema):
    """What the desk screen looks up: a plate, a VIN or a phone number (at least one)."""
    site_id = SiteId(required=True)
    plate = Plate(load_default=None)
    vin = Vin(load_default=None)
    phone = Phone(load_default=None)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _something(self, data, original, **kwargs):
        if not {"plate", "vin", "phone"} & set(original or {}):
            raise ValidationError("Give a plate, a VIN or a phone number.", "plate")


class PromisedTimeQuery(StrictSchema):
    site_id = SiteId(required=True)
    hours = fields.Decimal(required=True, as_string=True, places=2, validate=_HOURS,
                           metadata={"description": "Hours of the requested work."})


# --- RPC answers ---

class DamageMarkView(PayloadSchema):
    zone = fields.String()
    kind = fields.String()
    note = fields.String()


class CheckInPhotoView(PayloadSchema):
    photo_id = Id(attribute="id")
    visit_id = Id()
    filename = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class CheckInPhotoContent(CheckInPhotoView):
    content_base64 = fields.String()


class CheckInSignatureView(PayloadSchema):
    state = fields.String(metadata={"description": "signed (a PNG signature), acknowledged (typed name) or missing."})
    signed_at = fields.DateTime(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
    acknowledged_name = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class CheckInDetailsView(PayloadSchema):
    """What the desk recorded when the car came in, beyond the visit itself."""
    visit_id = Id()
    mileage_correction_reason = fields.String(allow_none=True, metadata={
        "description": "Why the odometer read less than crm's record, when it did."})
    recorded_mileage_km = fields.Integer(allow_none=True, metadata={"description": "crm's record at check-in."})
    estimated_hours = fields.Decimal(as_string=True, allow_none=True)
    promised_at_source = fields.String(metadata={"description": "advisor (given) or suggested (from the load)."})
    customer_registered = fields.Boolean(metadata={"description": "The customer was registered in crm at check-in."})
    vehicle_registered = fields.Boolean(metadata={"description": "The car was registered in crm at check-in."})
    damage_marks = fields.List(fields.Nested(DamageMarkView))
    fuel_level_percent = fields.Integer(allow_none=True)
    belongings = fields.List(fields.String())
    concerns = fields.List(fields.String())
    walk_around_recorded_by = fields.String(allow_none=True)
    walk_around_recorded_at = fields.DateTime(allow_none=True)
    photos = fields.List(fields.Nested(CheckInPhotoView))
    signature = fields.Nested(CheckInSignatureView)


class CheckedInView(VisitView):
    check_in = fields.Nested(CheckInDetailsView)
    tracking_link = fields.Nested(TrackingLinkView, allow_none=True, metadata={
        "description": "The customer's tracking link, shown here once."})


class DeskVehicleView(PayloadSchema):
    vehicle_id = Id()
    site_id = fields.String()
    customer_id = Id()
    vin = fields.String()
    plate = fields.String()
    model = fields.String()
    mileage_km = fields.Integer()
    open_visit = fields.Nested(VisitView, allow_none=True, metadata={"description": "The car's visit not yet "
                                                                                     "delivered, if any."})


class DeskCustomerView(PayloadSchema):
    customer_id = Id()
    site_id = fields.String()
    name = fields.String()
    phone = fields.String()


class DeskLookupView(PayloadSchema):
    vehicles = fields.List(fields.Nested(DeskVehicleView))
    customers = fields.List(fields.Nested(DeskCustomerView))


class PromiseDayView(PayloadSchema):
    date = fields.Date()
    free_hours = fields.Decimal(as_string=True)


class PromisedTimeSuggestion(PayloadSchema):
    """When the car can be promised back, from the requested hours and the workshop's free hours.

    The rule: the car is ready on the first day whose free hours (workshop `get_capacity`) hold the work.
    Today if free_hours today >= hours and now + hours + 30 minutes (buffer) is before closing time:
    promised at now + hours + buffer (the work starts at opening if the site is not open yet).
    Otherwise the next day with free_hours >= hours: promised at opening + hours + buffer.
    Days are the sites' local days (TIME_ZONE); opening and closing are RECEPTION_OPENING_HOUR and
    RECEPTION_CLOSING_HOUR of reception's config (8 and 18); at most PROMISE_HORIZON_DAYS (14) days are asked.
    """
    site_id = fields.String()
    hours = fields.Decimal(as_string=True)
    promised_at = fields.DateTime()
    days = fields.List(fields.Nested(PromiseDayView), metadata={"description": "The days asked, in order."})


class JobCardDocument(PayloadSchema):
    filename = fields.String()
    content_type = fields.String()
    content_base64 = fields.String()


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
