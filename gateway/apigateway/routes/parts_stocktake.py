"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy."""
from apigateway.http import api
from contracts import parts as c


class PartsStocktakeRoutes:
    @api("POST", "/api/v1/stocktakes", tag="parts", body=c.NewStocktake, answer=c.StocktakeView, status=201,
         summary="Open a count at a site (full, by category or by bins; blind or not): the lots in scope are "
                 "snapshotted as lines")
    def open_stocktake(self, body):
        return self.parts.open_stocktake(body)

    @api("GET", "/api/v1/stocktakes", tag="parts", query=c.StocktakeQuery, answer=c.StocktakeSummaryView, many=True,
         summary="The counts of a site, newest first")
    def list_stocktakes(self, query):
        return self.parts.list_stocktakes(query)

    @api("GET", "/api/v1/stocktakes/accuracy", tag="parts", query=c.StocktakeAccuracyQuery,
         answer=c.StocktakeAccuracyView,
         summary="Inventory accuracy of a site over the counts posted in a period (days in China time)")
    def stocktake_accuracy(self, query):
        return self.parts.stocktake_accuracy(query)

    @api("GET", "/api/v1/stocktakes/<stocktake_id>", tag="parts", answer=c.StocktakeView,
         summary="A count with its lines; a blind count hides the books until it is submitted")
    def get_stocktake(self, stocktake_id):
        return self.parts.get_stocktake(stocktake_id)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/counts", tag="parts", body=c.StocktakeCounts,
         answer=c.StocktakeView, summary="Enter counted quantities by line, and stock found where the books have none")
    def enter_stocktake_counts(self, stocktake_id, body):
        return self.parts.enter_stocktake_counts(stocktake_id, body)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/submit", tag="parts", answer=c.StocktakeView,
         summary="Submit a fully counted count: variances are worked out at average cost")
    def submit_stocktake(self, stocktake_id):
        return self.parts.submit_stocktake(stocktake_id)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/approve", tag="parts", answer=c.StocktakeView,
         summary="Approve a submitted count's variances (site manager)")
    def approve_stocktake(self, stocktake_id):
        return self.parts.approve_stocktake(stocktake_id)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/recount", tag="parts", body=c.RecountRequest,
         answer=c.StocktakeView, summary="Send lines back to be counted again (site manager)")
    def request_stocktake_recount(self, stocktake_id, body):
        return self.parts.request_stocktake_recount(stocktake_id, body)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/post", tag="parts", answer=c.StocktakeView,
         summary="Post an approved count: its variances adjust the stock (never below what is reserved)")
    def post_stocktake(self, stocktake_id):
        return self.parts.post_stocktake(stocktake_id)

    @api("POST", "/api/v1/stocktakes/<stocktake_id>/cancel", tag="parts", answer=c.StocktakeView,
         summary="Cancel a count that will not be posted (site manager)")
    def cancel_stocktake(self, stocktake_id):
        return self.parts.cancel_stocktake(stocktake_id)
