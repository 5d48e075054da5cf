"""Catalogue and stock: the parts service."""
from apigateway.http import api
from contracts import parts as parts_contract


class PartsRoutes:
    @api("POST", "/api/v1/parts", tag="parts", body=parts_contract.NewPart, answer=parts_contract.PartView, status=201,
         summary="Add a part to the catalogue")
    def create_part(self, body):
        return self.parts.create_part(body)

    @api("GET", "/api/v1/parts/<part_number>", tag="parts", answer=parts_contract.PartView, summary="A catalogue part")
    def get_part(self, part_number):
        return self.parts.get_part(part_number)

    @api("POST", "/api/v1/stock/receipts", tag="parts", body=parts_contract.StockReceipt, answer=parts_contract.StockView,
         status=201, summary="Put parts into stock at a site")
    def receive_stock(self, body):
        return self.parts.receive_stock(body)

    @api("PUT", "/api/v1/stock/policy", tag="parts", body=parts_contract.StockPolicy, answer=parts_contract.StockView,
         summary="Set a part's reorder point and quantity at a site")
    def set_stock_policy(self, body):
        return self.parts.set_stock_policy(body)

    @api("GET", "/api/v1/stock/<site_id>/<part_number>", tag="parts", answer=parts_contract.StockView,
         summary="Stock of a part at a site")
    def get_stock(self, site_id, part_number):
        return self.parts.get_stock(site_id, part_number)
