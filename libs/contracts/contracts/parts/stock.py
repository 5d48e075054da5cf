"""Stock per site, warehouse, bin and batch; reservations, issues, returns and write-offs."""
from marshmallow import fields, validate

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from contracts.parts.common import SOURCE, LocationCode, PartNumber
from svckit.events import EventContract

__all__ = [
    "NewWarehouse", "NewBin", "StockReceipt", "StockPolicy", "ReservationRequest", "Issue", "ReturnToStock",
    "WriteOff", "LotQuery", "MovementQuery", "WarehouseView", "BinView", "StockView", "LotView", "MovementView",
    "ReservationView", "STOCK_RECEIVED", "PART_RESERVED", "PARTS_ISSUED", "PARTS_RETURNED", "LOW_STOCK",
    "STOCK_WRITTEN_OFF", "BATCH_EXPIRING", "WRITE_OFF_REASONS", "RESERVATION_KINDS", "EVENTS",
]

WRITE_OFF_REASONS = ["damaged", "expired", "lost"]
RESERVATION_KINDS = ["repair_order", "counter_order", "transfer"]


# --- RPC inputs ---

class NewWarehouse(StrictSchema):
    site_id = SiteId(required=True)
    code = LocationCode(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class NewBin(StrictSchema):
    site_id = SiteId(required=True)
    warehouse_code = LocationCode(required=True)
    code = LocationCode(required=True)


class StockReceipt(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)
    unit_cost = Money(load_default=None, allow_none=True,
                      metadata={"description": "What one unit cost; the catalogue cost price when omitted."})
    warehouse_code = LocationCode(load_default=None, allow_none=True,
                                  metadata={"description": "The site's MAIN warehouse when omitted."})
    bin_code = LocationCode(load_default=None, allow_none=True,
                            metadata={"description": "The warehouse's DEFAULT bin when omitted."})
    batch = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=40))
    expiry_date = fields.Date(load_default=None, allow_none=True,
                              metadata={"description": "Required for parts with a shelf life."})
    reference = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                              metadata={"description": "Delivery note, purchase order, ..."})


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
        "description": "The caller's key for this demand, e.g. the RO line id; asking again with it returns the "
                       "same reservation."})
    repair_order_id = Id(load_default=None, allow_none=True)
    kind = fields.String(load_default="repair_order", validate=validate.OneOf(RESERVATION_KINDS))
    backorder = fields.Boolean(load_default=True, metadata={
        "description": "When stock is short, queue the demand and reserve it as stock arrives (in the order "
                       "asked); when false, a short request reserves nothing."})


class Issue(StrictSchema):
    reservation_id = Id(required=True)


class ReturnToStock(StrictSchema):
    reservation_id = Id(required=True)
    quantity = Quantity(required=True)
    bin_code = LocationCode(load_default=None, allow_none=True,
                            metadata={"description": "Where it goes back; the bin it came from when omitted."})
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class WriteOff(StrictSchema):
    lot_id = Id(required=True)
    quantity = Quantity(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(WRITE_OFF_REASONS))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class LotQuery(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(load_default=None)
    expiring_within_days = fields.Integer(load_default=None, validate=validate.Range(min=0, max=3650))


class MovementQuery(StrictSchema):
    site_id = SiteId(required=True)
    part_number = PartNumber(load_default=None)
    reference = fields.String(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


# --- RPC answers ---

class WarehouseView(PayloadSchema):
    warehouse_id = Id(attribute="id")
    site_id = fields.String()
    code = fields.String()
    name = fields.String()


class BinView(PayloadSchema):
    bin_id = Id(attribute="id")
    site_id = fields.String()
    warehouse_code = fields.String()
    code = fields.String()


class StockView(PayloadSchema):
    site_id = fields.String()
    part_number = fields.String()
    on_hand = fields.Decimal(as_string=True, places=2)
    reserved = fields.Decimal(as_string=True, places=2)
    available = fields.Decimal(as_string=True, places=2)
    backordered = fields.Decimal(as_string=True, places=2, metadata={"description": "Demand waiting for stock to arrive."})
    reorder_point = fields.Decimal(as_string=True, places=2)
    reorder_quantity = fields.Decimal(as_string=True, places=2)
    average_cost = Money()


class LotView(PayloadSchema):
    lot_id = Id(attribute="id")
    site_id = fields.String()
    part_number = fields.String()
    warehouse_code = fields.String()
    bin_code = fields.String()
    batch = fields.String()
    expiry_date = fields.Date(allow_none=True)
    quantity = fields.Decimal(as_string=True)
    received_at = fields.DateTime()


class MovementView(PayloadSchema):
    movement_id = Id(attribute="id")
    site_id = fields.String()
    part_number = fields.String()
    kind = fields.String(metadata={"description": "receipt, issue, return, write_off, adjustment, transfer_out, "
                                                  "transfer_in or sale."})
    quantity = fields.Decimal(as_string=True, metadata={"description": "Positive into stock, negative out."})
    unit_cost = Money()
    lot_id = Id(allow_none=True)
    reference = fields.String(allow_none=True)
    reason = fields.String()
    at = fields.DateTime()
    by = fields.String()


class ReservationView(PayloadSchema):
    reservation_id = Id(attribute="id", allow_none=True)
    site_id = fields.String()
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True)
    reference = fields.String()
    repair_order_id = Id(allow_none=True)
    kind = fields.String()
    status = fields.String(metadata={
        "description": "reserved, backordered (waits for stock), issued, returned or released; short when stock "
                       "did not cover a request that asked not to backorder."})
    available = fields.Decimal(as_string=True, metadata={"description": "Available stock after this request."})
    expected_at = fields.DateTime(allow_none=True, metadata={
        "description": "Backordered only: by when more stock is expected, the end of the (sites' calendar) expected "
                       "date of the earliest sent purchase order that still owes the part; null when none does."})


# --- events ---

class StockReceivedPayload(PayloadSchema):
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    on_hand = fields.Decimal(required=True, as_string=True)
    lot_id = Id(required=True)
    bin_code = fields.String(required=True)
    batch = fields.String(required=True)
    expiry_date = fields.Date(required=True, allow_none=True)
    reference = fields.String(required=True, allow_none=True)


class PartReservedPayload(PayloadSchema):
    reservation_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    reference = fields.String(required=True)
    repair_order_id = Id(required=True, allow_none=True)
    kind = fields.String(required=True)
    was_backordered = fields.Boolean(required=True, metadata={
        "description": "True when the demand waited for stock and was reserved as stock arrived."})


class IssuedLine(PayloadSchema):
    reservation_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    unit_cost = fields.Decimal(required=True, as_string=True)


class PartsIssuedPayload(PayloadSchema):
    repair_order_id = Id(required=True)
    lines = fields.List(fields.Nested(IssuedLine), required=True)


class PartsReturnedPayload(PayloadSchema):
    reservation_id = Id(required=True)
    repair_order_id = Id(required=True, allow_none=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    reason = fields.String(required=True)


class LowStockPayload(PayloadSchema):
    part_number = fields.String(required=True)
    on_hand = fields.Decimal(required=True, as_string=True)
    reserved = fields.Decimal(required=True, as_string=True)
    available = fields.Decimal(required=True, as_string=True)
    reorder_point = fields.Decimal(required=True, as_string=True)
    reorder_quantity = fields.Decimal(required=True, as_string=True)


class StockWrittenOffPayload(PayloadSchema):
    part_number = fields.String(required=True)
    lot_id = Id(required=True)
    batch = fields.String(required=True)
    quantity = Quantity(required=True)
    reason = fields.String(required=True)
    value = Money(required=True, metadata={"description": "Quantity x average cost written off."})
    note = fields.String(required=True)


class BatchExpiringPayload(PayloadSchema):
    part_number = fields.String(required=True)
    lot_id = Id(required=True)
    bin_code = fields.String(required=True)
    batch = fields.String(required=True)
    expiry_date = fields.Date(required=True)
    quantity = Quantity(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "Negative when already expired."})


STOCK_RECEIVED = EventContract(SOURCE, "stock_received", 2, StockReceivedPayload,
                               "Parts were put into stock at a site, into a bin (and batch).")
PART_RESERVED = EventContract(SOURCE, "part_reserved", 2, PartReservedPayload,
                              "Stock was set aside for a demand (an RO line, a counter order, a transfer): at once, "
                              "or when stock arrived for a backordered demand.")
PARTS_ISSUED = EventContract(SOURCE, "parts_issued", 1, PartsIssuedPayload,
                             "Reserved parts left the store for a repair order.")
PARTS_RETURNED = EventContract(SOURCE, "parts_returned", 1, PartsReturnedPayload,
                               "Issued parts came back to the store unused.")
LOW_STOCK = EventContract(SOURCE, "low_stock", 1, LowStockPayload,
                          "Stock on hand of a part at a site fell below its reorder point.")
STOCK_WRITTEN_OFF = EventContract(SOURCE, "stock_written_off", 1, StockWrittenOffPayload,
                                  "Damaged, expired or lost stock was taken off the books.")
BATCH_EXPIRING = EventContract(SOURCE, "batch_expiring", 1, BatchExpiringPayload,
                               "A batch in stock expires within the alert window (EXPIRY_ALERT_DAYS).")

EVENTS = [STOCK_RECEIVED, PART_RESERVED, PARTS_ISSUED, PARTS_RETURNED, LOW_STOCK, STOCK_WRITTEN_OFF, BATCH_EXPIRING]
