"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders.

Money: every amount is a decimal string with two places. Prices are before VAT (the
catalogue's retail price is the unit price). Each figure of a line is rounded ONCE,
half up, to the cent:
  gross    = quantity x unit price
  net      = quantity x unit price x (1 - trade discount %) x (1 - line discount %)
             (the line discount applies to what the trade discount leaves)
  discount = gross - net,  vat = net x VAT rate,  total = net + vat.
A sale's subtotal, discount, net, vat and total are the sums of its lines' figures (lines
not supplied left out), so an invoice always adds up to the cent. The VAT rate is the
parts service's configured rate (SALES_VAT_RATE, 13% by default) when the quote is made.

Life cycle: quote (prices held until valid_until) -> ordered (stock reserved as
`sale-line:<line id>`, kind counter_order; short lines backordered or not supplied, as
the clerk chooses) -> picked (stock issued, kind sale, first expiry first) -> invoiced
(numbered `<site>-<year>-<6 digits>`, gapless per site and year); or cancelled before
picking (reservations released). A delivery order takes an invoiced sale to the
customer: scheduled -> out_for_delivery -> delivered | failed (failed can be scheduled again).
"""
from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Amount, Id, Money, PayloadSchema, Phone, Quantity, SiteId, StrictSchema
from contracts.parts.common import SOURCE, PartNumber
from svckit.events import EventContract

__all__ = [
    "NewTradeAccount", "TradeAccountChanges", "TradeAccountQuery", "TradeAccountView",
    "NewSaleLine", "NewCounterSale", "LineChoice", "SaleOrder", "SaleCancellation", "SaleQuery",
    "SaleLineView", "CounterSaleView", "NewDeliveryOrder", "DeliveryStatusChange", "DeliveryQuery",
    "DeliveryStatusView", "DeliveryOrderView", "SALE_STATUSES", "DELIVERY_STATUSES",
    "PARTS_SOLD", "DELIVERY_ORDER_UPDATED", "EVENTS",
]

SALE_STATUSES = ["quote", "ordered", "picked", "invoiced", "cancelled"]
DELIVERY_STATUSES = ["scheduled", "out_for_delivery", "delivered", "failed"]
MAX_TRADE_DISCOUNT = "60"


def Percent(maximum="100", **kwargs):
    return Amount("0", maximum, **kwargs)


def Text(maximum, minimum=1, **kwargs):
    return fields.String(validate=validate.Length(min=minimum, max=maximum), **kwargs)


# --- RPC inputs ---

class NewTradeAccount(StrictSchema):
    site_id = SiteId(required=True)
    name = Text(100, required=True, metadata={"description": "The garage or fleet, e.g. 张江汽修厂."})
    contact_name = Text(100, load_default=None, allow_none=True)
    phone = Phone(load_default=None, allow_none=True)
    discount_percent = Percent(MAX_TRADE_DISCOUNT, required=True,
                               metadata={"description": "Trade discount off the retail price, 0-60."})


class TradeAccountChanges(StrictSchema):
    name = Text(100)
    contact_name = Text(100, allow_none=True)
    phone = Phone(allow_none=True)
    discount_percent = Percent(MAX_TRADE_DISCOUNT)
    active = fields.Boolean()


class TradeAccountQuery(StrictSchema):
    site_id = SiteId(required=True)
    include_inactive = fields.Boolean(load_default=False)


class NewSaleLine(StrictSchema):
    part_number = PartNumber(required=True, metadata={
        "description": "A superseded number is sold as the part that replaces it."})
    quantity = Quantity(required=True)
    discount_percent = Percent(load_default=Decimal("0"), metadata={
        "description": "Line discount on top of any trade discount, up to SALES_LINE_DISCOUNT_LIMIT_PERCENT."})


class NewCounterSale(StrictSchema):
    """A quote. A trade customer is named by its trade account; a retail walk-in by name and/or phone."""
    site_id = SiteId(required=True)
    trade_account_id = Id(load_default=None, allow_none=True)
    customer_name = Text(100, load_default=None, allow_none=True)
    customer_phone = Phone(load_default=None, allow_none=True)
    lines = fields.List(fields.Nested(NewSaleLine), required=True, validate=validate.Length(min=1, max=200))
    note = Text(500, minimum=0, load_default="")

    @validates_schema
    def names_the_customer(self, data, **kwargs):
        if not data.get("trade_account_id") and not data.get("customer_name") and not data.get("customer_phone"):
            raise ValidationError("Name a trade account, or the walk-in customer's name or phone.",
                                  "customer_name")


class LineChoice(StrictSchema):
    line_id = Id(required=True)
    backorder = fields.Boolean(required=True)


class SaleOrder(StrictSchema):
    backorder = fields.Boolean(load_default=True, metadata={
        "description": "What to do with a line stock cannot cover now: true waits for stock (backordered, "
                       "reserved as it arrives), false leaves the line out of the sale (not_supplied)."})
    line_choices = fields.List(fields.Nested(LineChoice), load_default=list, metadata={
        "description": "Per-line exceptions to `backorder`."})


class SaleCancellation(StrictSchema):
    reason = Text(200, required=True)


class SaleQuery(StrictSchema):
    site_id = SiteId(required=True)
    status = fields.String(load_default=None, validate=validate.OneOf(SALE_STATUSES))
    trade_account_id = Id(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class NewDeliveryOrder(StrictSchema):
    sale_id = Id(required=True)
    address = Text(300, required=True)
    contact_name = Text(100, required=True)
    contact_phone = Phone(required=True)
    carrier = Text(100, required=True, metadata={"description": "Own van, or the courier company."})
    driver = Text(100, load_default=None, allow_none=True)
    scheduled_for = fields.AwareDateTime(load_default=None, allow_none=True)


class DeliveryStatusChange(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    driver = Text(100, load_default=None, allow_none=True,
                  metadata={"description": "Who drives it (set or changed when it leaves)."})
    scheduled_for = fields.AwareDateTime(load_default=None, allow_none=True,
                                         metadata={"description": "A new time when a failed delivery is scheduled again."})
    note = Text(500, minimum=0, load_default="", metadata={
        "description": "Proof of delivery (who received it, signature reference) when delivered - required; "
                       "the reason when failed - required."})


class DeliveryQuery(StrictSchema):
    site_id = SiteId(required=True)
    status = fields.String(load_default=None, validate=validate.OneOf(DELIVERY_STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


# --- RPC answers ---

class TradeAccountView(PayloadSchema):
    trade_account_id = Id(attribute="id")
    site_id = fields.String()
    name = fields.String()
    contact_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    discount_percent = Money()
    active = fields.Boolean()
    created_at = fields.DateTime()


class PickedLot(PayloadSchema):
    lot_id = Id()
    bin_code = fields.String()
    batch = fields.String()
    quantity = fields.Decimal(as_string=True)


class SaleLineView(PayloadSchema):
    line_id = Id(attribute="id")
    position = fields.Integer()
    requested_part_number = fields.String(metadata={"description": "As asked; part_number is what is sold."})
    part_number = fields.String()
    description = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = Money()
    trade_discount_percent = Money()
    discount_percent = Money()
    gross = Money()
    discount = Money()
    net = Money()
    vat = Money()
    total = Money()
    status = fields.String(metadata={"description": "quoted, ordered, not_supplied, picked or cancelled."})
    reservation_id = Id(allow_none=True)
    stock_status = fields.String(allow_none=True, metadata={
        "description": "The reservation's: reserved, backordered (waits for stock), issued, released."})
    unit_cost = Money(allow_none=True, metadata={"description": "Average cost the parts left the store at."})
    picked_from = fields.List(fields.Nested(PickedLot))


class CounterSaleView(PayloadSchema):
    sale_id = Id(attribute="id")
    site_id = fields.String()
    status = fields.String(metadata={"description": "quote, ordered, picked, invoiced or cancelled."})
    allowed_actions = fields.List(fields.String())
    customer_kind = fields.String(metadata={"description": "retail or trade."})
    trade_account_id = Id(allow_none=True)
    trade_account_name = fields.String(allow_none=True)
    customer_name = fields.String(allow_none=True)
    customer_phone = fields.String(allow_none=True, metadata={"description": "Masked in lists."})
    trade_discount_percent = Money()
    vat_rate = fields.Decimal(as_string=True, places=4, metadata={"description": "A fraction: 0.1300 is 13%."})
    valid_until = fields.Date(metadata={"description": "Quoted prices are held until the end of this day."})
    quote_expired = fields.Boolean()
    lines = fields.List(fields.Nested(SaleLineView))
    subtotal = Money()
    discount = Money()
    net = Money()
    vat = Money()
    total = Money()
    invoice_number = fields.String(allow_none=True)
    note = fields.String()
    created_at = fields.DateTime()
    created_by = fields.String()
    ordered_at = fields.DateTime(allow_none=True)
    picked_at = fields.DateTime(allow_none=True)
    invoiced_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)


class DeliveryStatusView(PayloadSchema):
    status = fields.String()
    at = fields.String(metadata={"description": "ISO-8601 UTC."})
    by = fields.String()
    note = fields.String()


class DeliveryOrderView(PayloadSchema):
    delivery_order_id = Id(attribute="id")
    site_id = fields.String()
    sale_id = Id()
    invoice_number = fields.String()
    status = fields.String(metadata={"description": "scheduled, out_for_delivery, delivered or failed."})
    allowed_statuses = fields.List(fields.String())
    address = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    carrier = fields.String()
    driver = fields.String(allow_none=True)
    scheduled_for = fields.DateTime(allow_none=True)
    proof_of_delivery = fields.String(allow_none=True)
    history = fields.List(fields.Nested(DeliveryStatusView))
    created_at = fields.DateTime()
    out_for_delivery_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    failed_at = fields.DateTime(allow_none=True)


# --- events ---

class SoldLine(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    requested_part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    unit_price = Money(required=True)
    discount = Money(required=True)
    net = Money(required=True)
    vat = Money(required=True)
    total = Money(required=True)
    unit_cost = Money(required=True, metadata={"description": "Average cost at issue (cost of parts sold)."})


class PartsSoldPayload(PayloadSchema):
    sale_id = Id(required=True)
    invoice_number = fields.String(required=True)
    customer_kind = fields.String(required=True, validate=validate.OneOf(["retail", "trade"]))
    trade_account_id = Id(required=True, allow_none=True)
    lines = fields.List(fields.Nested(SoldLine), required=True)
    subtotal = Money(required=True)
    discount = Money(required=True)
    net = Money(required=True)
    vat = Money(required=True)
    total = Money(required=True)
    invoiced_at = fields.DateTime(required=True)


class DeliveryOrderUpdatedPayload(PayloadSchema):
    delivery_order_id = Id(required=True)
    sale_id = Id(required=True)
    invoice_number = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    previous_status = fields.String(required=True, allow_none=True)
    carrier = fields.String(required=True)
    driver = fields.String(required=True, allow_none=True)
    scheduled_for = fields.DateTime(required=True, allow_none=True)
    at = fields.DateTime(required=True)


PARTS_SOLD = EventContract(SOURCE, "parts_sold", 1, PartsSoldPayload,
                           "A counter sale was invoiced: its parts have left the store and its invoice is numbered.")
DELIVERY_ORDER_UPDATED = EventContract(
    SOURCE, "delivery_order_updated", 1, DeliveryOrderUpdatedPayload,
    "A delivery order of a counter sale was scheduled or changed status (no address or phone in the event).")

EVENTS = [PARTS_SOLD, DELIVERY_ORDER_UPDATED]
