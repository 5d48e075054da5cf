"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group.

The formulas are in parts/rules/analysis.py (and the contract's docstring); these
entrypoints only gather the rows each site's figures are made of. Reads, so no role is
needed, but only the caller's sites are shown.
"""
from datetime import timedelta

from nameko.rpc import rpc
from sqlalchemy import case, func, select, union

from contracts.parts import (
    AnalysisPeriod, DaysOfSupplyView, FillRateView, ObsoleteStockQuery, ObsoleteStockView, TurnoverView,
)
from parts.models import Part, Reservation, Stock, StockMovement
from parts.rules import analysis as kpi
from svckit.db import utcnow
from svckit.schemas import load

NOT_CUSTOMER_DEMAND = ("transfer",)


class AnalysisApi:
    @rpc
    def fill_rate(self, payload):
        """lines filled from stock at request time / lines requested, per site and for the group."""
        query = load(AnalysisPeriod, payload)
        sites = self._analysis_sites(query["site_id"])
        start, end, _ = kpi.period_bounds(query["from_date"], query["to_date"])
        counted = {site_id: (requested, filled) for site_id, requested, filled in self.db.execute(
            select(Reservation.site_id, func.count(Reservation.id),
                   func.coalesce(func.sum(case((Reservation.filled_at_request.is_(True), 1), else_=0)), 0))
            .where(Reservation.site_id.in_(sites), Reservation.kind.not_in(NOT_CUSTOMER_DEMAND),
                   Reservation.requested_at >= start, Reservation.requested_at < end)
            .group_by(Reservation.site_id))}
        figures = [_fill_rate_figure(site_id, *counted.get(site_id, (0, 0))) for site_id in sites]
        group = _fill_rate_figure(None, sum(f["lines_requested"] for f in figures),
                                  sum(f["lines_filled_at_request"] for f in figures))
        return FillRateView().dump({**query, "sites": figures, "group": group})

    @rpc
    def inventory_turnover(self, payload):
        """cost of sales / ((opening value + closing value) / 2), per site and for the group."""
        query = load(AnalysisPeriod, payload)
        start, end, days = kpi.period_bounds(query["from_date"], query["to_date"])
        flows = [self._analysis_flows(site_id, start, end) for site_id in self._analysis_sites(query["site_id"])]
        figures = [_turnover_figure(flow, days) for flow in flows]
        group = _turnover_figure(_group_flows(flows), days)
        return TurnoverView().dump({**query, "days": days, "sites": figures, "group": group})

    @rpc
    def days_of_supply(self, payload):
        """closing inventory value / (cost of sales / days x 30) x 30, per site and for the group."""
        query = load(AnalysisPeriod, payload)
        start, end, days = kpi.period_bounds(query["from_date"], query["to_date"])
        flows = [self._analysis_flows(site_id, start, end) for site_id in self._analysis_sites(query["site_id"])]
        figures = [_days_of_supply_figure(flow, days) for flow in flows]
        group = _days_of_supply_figure(_group_flows(flows), days)
        return DaysOfSupplyView().dump({**query, "days": days, "sites": figures, "group": group})

    @rpc
    def obsolete_stock(self, payload):
        """Stock (on hand x average cost) of parts with no ledger row for `days` days, by site and part."""
        query = load(ObsoleteStockQuery, payload)
        sites = self._analysis_sites(query["site_id"])
        as_of = utcnow()
        cutoff = as_of - timedelta(days=query["days"])
        stock_rows = self.db.execute(
            select(Stock.site_id, Stock.part_number, Part.name, Stock.on_hand, Stock.average_cost)
            .join(Part, Part.part_number == Stock.part_number)
            .where(Stock.site_id.in_(sites), Stock.on_hand > 0)).all()
        last_moved = {(site_id, part_number): at for site_id, part_number, at in self.db.execute(
            select(StockMovement.site_id, StockMovement.part_number, func.max(StockMovement.at))
            .where(StockMovement.site_id.in_(sites))
            .group_by(StockMovement.site_id, StockMovement.part_number))}
        per_site = []
        for site_id in sites:
            lines = kpi.obsolete_stock(
                [(number, name, on_hand, cost) for site, number, name, on_hand, cost in stock_rows if site == site_id],
                {number: at for (site, number), at in last_moved.items() if site == site_id}, cutoff)
            per_site.append({"site_id": site_id, "value": sum((line["value"] for line in lines), kpi.ZERO),
                             "parts": lines})
        return ObsoleteStockView().dump({
            "days": query["days"], "as_of": as_of, "no_movement_since": cutoff, "sites": per_site,
            "group_value": sum((site["value"] for site in per_site), kpi.ZERO)})

    # --- helpers ---

    def _analysis_sites(self, site_id):
        """The one site asked for (if the caller may see it), else every site the caller may see."""
        if site_id:
            self.auth.require_site(site_id)
            return [site_id]
        if not self.auth.all_sites:
            return sorted(self.auth.sites)
        known = union(select(Stock.site_id), select(Reservation.site_id), select(StockMovement.site_id))
        return sorted(self.db.scalars(select(known.subquery().c.site_id)).all())

    def _analysis_flows(self, site_id, start, end):
        movements = self.db.execute(
            select(StockMovement.part_number, StockMovement.kind, StockMovement.quantity, StockMovement.unit_cost,
                   StockMovement.at)
            .where(StockMovement.site_id == site_id, StockMovement.at < end)
            .order_by(StockMovement.at, StockMovement.id)).all()
        return {"site_id": site_id, "cost_of_sales": kpi.cost_of_sales(movements, start, end),
                "opening_value": kpi.value_at(movements, start), "closing_value": kpi.value_at(movements, end)}


def _fill_rate_figure(site_id, requested, filled):
    return {"site_id": site_id, "lines_requested": int(requested), "lines_filled_at_request": int(filled),
            "fill_rate": kpi.fill_rate(int(requested), int(filled))}


def _group_flows(flows):
    return {"site_id": None, **{key: sum((flow[key] for flow in flows), kpi.ZERO)
                                for key in ("cost_of_sales", "opening_value", "closing_value")}}


def _turnover_figure(flow, days):
    cost, opening, closing = flow["cost_of_sales"], flow["opening_value"], flow["closing_value"]
    return {**flow, "average_value": kpi.money(kpi.average_inventory_value(opening, closing)),
            "turnover": kpi.turnover(cost, opening, closing),
            "annualised_turnover": kpi.annualised_turnover(cost, opening, closing, days)}


def _days_of_supply_figure(flow, days):
    cost = flow["cost_of_sales"]
    return {"site_id": flow["site_id"], "inventory_value": flow["closing_value"], "cost_of_sales": cost,
            "monthly_cost_of_sales": kpi.monthly_cost_of_sales(cost, days),
            "days_of_supply": kpi.days_of_supply(flow["closing_value"], cost, days)}
