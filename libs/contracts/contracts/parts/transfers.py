"""Transfers of stock between the sites of the group, with stock in transit.

A transfer is requested (from site, to site, lines), approved by a site_manager of the
SENDING site (its stock is reserved, kind "transfer", reference "transfer-line:<line id>"),
shipped by the sending site (the stock leaves with movement kind transfer_out and is in
transit), and received by the receiving site (movement kind transfer_in, at the cost it
left the sender with, into a bin of the receiver). A receipt may be short: each short line
names a discrepancy reason and the difference is recorded as lost in transit. Until it
ships, a transfer may be cancelled by either site (its reservations are released).
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from contracts.parts.common import SOURCE, LocationCode, PartNumber
from svckit.events import EventContract

__all__ = [
    "TRANSFER_STATUSES", "TRANSFER_DIRECTIONS", "TransferLineRequest", "NewTransfer", "TransferQuery",
    "TransferReceivedLine", "TransferReceipt", "TransferCancellation", "TransferLineView", "TransferView",
    "StockInTransitView", "TRANSFER_SHIPPED", "TRANSFER_RECEIVED", "EVENTS",
]

TRANSFER_STATUSES = ["requested", "approved", "shipped", "received", "cancelled"]
TRANSFER_DIRECTIONS = ["inbound", "outbound", "both"]
MAX_LINES = 200


# --- RPC inputs ---

class TransferLineRequest(StrictSchema):
    part_number = PartNumber(required=True, metadata={
        "description": "A superseded number is transferred as the part that replaces it."})
    quantity = Quantity(required=True)


class NewTransfer(StrictSchema):
    from_site_id = SiteId(required=True, metadata={"description": "The site that sends the stock."})
    to_site_id = SiteId(required=True, metadata={"description": "The site that receives it."})
    lines = fields.List(fields.Nested(TransferLineRequest), required=True,
                        validate=validate.Length(min=1, max=MAX_LINES))
    note = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def _two_sites_and_each_part_once(self, data, **kwargs):
        if data.get("from_site_id") and data.get("from_site_id") == data.get("to_site_id"):
            raise ValidationError("Must differ from from_site_id.", "to_site_id")
        numbers = [line["part_number"] for line in data.get("lines") or []]
        repeated = sorted({number for number in numbers if numbers.count(number) > 1})
        if repeated:
            raise ValidationError(f"Each part once per transfer; repeated: {', '.join(repeated)}.", "lines")


class TransferQuery(StrictSchema):
    site_id = SiteId(load_default=None, metadata={"description": "Every site you may see when omitted."})
    direction = fields.String(load_default="both", validate=validate.OneOf(TRANSFER_DIRECTIONS), metadata={
        "description": "inbound: to site_id; outbound: from site_id; both."})
    status = fields.String(load_default=None, validate=validate.OneOf(TRANSFER_STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class TransferReceivedLine(StrictSchema):
    line_id = Id(required=True)
    received_quantity = Amount("0", required=True, metadata={"description": "What arrived; 0 when nothing did."})
    discrepancy_reason = fields.String(load_default="", validate=validate.Length(max=200), metadata={
        "description": "Required when less arrived than was shipped; the difference is lost in transit."})


class TransferReceipt(StrictSchema):
    lines = fields.List(fields.Nested(TransferReceivedLine), load_default=list, validate=validate.Length(max=MAX_LINES),
                        metadata={"description": "Lines that arrived short; a line not listed arrived in full."})
    warehouse_code = LocationCode(load_default=None, allow_none=True,
                                  metadata={"description": "The receiving site's MAIN warehouse when omitted."})
    bin_code = LocationCode(load_default=None, allow_none=True,
                            metadata={"description": "The warehouse's DEFAULT bin when omitted."})


class TransferCancellation(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


# --- RPC answers ---

class TransferBatchView(PayloadSchema):
    batch = fields.String()
    expiry_date = fields.Date(allow_none=True)
    quantity = fields.Decimal(as_string=True)


class TransferLineView(PayloadSchema):
    line_id = Id(attribute="id")
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True, metadata={"description": "Asked for."})
    reservation_id = Id(allow_none=True, metadata={"description": "The sender's reservation, once approved."})
    shipped_quantity = fields.Decimal(as_string=True, allow_none=True)
    unit_cost = Money(allow_none=True, metadata={"description": "The sender's average cost when it shipped."})
    batches = fields.List(fields.Nested(TransferBatchView), metadata={"description": "Batches shipped."})
    received_quantity = fields.Decimal(as_string=True, allow_none=True)
    lost_quantity = fields.Decimal(as_string=True, allow_none=True,
                                   metadata={"description": "Shipped but never arrived (lost in transit)."})
    discrepancy_reason = fields.String()


class TransferView(PayloadSchema):
    transfer_id = Id(attribute="id")
    from_site_id = fields.String()
    to_site_id = fields.String()
    status = fields.String(metadata={"description": "requested, approved, shipped, received or cancelled."})
    allowed_actions = fields.List(fields.String(), metadata={
        "description": "What may happen next: approve, ship, receive, cancel."})
    note = fields.String()
    lines = fields.List(fields.Nested(TransferLineView))
    requested_by = fields.String()
    requested_at = fields.DateTime()
    approved_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    shipped_by = fields.String(allow_none=True)
    shipped_at = fields.DateTime(allow_none=True)
    received_by = fields.String(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String()


class StockInTransitView(PayloadSchema):
    site_id = fields.String()
    part_number = fields.String()
    inbound_quantity = fields.Decimal(as_string=True, metadata={"description": "Shipped to this site, not received."})
    inbound_value = Money()
    outbound_quantity = fields.Decimal(as_string=True, metadata={
        "description": "Shipped by this site, not yet received at the other."})
    outbound_value = Money()
    transfer_ids = fields.List(Id())


# --- events ---

class TransferShippedLine(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    unit_cost = Money(required=True)


class TransferShippedPayload(PayloadSchema):
    transfer_id = Id(required=True)
    from_site_id = fields.String(required=True)
    to_site_id = fields.String(required=True)
    lines = fields.List(fields.Nested(TransferShippedLine), required=True)
    value = Money(required=True, metadata={"description": "Shipped quantity x unit cost, over the lines."})


class TransferReceivedLinePayload(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    shipped_quantity = Quantity(required=True)
    received_quantity = Amount("0", required=True)
    lost_quantity = Amount("0", required=True)
    unit_cost = Money(required=True)
    discrepancy_reason = fields.String(required=True)


class TransferReceivedPayload(PayloadSchema):
    transfer_id = Id(required=True)
    from_site_id = fields.String(required=True)
    to_site_id = fields.String(required=True)
    lines = fields.List(fields.Nested(TransferReceivedLinePayload), required=True)
    lost_value = Money(required=True, metadata={"description": "Value lost in transit (lost quantity x unit cost)."})


TRANSFER_SHIPPED = EventContract(SOURCE, "transfer_shipped", 1, TransferShippedPayload,
                                 "Stock left the sending site for another site of the group and is in transit "
                                 "(published with the sending site's site_id).")
TRANSFER_RECEIVED = EventContract(SOURCE, "transfer_received", 1, TransferReceivedPayload,
                                  "A transfer arrived at the receiving site, in full or short; what did not arrive "
                                  "is recorded as lost in transit (published with the receiving site's site_id).")

EVENTS = [TRANSFER_SHIPPED, TRANSFER_RECEIVED]
