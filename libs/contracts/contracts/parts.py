"""parts: catalogue, stock per site, reservations and issues (manual 2.3, ch. 5)."""
from marshmallow import fields, validate

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from svckit.events import EventContract

SOURCE = "parts"

PART_NUMBER = validate.Regexp(r"^[A-Z0-9][A-Z0-9.\-]{0,39}$",
                              error="Must be 1-40 upper-case letters, digits, '.' or '-'.")


def PartNumber(**kwargs):
    return fields.String(validate=PART_NUMBER, **kwargs)


# --- RPC inputs ---

class NewPart(StrictSchema):
    part_number = PartNumber(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    unit = fields.String(load_default="piece", validate=validate.Length(min=1, max=20))
    cost_price = Money(required=True)
    retail_price = Money(required=True)


class StockReceipt(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)


class StockPolicy(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(required=True)
    reorder_point = Amount("0", required=True)
    reorder_quantity = Quantity(required=True)


class ReservationRequest(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={
        "description": "The caller's key for this demand, e.g. the RO line id; asking again with it returns the same reservation."})
    repair_order_id = Id(load_default=None, allow_none=True)


# --- RPC answers ---

class PartView(PayloadSchema):
    part_number = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    unit = fields.String()
    cost_price = Money()
    retail_price = Money()


class StockView(PayloadSchema):
    site_id = fields.String()
    part_number = fields.String()
    on_hand = fields.Decimal(as_string=True)
    reserved = fields.Decimal(as_string=True)
    available = fields.Decimal(as_string=True)
    reorder_point = fields.Decimal(as_string=True)
    reorder_quantity = fields.Decimal(as_string=True)
    average_cost = Money()


class ReservationView(PayloadSchema):
    reservation_id = Id(attribute="id")
    site_id = fields.String()
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True)
    reference = fields.String()
    repair_order_id = Id(allow_none=True)
    status = fields.String(metadata={"description": "reserved, issued or released; short when stock did not cover it."})
    available = fields.Decimal(as_string=True, metadata={"description": "Available stock after this request."})


# --- events ---

class StockReceivedPayload(PayloadSchema):
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    on_hand = fields.Decimal(required=True, as_string=True)


class PartReservedPayload(PayloadSchema):
    reservation_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    reference = fields.String(required=True)
    repair_order_id = Id(required=True, allow_none=True)


class IssuedLine(PayloadSchema):
    reservation_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    unit_cost = fields.Decimal(required=True, as_string=True)


class PartsIssuedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    lines = fields.List(fields.Nested(IssuedLine), required=True)


class LowStockPayload(PayloadSchema):
    part_number = fields.String(required=True)
    on_hand = fields.Decimal(required=True, as_string=True)
    reserved = fields.Decimal(required=True, as_string=True)
    available = fields.Decimal(required=True, as_string=True)
    reorder_point = fields.Decimal(required=True, as_string=True)
    reorder_quantity = fields.Decimal(required=True, as_string=True)


STOCK_RECEIVED = EventContract(SOURCE, "stock_received", 1, StockReceivedPayload,
                               "Parts were put into stock at a site.")
PART_RESERVED = EventContract(SOURCE, "part_reserved", 1, PartReservedPayload,
                              "Stock was set aside for a demand (an RO line); it can no longer be sold to anyone else.")
PARTS_ISSUED = EventContract(SOURCE, "parts_issued", 1, PartsIssuedPayload,
                             "Reserved parts left the store for a repair order.")
LOW_STOCK = EventContract(SOURCE, "low_stock", 1, LowStockPayload,
                          "Stock on hand of a part at a site fell below its reorder point.")

EVENTS = [STOCK_RECEIVED, PART_RESERVED, PARTS_ISSUED, LOW_STOCK]
