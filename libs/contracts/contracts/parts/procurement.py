"""Procurement: suppliers, requests for quotation and bids, purchase orders, receiving with inspection, supplier scorecards, replenishment suggestions and purchase plans."""
from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Amount, Id, Money, PayloadSchema, Phone, Quantity, SiteId, StrictSchema
from contracts.parts.common import SOURCE, LocationCode, PartNumber
from svckit.events import EventContract

__all__ = [
    "PURCHASE_ORDER_STATUSES", "RFQ_STATUSES", "PLAN_STATUSES",
    "SupplierContact", "NewSupplier", "SupplierChanges", "SupplierQuery", "SupplierView",
    "NewRfq", "RfqLineInput", "BidInput", "BidLineInput", "RfqAward", "RfqView", "BidComparisonView",
    "NewPurchaseOrder", "PurchaseOrderLineInput", "PurchaseOrderQuery", "PurchaseOrderCancel", "PurchaseOrderView",
    "GoodsReceiptInput", "GoodsReceiptLineInput", "GoodsReceiptView",
    "ScorecardQuery", "ScorecardView",
    "ReplenishmentQuery", "ReplenishmentView", "NewPurchasePlan", "PurchasePlanChanges", "PurchasePlanView",
    "PURCHASE_ORDER_PLACED", "PURCHASE_ORDER_OVERDUE", "GOODS_RECEIVED", "PURCHASE_PLAN_APPROVED", "EVENTS",
]

PURCHASE_ORDER_STATUSES = ["draft", "sent", "partially_received", "received", "cancelled"]
RFQ_STATUSES = ["open", "awarded", "cancelled"]
PLAN_STATUSES = ["draft", "approved"]

LeadTimeDays = lambda **kw: fields.Integer(validate=validate.Range(min=0, max=365), **kw)  # noqa: E731


def _distinct(values, what, field=None):
    if len(set(values)) != len(values):
        raise ValidationError(f"Each {what} at most once.", field)


# --- suppliers ---

class SupplierContact(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    role = fields.String(load_default="", validate=validate.Length(max=100),
                         metadata={"description": "e.g. sales, accounts, logistics."})
    phone = Phone(load_default=None, allow_none=True)
    email = fields.Email(load_default=None, allow_none=True)


class NewSupplier(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    contacts = fields.List(fields.Nested(SupplierContact), load_default=list, validate=validate.Length(max=20))
    payment_terms = fields.String(load_default="", validate=validate.Length(max=200),
                                  metadata={"description": "e.g. 月结30天 (net 30 days)."})
    lead_time_days = LeadTimeDays(required=True, metadata={
        "description": "Usual days from order to delivery; used for expected dates and replenishment."})
    active = fields.Boolean(load_default=True)


class SupplierChanges(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    contacts = fields.List(fields.Nested(SupplierContact), validate=validate.Length(max=20))
    payment_terms = fields.String(validate=validate.Length(max=200))
    lead_time_days = LeadTimeDays()
    active = fields.Boolean()


class SupplierQuery(StrictSchema):
    text = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    active = fields.Boolean(load_default=None, allow_none=True)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class SupplierContactView(PayloadSchema):
    name = fields.String()
    role = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class SupplierView(PayloadSchema):
    supplier_id = Id(attribute="id")
    name = fields.String()
    contacts = fields.List(fields.Nested(SupplierContactView))
    payment_terms = fields.String()
    lead_time_days = fields.Integer()
    active = fields.Boolean()


# --- requests for quotation ---

class RfqLineInput(StrictSchema):
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)


class NewRfq(StrictSchema):
    site_id = SiteId(required=True, metadata={"description": "The site the parts are for; the award's order is "
                                                            "delivered there."})
    lines = fields.List(fields.Nested(RfqLineInput), required=True, validate=validate.Length(min=1, max=200))
    supplier_ids = fields.List(Id(), required=True, validate=[
        validate.Length(min=2, max=20, error="Send a request for quotation to 2 to 20 suppliers."),
        lambda ids: _distinct(ids, "supplier")])
    reply_by = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def _each_part_once(self, data, **kwargs):
        if "lines" in data:
            _distinct([line["part_number"] for line in data["lines"]], "part", "lines")


class BidLineInput(StrictSchema):
    line_id = Id(required=True, metadata={"description": "The request's line being priced."})
    unit_price = Amount("0.01", required=True)


class BidInput(StrictSchema):
    supplier_id = Id(required=True)
    lead_time_days = LeadTimeDays(required=True)
    lines = fields.List(fields.Nested(BidLineInput), required=True, validate=validate.Length(min=1),
                        metadata={"description": "A price for every line of the request."})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class RfqAward(StrictSchema):
    supplier_id = Id(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Why, when the award does not go to the best-scored bid (then required)."})
    expected_date = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Delivery date on the order; today + the bid's lead time when omitted."})


class RfqLineView(PayloadSchema):
    line_id = Id(attribute="id")
    line_no = fields.Integer()
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True)


class BidLineView(PayloadSchema):
    line_id = Id(attribute="rfq_line_id")
    unit_price = Money()


class BidView(PayloadSchema):
    supplier_id = Id()
    supplier_name = fields.String()
    lead_time_days = fields.Integer()
    total = Money()
    lines = fields.List(fields.Nested(BidLineView))
    note = fields.String()
    submitted_at = fields.DateTime()


class InvitedSupplierView(PayloadSchema):
    supplier_id = Id()
    name = fields.String()
    has_bid = fields.Boolean()


class RfqView(PayloadSchema):
    rfq_id = Id(attribute="id")
    number = fields.String()
    site_id = fields.String()
    status = fields.String(metadata={"description": "open, awarded or cancelled."})
    reply_by = fields.Date(allow_none=True)
    note = fields.String()
    lines = fields.List(fields.Nested(RfqLineView))
    suppliers = fields.List(fields.Nested(InvitedSupplierView))
    bids = fields.List(fields.Nested(BidView))
    awarded_supplier_id = Id(allow_none=True)
    award_reason = fields.String()
    purchase_order_id = Id(allow_none=True)
    created_at = fields.DateTime()
    created_by = fields.String()


class ScoredBidView(PayloadSchema):
    rank = fields.Integer()
    supplier_id = Id()
    supplier_name = fields.String()
    total = Money()
    lead_time_days = fields.Integer()
    rating = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "The supplier's scorecard rating (0-100) over the last 365 days; null without deliveries."})
    price_score = fields.Decimal(as_string=True)
    lead_time_score = fields.Decimal(as_string=True)
    rating_score = fields.Decimal(as_string=True)
    score = fields.Decimal(as_string=True)


class BidComparisonView(PayloadSchema):
    rfq_id = Id()
    weights = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True))
    neutral_rating = fields.Decimal(as_string=True)
    bids = fields.List(fields.Nested(ScoredBidView), metadata={"description": "Best first."})
    missing = fields.List(Id(), metadata={"description": "Invited suppliers that have not bid."})


# --- purchase orders ---

class PurchaseOrderLineInput(StrictSchema):
    part_number = PartNumber(required=True)
    quantity = Quantity(required=True)
    unit_price = Money(required=True, metadata={"description": "The agreed price of one unit."})


class NewPurchaseOrder(StrictSchema):
    site_id = SiteId(required=True)
    supplier_id = Id(required=True)
    expected_date = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "When the delivery is due; today + the supplier's lead time when omitted."})
    lines = fields.List(fields.Nested(PurchaseOrderLineInput), required=True, validate=validate.Length(min=1, max=200))
    note = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def _each_part_once(self, data, **kwargs):
        if "lines" in data:
            _distinct([line["part_number"] for line in data["lines"]], "part", "lines")


class PurchaseOrderQuery(StrictSchema):
    site_id = SiteId(load_default=None)
    supplier_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(PURCHASE_ORDER_STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class PurchaseOrderCancel(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PurchaseOrderLineView(PayloadSchema):
    line_id = Id(attribute="id")
    line_no = fields.Integer()
    part_number = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = Money()
    delivered_quantity = fields.Decimal(as_string=True)
    accepted_quantity = fields.Decimal(as_string=True)
    rejected_quantity = fields.Decimal(as_string=True, metadata={"description": "Returned to the supplier; "
                                                                               "still owed unless cancelled."})
    cancelled_quantity = fields.Decimal(as_string=True)
    outstanding_quantity = fields.Decimal(as_string=True, metadata={"description": "ordered - accepted - cancelled"})


class PurchaseOrderView(PayloadSchema):
    purchase_order_id = Id(attribute="id")
    number = fields.String()
    site_id = fields.String()
    supplier_id = Id()
    supplier_name = fields.String()
    status = fields.String(metadata={"description": "draft, sent, partially_received, received or cancelled."})
    expected_date = fields.Date()
    overdue = fields.Boolean()
    total = Money()
    lines = fields.List(fields.Nested(PurchaseOrderLineView))
    note = fields.String()
    rfq_id = Id(allow_none=True)
    plan_id = Id(allow_none=True)
    created_at = fields.DateTime()
    created_by = fields.String()
    sent_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String()


# --- receiving ---

class GoodsReceiptLineInput(StrictSchema):
    line_id = Id(required=True, metadata={"description": "The purchase order line delivered."})
    delivered = Quantity(required=True)
    accepted = Amount("0", required=True, metadata={"description": "Passed incoming inspection: enters stock."})
    rejected = Amount("0", load_default=Decimal("0"), metadata={"description": "Failed inspection: returned to the "
                                                                       "supplier, still owed on the order."})
    reject_reason = fields.String(load_default="", validate=validate.Length(max=500))
    warehouse_code = LocationCode(load_default=None, allow_none=True)
    bin_code = LocationCode(load_default=None, allow_none=True)
    batch = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=40))
    expiry_date = fields.Date(load_default=None, allow_none=True)


class GoodsReceiptInput(StrictSchema):
    delivery_note = fields.String(load_default="", validate=validate.Length(max=100),
                                  metadata={"description": "The supplier's delivery note number."})
    lines = fields.List(fields.Nested(GoodsReceiptLineInput), required=True, validate=[
        validate.Length(min=1), lambda lines: _distinct([l["line_id"] for l in lines], "line")])


class GoodsReceiptLineView(PayloadSchema):
    line_id = Id(attribute="purchase_order_line_id")
    part_number = fields.String()
    delivered_quantity = fields.Decimal(as_string=True)
    accepted_quantity = fields.Decimal(as_string=True)
    rejected_quantity = fields.Decimal(as_string=True)
    reject_reason = fields.String()
    unit_price = Money()
    lot_id = Id(allow_none=True)


class GoodsReceiptView(PayloadSchema):
    receipt_id = Id(attribute="id")
    purchase_order_id = Id()
    site_id = fields.String()
    supplier_id = Id()
    delivery_note = fields.String()
    received_at = fields.DateTime()
    received_on = fields.Date()
    on_time = fields.Boolean()
    received_by = fields.String()
    lines = fields.List(fields.Nested(GoodsReceiptLineView))


# --- scorecard ---

class ScorecardQuery(StrictSchema):
    supplier_id = Id(required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    site_id = SiteId(load_default=None, metadata={"description": "One site; every site you may see when omitted."})

    @validates_schema
    def _period(self, data, **kwargs):
        if "date_from" in data and "date_to" in data and data["date_from"] > data["date_to"]:
            raise ValidationError("Must not be before date_from.", "date_to")


class ScorecardView(PayloadSchema):
    supplier_id = Id()
    supplier_name = fields.String()
    date_from = fields.Date()
    date_to = fields.Date()
    site_id = fields.String(allow_none=True)
    receipts = fields.Integer()
    on_time_receipts = fields.Integer()
    on_time_pct = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "Receipts on or before the order's expected date / receipts, %; null without receipts."})
    delivered_quantity = fields.Decimal(as_string=True)
    accepted_quantity = fields.Decimal(as_string=True)
    rejected_quantity = fields.Decimal(as_string=True)
    acceptance_pct = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "Accepted / delivered quantity, %."})
    purchased_value = Money(metadata={"description": "Accepted quantity x agreed price."})
    variance_to_standard_cost = fields.Decimal(as_string=True, metadata={
        "description": "Sum of (agreed price - the part's standard cost) x accepted quantity; positive = paid more."})
    variance_to_standard_cost_pct = fields.Decimal(as_string=True, allow_none=True)
    variance_to_lowest_bid = fields.Decimal(as_string=True, metadata={
        "description": "For lines ordered through a request for quotation: sum of (agreed price - the lowest bid "
                       "for that line) x accepted quantity."})
    variance_to_lowest_bid_pct = fields.Decimal(as_string=True, allow_none=True)
    rating = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "Mean of on_time_pct and acceptance_pct (what bid comparison uses)."})
    open_overdue_orders = fields.Integer(metadata={"description": "Orders still owed and past their date now."})


# --- replenishment and purchase plans ---

class ReplenishmentQuery(StrictSchema):
    site_id = SiteId(required=True)
    window_days = fields.Integer(load_default=90, validate=validate.Range(min=7, max=730),
                                 metadata={"description": "Days of demand history averaged."})
    review_days = fields.Integer(load_default=7, validate=validate.Range(min=0, max=180),
                                 metadata={"description": "Days until the next time stock is reviewed."})
    service_level_z = fields.Decimal(load_default=None, allow_none=True, places=2, as_string=True,
                                     validate=validate.Range(min=0, max=4), metadata={
                                         "description": "Safety factor z; 1.65 (about 95% service level) when "
                                                        "omitted."})
    part_number = PartNumber(load_default=None)
    include_all = fields.Boolean(load_default=False, metadata={
        "description": "Also list parts that need no order now."})


class ReplenishmentLineView(PayloadSchema):
    part_number = fields.String()
    supplier_id = Id(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    average_daily_demand = fields.Decimal(as_string=True)
    demand_std_dev = fields.Decimal(as_string=True)
    lead_time_days = fields.Integer()
    review_days = fields.Integer()
    service_level_z = fields.Decimal(as_string=True)
    safety_stock = fields.Decimal(as_string=True)
    reorder_point = fields.Decimal(as_string=True)
    review_demand = fields.Decimal(as_string=True)
    on_hand = fields.Decimal(as_string=True)
    reserved = fields.Decimal(as_string=True)
    backordered = fields.Decimal(as_string=True)
    on_order = fields.Decimal(as_string=True)
    position = fields.Decimal(as_string=True)
    suggested_quantity = fields.Decimal(as_string=True)


class ReplenishmentView(PayloadSchema):
    site_id = fields.String()
    window_days = fields.Integer()
    review_days = fields.Integer()
    service_level_z = fields.Decimal(as_string=True)
    lines = fields.List(fields.Nested(ReplenishmentLineView))


class NewPurchasePlan(StrictSchema):
    site_id = SiteId(required=True)
    window_days = fields.Integer(load_default=90, validate=validate.Range(min=7, max=730))
    review_days = fields.Integer(load_default=7, validate=validate.Range(min=0, max=180))
    service_level_z = fields.Decimal(load_default=None, allow_none=True, places=2, as_string=True,
                                     validate=validate.Range(min=0, max=4))


class PlanLineChange(StrictSchema):
    line_id = Id(load_default=None, metadata={"description": "A line of the plan; omit it to add a part."})
    part_number = PartNumber(load_default=None, metadata={"description": "A part to add to the plan."})
    quantity = Amount("0", required=True, metadata={"description": "0 leaves the part out of the orders."})
    supplier_id = Id(allow_none=True, metadata={"description": "Omit to keep the line's supplier; null clears it."})

    @validates_schema
    def _line_or_part(self, data, **kwargs):
        if (data.get("line_id") is None) == (data.get("part_number") is None):
            raise ValidationError("Give line_id (to change a line) or part_number (to add one), not both.",
                                  "line_id")


class PurchasePlanChanges(StrictSchema):
    lines = fields.List(fields.Nested(PlanLineChange), required=True, validate=validate.Length(min=1, max=500))


class PurchasePlanLineView(ReplenishmentLineView):
    line_id = Id()
    quantity = fields.Decimal(as_string=True, metadata={"description": "What will be ordered (the clerk's edit)."})
    unit_price = Money(allow_none=True, metadata={
        "description": "The supplier's last agreed price for the part, else the part's standard cost."})
    purchase_order_id = Id(allow_none=True)


class PurchasePlanView(PayloadSchema):
    plan_id = Id(attribute="id")
    site_id = fields.String()
    status = fields.String(metadata={"description": "draft or approved."})
    window_days = fields.Integer()
    review_days = fields.Integer()
    service_level_z = fields.Decimal(as_string=True)
    lines = fields.List(fields.Nested(PurchasePlanLineView))
    created_at = fields.DateTime()
    created_by = fields.String()
    approved_at = fields.DateTime(allow_none=True)
    approved_by = fields.String(allow_none=True)
    purchase_order_ids = fields.List(Id())


# --- events ---

class OrderedLine(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    quantity = Quantity(required=True)
    unit_price = Money(required=True)


class PurchaseOrderPlacedPayload(PayloadSchema):
    purchase_order_id = Id(required=True)
    number = fields.String(required=True)
    supplier_id = Id(required=True)
    supplier_name = fields.String(required=True)
    expected_date = fields.Date(required=True)
    total = Money(required=True)
    lines = fields.List(fields.Nested(OrderedLine), required=True)
    rfq_id = Id(required=True, allow_none=True)
    plan_id = Id(required=True, allow_none=True)


class OutstandingLine(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    outstanding_quantity = Quantity(required=True)


class PurchaseOrderOverduePayload(PayloadSchema):
    purchase_order_id = Id(required=True)
    number = fields.String(required=True)
    supplier_id = Id(required=True)
    supplier_name = fields.String(required=True)
    expected_date = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    lines = fields.List(fields.Nested(OutstandingLine), required=True,
                        metadata={"description": "The lines still owed."})


class ReceivedLine(PayloadSchema):
    line_id = Id(required=True)
    part_number = fields.String(required=True)
    delivered = Quantity(required=True)
    accepted = Amount("0", required=True)
    rejected = Amount("0", required=True)
    reject_reason = fields.String(required=True)


class GoodsReceivedPayload(PayloadSchema):
    purchase_order_id = Id(required=True)
    number = fields.String(required=True, metadata={"description": "The purchase order's number."})
    receipt_id = Id(required=True)
    supplier_id = Id(required=True)
    delivery_note = fields.String(required=True)
    on_time = fields.Boolean(required=True)
    status = fields.String(required=True, metadata={"description": "The order's status after this delivery."})
    lines = fields.List(fields.Nested(ReceivedLine), required=True)


class PlannedOrder(PayloadSchema):
    purchase_order_id = Id(required=True)
    number = fields.String(required=True)
    supplier_id = Id(required=True)
    total = Money(required=True)


class PurchasePlanApprovedPayload(PayloadSchema):
    plan_id = Id(required=True)
    approved_by = fields.String(required=True)
    purchase_orders = fields.List(fields.Nested(PlannedOrder), required=True,
                                  metadata={"description": "Draft orders made, one per supplier."})


PURCHASE_ORDER_PLACED = EventContract(SOURCE, "purchase_order_placed", 1, PurchaseOrderPlacedPayload,
                                      "A purchase order was sent to its supplier.")
PURCHASE_ORDER_OVERDUE = EventContract(SOURCE, "purchase_order_overdue", 1, PurchaseOrderOverduePayload,
                                       "A sent purchase order is past its expected delivery date with parts still "
                                       "owed (raised once per order).")
GOODS_RECEIVED = EventContract(SOURCE, "goods_received", 1, GoodsReceivedPayload,
                               "A delivery against a purchase order was inspected: accepted parts entered stock, "
                               "rejected parts went back to the supplier.")
PURCHASE_PLAN_APPROVED = EventContract(SOURCE, "purchase_plan_approved", 1, PurchasePlanApprovedPayload,
                                       "A site manager approved a purchase plan; draft orders were made per supplier.")

EVENTS = [PURCHASE_ORDER_PLACED, PURCHASE_ORDER_OVERDUE, GOODS_RECEIVED, PURCHASE_PLAN_APPROVED]
