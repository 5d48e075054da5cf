"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group.

Each figure is given per site and for the group, the group being the sites the caller may
see (or the one site asked for). Group figures are computed from the summed numerators and
denominators of its sites, never as an average of the sites' ratios. A period is whole UTC
days, `from` and `to` included.

- Fill rate = reservation lines filled from stock at request time / reservation lines
  requested in the period (repair-order and counter-order lines; transfers between sites
  are not customer demand and are left out).
- Cost of sales = value of parts issued to repair orders and sold over the counter in the
  period (ledger kinds issue and sale, at the unit cost they left with), less the value of
  issued parts returned to stock in the period (kind return, at the cost they left with).
- Inventory value at an instant = the stock ledger replayed up to that instant with the
  moving-average rules: a receipt or transfer_in adds its quantity at its unit cost and
  moves the part's average cost; every other movement changes the quantity only; value =
  sum over parts of quantity x average cost. Opening value = at the start of `from`,
  closing value = at the end of `to`.
- Average inventory value = (opening value + closing value) / 2.
- Inventory turnover = cost of sales / average inventory value, for the period;
  annualised turnover = turnover x 365 / days in the period.
- Days of supply = closing inventory value / monthly cost of sales x 30, where monthly
  cost of sales = cost of sales / days in the period x 30.
- Obsolete stock = on hand x average cost of the parts with stock and no ledger row
  (no movement of any kind) in the last `days` days (180 by default), listed by part.
Ratios are null where their denominator is zero.
"""
from datetime import timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.fields import Money, PayloadSchema, SiteId, StrictSchema

__all__ = [
    "AnalysisPeriod", "ObsoleteStockQuery", "FillRateView", "TurnoverView", "DaysOfSupplyView",
    "ObsoleteStockView", "MAX_ANALYSIS_DAYS", "DEFAULT_OBSOLETE_DAYS", "EVENTS",
]

MAX_ANALYSIS_DAYS = 3660
DEFAULT_OBSOLETE_DAYS = 180


# --- RPC inputs ---

class AnalysisPeriod(StrictSchema):
    site_id = SiteId(load_default=None, metadata={
        "description": "One site; every site you may see (and their group figure) when omitted."})
    from_date = fields.Date(required=True, data_key="from", metadata={"description": "First day, included (UTC)."})
    to_date = fields.Date(required=True, data_key="to", metadata={"description": "Last day, included (UTC)."})

    @validates_schema
    def _a_forward_period(self, data, **kwargs):
        first, last = data.get("from_date"), data.get("to_date")
        if first and last:
            if last < first:
                raise ValidationError("Must not be before from.", "to")
            if last - first >= timedelta(days=MAX_ANALYSIS_DAYS):
                raise ValidationError(f"At most {MAX_ANALYSIS_DAYS} days after from.", "to")


class ObsoleteStockQuery(StrictSchema):
    site_id = SiteId(load_default=None, metadata={"description": "Every site you may see when omitted."})
    days = fields.Integer(load_default=DEFAULT_OBSOLETE_DAYS, validate=validate.Range(min=1, max=3650), metadata={
        "description": "Stock with no movement for at least this many days is obsolete."})


# --- RPC answers ---

class FillRateFigure(PayloadSchema):
    site_id = fields.String(allow_none=True, metadata={"description": "Null for the group."})
    lines_requested = fields.Integer()
    lines_filled_at_request = fields.Integer()
    fill_rate = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "lines_filled_at_request / lines_requested, 0.0000-1.0000; null when none requested."})


class FillRateView(PayloadSchema):
    from_date = fields.Date(data_key="from")
    to_date = fields.Date(data_key="to")
    sites = fields.List(fields.Nested(FillRateFigure))
    group = fields.Nested(FillRateFigure)


class TurnoverFigure(PayloadSchema):
    site_id = fields.String(allow_none=True, metadata={"description": "Null for the group."})
    cost_of_sales = Money(metadata={"description": "Issued and sold at cost, less returns, in the period."})
    opening_value = Money(metadata={"description": "Stock value at the start of the period (ledger replayed)."})
    closing_value = Money(metadata={"description": "Stock value at the end of the period (ledger replayed)."})
    average_value = Money(metadata={"description": "(opening_value + closing_value) / 2."})
    turnover = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "cost_of_sales / average_value for the period."})
    annualised_turnover = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "turnover x 365 / days."})


class TurnoverView(PayloadSchema):
    from_date = fields.Date(data_key="from")
    to_date = fields.Date(data_key="to")
    days = fields.Integer()
    sites = fields.List(fields.Nested(TurnoverFigure))
    group = fields.Nested(TurnoverFigure)


class DaysOfSupplyFigure(PayloadSchema):
    site_id = fields.String(allow_none=True, metadata={"description": "Null for the group."})
    inventory_value = Money(metadata={"description": "Stock value at the end of the period (ledger replayed)."})
    cost_of_sales = Money()
    monthly_cost_of_sales = Money(metadata={"description": "cost_of_sales / days x 30."})
    days_of_supply = fields.Decimal(as_string=True, allow_none=True, metadata={
        "description": "inventory_value / monthly_cost_of_sales x 30; null when nothing was sold."})


class DaysOfSupplyView(PayloadSchema):
    from_date = fields.Date(data_key="from")
    to_date = fields.Date(data_key="to")
    days = fields.Integer()
    sites = fields.List(fields.Nested(DaysOfSupplyFigure))
    group = fields.Nested(DaysOfSupplyFigure)


class ObsoletePartView(PayloadSchema):
    part_number = fields.String()
    name = fields.String()
    on_hand = fields.Decimal(as_string=True)
    average_cost = Money()
    value = Money(metadata={"description": "on_hand x average_cost."})
    last_movement_at = fields.DateTime(allow_none=True, metadata={"description": "Null when it never moved."})


class ObsoleteSiteView(PayloadSchema):
    site_id = fields.String()
    value = Money()
    parts = fields.List(fields.Nested(ObsoletePartView), metadata={"description": "Most valuable first."})


class ObsoleteStockView(PayloadSchema):
    days = fields.Integer()
    as_of = fields.DateTime()
    no_movement_since = fields.DateTime(metadata={"description": "as_of - days."})
    sites = fields.List(fields.Nested(ObsoleteSiteView))
    group_value = Money()


EVENTS = []
