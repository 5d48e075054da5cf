"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy."""
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Amount, Id, Money, PayloadSchema, Quantity, SiteId, StrictSchema
from contracts.parts.common import SOURCE, LocationCode, PartNumber
from svckit.events import EventContract

__all__ = [
    "STOCKTAKE_SCOPES", "STOCKTAKE_STATUSES", "StocktakeBin", "NewStocktake", "StocktakeCount", "FoundStock",
    "StocktakeCounts", "RecountRequest", "StocktakeQuery", "StocktakeAccuracyQuery", "StocktakeLineView",
    "StocktakeFigures", "StocktakeView", "StocktakeSummaryView", "StocktakeAccuracyView", "STOCKTAKE_POSTED",
    "EVENTS",
]

STOCKTAKE_SCOPES = ["full", "category", "bins"]
STOCKTAKE_STATUSES = ["open", "submitted", "approved", "posted", "cancelled"]


def Share(**kwargs):
    return fields.Decimal(as_string=True, metadata={
        "description": "A share from 0 to 1, four places (0.9500 is 95%).", **kwargs.pop("metadata", {})}, **kwargs)


def SignedDecimal(description, **kwargs):
    return fields.Decimal(as_string=True, metadata={"description": description}, **kwargs)


# --- RPC inputs ---

class StocktakeBin(StrictSchema):
    warehouse_code = LocationCode(required=True)
    bin_code = LocationCode(required=True)


class NewStocktake(StrictSchema):
    site_id = SiteId(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(STOCKTAKE_SCOPES), metadata={
        "description": "full: every lot of the site; category: the parts of the categories listed; bins: the "
                       "bins listed (cycle counts)."})
    categories = fields.List(fields.String(validate=validate.Length(min=1, max=50)), load_default=list,
                             validate=validate.Length(max=100), metadata={"description": "For scope category."})
    bins = fields.List(fields.Nested(StocktakeBin), load_default=list, validate=validate.Length(max=500),
                       metadata={"description": "For scope bins."})
    blind = fields.Boolean(load_default=False, metadata={
        "description": "Counters do not see the quantities on the books until the count is submitted."})
    note = fields.String(load_default="", validate=validate.Length(max=500))

    @validates_schema
    def scope_names_what_to_count(self, data, **kwargs):
        scope, problems = data.get("scope"), {}
        if scope == "category" and not data.get("categories"):
            problems["categories"] = ["Name at least one category for a category count."]
        if scope == "bins" and not data.get("bins"):
            problems["bins"] = ["Name at least one bin for a bin count."]
        if scope != "category" and data.get("categories"):
            problems["categories"] = ["Only a category count takes categories."]
        if scope != "bins" and data.get("bins"):
            problems["bins"] = ["Only a bin count takes bins."]
        if problems:
            raise ValidationError(problems)


class StocktakeCount(StrictSchema):
    line_no = fields.Integer(required=True, validate=validate.Range(min=1))
    counted_quantity = Amount("0", required=True, metadata={"description": "What is on the shelf; 0 if empty."})


class FoundStock(StrictSchema):
    part_number = PartNumber(required=True)
    warehouse_code = LocationCode(load_default="MAIN")
    bin_code = LocationCode(required=True)
    batch = fields.String(load_default="", validate=validate.Length(max=40),
                          metadata={"description": "Required for a part with a shelf life."})
    expiry_date = fields.Date(load_default=None, allow_none=True,
                              metadata={"description": "Required for a part with a shelf life."})
    counted_quantity = Quantity(required=True)


class StocktakeCounts(StrictSchema):
    counts = fields.List(fields.Nested(StocktakeCount), load_default=list, metadata={
        "description": "Counted quantities by line number; entering a line again corrects it."})
    found = fields.List(fields.Nested(FoundStock), load_default=list, metadata={
        "description": "Stock on the shelf where the books have none: each becomes a new line."})

    @validates_schema
    def something_counted(self, data, **kwargs):
        if not data.get("counts") and not data.get("found"):
            raise ValidationError("Give counts, found stock, or both.", "counts")
        numbers = [c["line_no"] for c in data.get("counts", [])]
        if len(numbers) != len(set(numbers)):
            raise ValidationError("Each line may be counted once per request.", "counts")


class RecountRequest(StrictSchema):
    line_nos = fields.List(fields.Integer(validate=validate.Range(min=1)), required=True,
                           validate=validate.Length(min=1), metadata={"description": "The lines to count again."})
    reason = fields.String(load_default="", validate=validate.Length(max=200))


class StocktakeQuery(StrictSchema):
    site_id = SiteId(required=True)
    status = fields.String(load_default=None, validate=validate.OneOf(STOCKTAKE_STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class StocktakeAccuracyQuery(StrictSchema):
    site_id = SiteId(required=True)
    date_from = fields.Date(required=True, metadata={"description": "First day (China time), counts posted on it."})
    date_to = fields.Date(required=True, metadata={"description": "Last day (China time), inclusive."})

    @validates_schema
    def a_period(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("Must not be before date_from.", "date_to")


# --- RPC answers ---

class StocktakeLineView(PayloadSchema):
    line_id = Id(attribute="id")
    line_no = fields.Integer()
    lot_id = Id(allow_none=True)
    warehouse_code = fields.String()
    bin_code = fields.String()
    part_number = fields.String()
    batch = fields.String()
    expiry_date = fields.Date(allow_none=True)
    found = fields.Boolean(metadata={"description": "Added by a counter: stock found where the books had none."})
    opened_quantity = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "The books when the count opened; hidden (null) while a blind count is open."})
    expected_quantity = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "The books when the line was counted; hidden (null) while a blind count is open."})
    counted_quantity = fields.Decimal(as_string=True, allow_none=True)
    counted_by = fields.String(allow_none=True)
    counted_at = fields.DateTime(allow_none=True)
    count_round = fields.Integer(metadata={"description": "1, then 2, 3... for lines sent back for a recount."})
    to_count = fields.Boolean(metadata={"description": "The line is to be counted (or recounted) now."})
    previous_count = fields.Decimal(as_string=True, allow_none=True)
    recount_reason = fields.String()
    unit_cost = Money(allow_none=True, metadata={"description": "Average cost when submitted."})
    quantity_variance = SignedDecimal("Counted - expected; null until submitted.", allow_none=True)
    value_variance = SignedDecimal("Quantity variance x unit cost; null until submitted.", allow_none=True)
    posted_quantity = SignedDecimal("The adjustment booked when posted.", allow_none=True)


class StocktakeFigures(PayloadSchema):
    lines = fields.Integer()
    lines_with_variance = fields.Integer()
    quantity_variance = SignedDecimal("Net, over all lines.")
    value_variance = SignedDecimal("Net, at average cost.")
    gross_value_variance = SignedDecimal("Sum of every line's value variance, each taken as a positive amount.")
    expected_value = SignedDecimal("The books' quantities at average cost.")
    accuracy = Share(metadata={"description": "Share of lines counted with no variance."})
    value_accuracy = Share(metadata={"description": "1 - abs(value variance) / expected value, within 0..1."})


class StocktakeSummaryView(PayloadSchema):
    stocktake_id = Id(attribute="id")
    site_id = fields.String()
    scope = fields.String()
    categories = fields.List(fields.String())
    bins = fields.List(fields.Nested(StocktakeBin))
    blind = fields.Boolean()
    note = fields.String()
    status = fields.String(metadata={"description": "open (counting), submitted, approved, posted or cancelled."})
    count_round = fields.Integer()
    line_count = fields.Integer()
    lines_to_count = fields.Integer(metadata={"description": "Lines of this round not counted yet."})
    opened_at = fields.DateTime()
    opened_by = fields.String()
    submitted_at = fields.DateTime(allow_none=True)
    submitted_by = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approved_by = fields.String(allow_none=True)
    posted_at = fields.DateTime(allow_none=True)
    posted_by = fields.String(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    figures = fields.Nested(StocktakeFigures, allow_none=True,
                            metadata={"description": "Variances and accuracy; null until submitted."})


class StocktakeView(StocktakeSummaryView):
    expected_hidden = fields.Boolean(metadata={"description": "A blind count being counted: the books are hidden."})
    lines = fields.List(fields.Nested(StocktakeLineView))


class StocktakeAccuracyView(PayloadSchema):
    site_id = fields.String()
    date_from = fields.Date()
    date_to = fields.Date()
    counts = fields.Integer(metadata={"description": "Counts posted in the period."})
    lines = fields.Integer()
    lines_with_variance = fields.Integer()
    accuracy = Share(allow_none=True, metadata={"description": "Share of lines with no variance; null with none."})
    expected_value = SignedDecimal("The books' value of what was counted.")
    value_variance = SignedDecimal("Net value variance of the counts.")
    absolute_value_variance = SignedDecimal("Sum of each count's value variance, each taken as a positive amount.")
    value_accuracy = Share(allow_none=True, metadata={
        "description": "1 - absolute value variance / expected value, within 0..1; null with no counts."})


# --- events ---

class StocktakePostedPayload(PayloadSchema):
    stocktake_id = Id(required=True)
    scope = fields.String(required=True)
    lines = fields.Integer(required=True, metadata={"description": "Lines counted."})
    lines_with_variance = fields.Integer(required=True)
    quantity_variance = SignedDecimal("Net counted - expected over all lines.", required=True)
    value_variance = SignedDecimal("Net value variance at average cost.", required=True)
    expected_value = SignedDecimal("The books' value of what was counted.", required=True)
    accuracy = Share(required=True, metadata={"description": "Share of lines with no variance."})
    value_accuracy = Share(required=True, metadata={
        "description": "1 - abs(value variance) / expected value, within 0..1."})


STOCKTAKE_POSTED = EventContract(SOURCE, "stocktake_posted", 1, StocktakePostedPayload,
                                 "An approved stocktake was posted: its variances adjusted the stock.")

EVENTS = [STOCKTAKE_POSTED]
