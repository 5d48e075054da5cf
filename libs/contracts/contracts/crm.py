"""crm: customers, vehicles, follow-up calls (manual ch. 7)."""
from decimal import Decimal

from marshmallow import fields, validate

from contracts.fields import LARGEST_AMOUNT, Id, Money, PayloadSchema, Phone, Plate, SiteId, StrictSchema, Vin
from svckit.events import EventContract

SOURCE = "crm"


# --- RPC inputs ---

class NewCustomer(StrictSchema):
    site_id = SiteId(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = Phone(required=True)
    email = fields.Email(load_default=None, allow_none=True)
    contact_consent = fields.Boolean(load_default=True, metadata={"description": "Customer agrees to service calls and messages."})


class NewVehicle(StrictSchema):
    site_id = SiteId(required=True)
    customer_id = Id(required=True)
    vin = Vin(required=True)
    plate = Plate(required=True)
    model = fields.String(required=True, validate=validate.Length(min=1, max=100))
    mileage_km = fields.Integer(required=True, validate=validate.Range(min=0, max=2_000_000))


class FollowUpQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    vehicle_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["scheduled", "done", "cancelled"]))


# --- RPC answers ---

class CustomerView(PayloadSchema):
    customer_id = Id(attribute="id")
    site_id = fields.String()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    contact_consent = fields.Boolean()
    created_at = fields.DateTime()


class VehicleView(PayloadSchema):
    vehicle_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vin = fields.String()
    plate = fields.String()
    model = fields.String()
    mileage_km = fields.Integer()
    created_at = fields.DateTime()


class FollowUpView(PayloadSchema):
    follow_up_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    visit_id = Id()
    due_at = fields.DateTime()
    channel = fields.String()
    reason = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class CustomerMessageQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    customer_id = Id(load_default=None)
    vehicle_id = Id(load_default=None)
    repair_order_id = Id(load_default=None)


class CustomerMessageView(PayloadSchema):
    message_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    repair_order_id = Id(allow_none=True)
    topic = fields.String(metadata={"description": "What it is about, e.g. status:in_progress."})
    channel = fields.String()
    text = fields.String()
    status = fields.String(metadata={"description": "queued for sending, or suppressed: the customer refused "
                                                    "messages."})
    created_at = fields.DateTime()


class RecommendationQuery(StrictSchema):
    vehicle_id = Id(required=True)
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "done", "dismissed", "all"]))


class RecommendationView(PayloadSchema):
    recommendation_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    repair_order_id = Id()
    kind = fields.String(metadata={"description": "labour, part or sublet."})
    code = fields.String(allow_none=True)
    description = fields.String()
    amount = Money(metadata={"description": "What it was quoted at."})
    mileage_km = fields.Integer(metadata={"description": "Odometer when it was declined."})
    declined_at = fields.DateTime()
    status = fields.String(metadata={"description": "open, done or dismissed."})


class VehicleSearch(StrictSchema):
    plate = Plate(load_default=None)
    vin = Vin(load_default=None)


class CustomerSearch(StrictSchema):
    site_id = SiteId(required=True)
    phone = Phone(required=True)


class CustomerWithVehiclesView(CustomerView):
    vehicles = fields.List(fields.Nested(VehicleView), metadata={"description": "The customer's vehicles."})


# --- events ---

class CustomerRegisteredPayload(PayloadSchema):
    customer_id = Id(required=True)
    name = fields.String(required=True)


class VehicleRegisteredPayload(PayloadSchema):
    vehicle_id = Id(required=True)
    customer_id = Id(required=True)
    vin = fields.String(required=True)
    plate = fields.String(required=True)
    model = fields.String(required=True)
    mileage_km = fields.Integer(required=True)


class FollowUpScheduledPayload(PayloadSchema):
    follow_up_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    visit_id = Id(required=True)
    due_at = fields.DateTime(required=True)
    channel = fields.String(required=True)
    reason = fields.String(required=True)


class CustomerMessageQueuedPayload(PayloadSchema):
    message_id = Id(required=True)
    customer_id = Id(required=True)
    vehicle_id = Id(required=True)
    repair_order_id = Id(required=True, allow_none=True)
    topic = fields.String(required=True)
    channel = fields.String(required=True)
    text = fields.String(required=True)


CUSTOMER_REGISTERED = EventContract(
    SOURCE, "customer_registered", 1, CustomerRegisteredPayload,
    "A customer was added to the customer database. Contact details stay in crm; ask crm for them.")
VEHICLE_REGISTERED = EventContract(
    SOURCE, "vehicle_registered", 1, VehicleRegisteredPayload,
    "A vehicle was registered to a customer.")
FOLLOW_UP_SCHEDULED = EventContract(
    SOURCE, "follow_up_scheduled", 1, FollowUpScheduledPayload,
    "A follow-up call after a delivered visit was put on the customer care agents' list.")

CUSTOMER_MESSAGE_QUEUED = EventContract(
    SOURCE, "customer_message_queued", 1, CustomerMessageQueuedPayload,
    "A message to a customer (e.g. their car is ready) is waiting to be sent: the feed for the dealer's SMS or "
    "WeChat gateway. It names the customer, not the phone number: ask crm for contact details.")

EVENTS = [CUSTOMER_REGISTERED, VEHICLE_REGISTERED, FOLLOW_UP_SCHEDULED, CUSTOMER_MESSAGE_QUEUED]


# --- coupons (优惠券) and reminders of declined work ---

COUPON_KINDS = ["amount_off", "percent_off"]
COUPON_SCOPES = ["labour", "parts", "all"]


class NewCoupon(StrictSchema):
    site_id = SiteId(required=True, metadata={"description": "The site that issues it; it is used there."})
    customer_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The one customer who may use it; none: any customer of the site."})
    code = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^[A-Za-z0-9-]{4,32}$", error="4 to 32 letters, digits or '-'."), metadata={
        "description": "Printed on the voucher; generated when not given. Stored upper-case."})
    kind = fields.String(required=True, validate=validate.OneOf(COUPON_KINDS), metadata={
        "description": "amount_off: value is money off; percent_off: value is a percentage (0.01-100)."})
    value = fields.Decimal(required=True, as_string=True, places=2, validate=validate.Range(
        min=Decimal("0.01"), max=Decimal(LARGEST_AMOUNT)))
    applies_to = fields.String(load_default="all", validate=validate.OneOf(COUPON_SCOPES), metadata={
        "description": "labour only, parts only, or all the customer pays."})
    minimum_spend = Money(load_default=Decimal("0.00"), metadata={
        "description": "The customer must pay at least this for the work it applies to."})
    valid_from = fields.AwareDateTime(load_default=None, allow_none=True, metadata={"description": "Default: now."})
    valid_until = fields.AwareDateTime(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=200))


class CouponQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    customer_id = Id(load_default=None, metadata={
        "description": "The customer's own coupons and the site's coupons for any customer."})
    status = fields.String(load_default=None, validate=validate.OneOf(["issued", "redeemed"]))


class CouponAmounts(StrictSchema):
    """What the customer pays, by kind of work (after any coupon applied before this one)."""
    labour = Money(load_default=Decimal("0.00"))
    parts = Money(load_default=Decimal("0.00"))
    sublet = Money(load_default=Decimal("0.00"))


class CouponCheck(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    customer_id = Id(required=True)
    site_id = SiteId(required=True)
    invoice_id = Id(load_default=None, allow_none=True, metadata={
        "description": "The invoice asking: a coupon it already holds is still usable on it."})
    amounts = fields.Nested(CouponAmounts, required=True)


class CouponRedemption(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    invoice_id = Id(required=True)
    customer_id = Id(required=True)
    site_id = SiteId(required=True)


class CouponRelease(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    invoice_id = Id(required=True)


class CouponView(PayloadSchema):
    coupon_id = Id(attribute="id")
    code = fields.String()
    site_id = fields.String()
    customer_id = Id(allow_none=True)
    kind = fields.String()
    value = fields.Decimal(as_string=True)
    applies_to = fields.String()
    minimum_spend = Money()
    valid_from = fields.DateTime()
    valid_until = fields.DateTime()
    description = fields.String()
    status = fields.String(metadata={"description": "issued (usable) or redeemed (used on an invoice)."})
    redeemed_invoice_id = Id(allow_none=True)
    redeemed_at = fields.DateTime(allow_none=True)
    issued_by = fields.String()
    issued_at = fields.DateTime()


class CouponDiscountView(PayloadSchema):
    """What a coupon takes off these amounts: rounded half-up to the cent once."""
    code = fields.String()
    kind = fields.String()
    value = fields.Decimal(as_string=True)
    applies_to = fields.String()
    description = fields.String()
    discount = Money()


class RecommendationReminderQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    vehicle_id = Id(load_default=None)
    visit_id = Id(load_default=None)


class RecommendationReminderView(PayloadSchema):
    reminder_id = Id(attribute="id")
    site_id = fields.String()
    customer_id = Id()
    vehicle_id = Id()
    visit_id = Id()
    recommendation_ids = fields.List(Id())
    due_at = fields.DateTime()
    text = fields.String(metadata={"description": "What the customer will be told."})
    status = fields.String(metadata={"description": "scheduled, sent, or cancelled (nothing left to offer or no "
                                                    "consent to messages)."})
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
