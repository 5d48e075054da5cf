"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group.

Each route gives every site the caller may see (or the one asked for) and the group
figure over those sites; the formulas are in the route summaries and in
contracts/parts/analysis.py.
"""
from apigateway.http import api
from contracts import parts as c


class PartsAnalysisRoutes:
    @api("GET", "/api/v1/parts-analysis/fill-rate", tag="parts", query=c.AnalysisPeriod, answer=c.FillRateView,
         summary="Fill rate = reservation lines filled from stock at request time / lines requested "
                 "(repair and counter orders), per site and group, over from..to")
    def parts_fill_rate(self, query):
        return self.parts.fill_rate(query)

    @api("GET", "/api/v1/parts-analysis/turnover", tag="parts", query=c.AnalysisPeriod, answer=c.TurnoverView,
         summary="Inventory turnover = cost of parts issued and sold (less returns) / ((opening + closing stock "
                 "value) / 2), values from the ledger at moving average cost; per site and group, over from..to")
    def parts_inventory_turnover(self, query):
        return self.parts.inventory_turnover(query)

    @api("GET", "/api/v1/parts-analysis/days-of-supply", tag="parts", query=c.AnalysisPeriod,
         answer=c.DaysOfSupplyView,
         summary="Days of supply = stock value at the end of the period / monthly cost of sales x 30 "
                 "(monthly cost of sales = cost of sales / days x 30); per site and group")
    def parts_days_of_supply(self, query):
        return self.parts.days_of_supply(query)

    @api("GET", "/api/v1/parts-analysis/obsolete-stock", tag="parts", query=c.ObsoleteStockQuery,
         answer=c.ObsoleteStockView,
         summary="Obsolete stock = on hand x average cost of parts with no stock movement for `days` days "
                 "(180 by default), by site and part, with the group total")
    def parts_obsolete_stock(self, query):
        return self.parts.obsolete_stock(query)
