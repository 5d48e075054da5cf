"""Transfers of stock between the sites of the group, with stock in transit."""
from apigateway.http import api
from contracts import parts as c


class PartsTransfersRoutes:
    @api("POST", "/api/v1/transfers", tag="parts", body=c.NewTransfer, answer=c.TransferView, status=201,
         summary="Ask for parts to move from one site of the group to another (a clerk or manager of either site)")
    def request_transfer(self, body):
        return self.parts.request_transfer(body)

    @api("GET", "/api/v1/transfers", tag="parts", query=c.TransferQuery, answer=c.TransferView, many=True,
         summary="Transfers into and out of your sites, newest first")
    def list_transfers(self, query):
        return self.parts.list_transfers(query)

    @api("GET", "/api/v1/transfers/<transfer_id>", tag="parts", answer=c.TransferView,
         summary="A transfer, its lines and what may happen next")
    def get_transfer(self, transfer_id):
        return self.parts.get_transfer(transfer_id)

    @api("POST", "/api/v1/transfers/<transfer_id>/approve", tag="parts", answer=c.TransferView,
         summary="Approve a transfer (a site_manager of the sending site): its stock is reserved, all lines or none")
    def approve_transfer(self, transfer_id):
        return self.parts.approve_transfer(transfer_id)

    @api("POST", "/api/v1/transfers/<transfer_id>/ship", tag="parts", answer=c.TransferView,
         summary="Ship a transfer (the sending site): the reserved stock leaves and is in transit")
    def ship_transfer(self, transfer_id):
        return self.parts.ship_transfer(transfer_id)

    @api("POST", "/api/v1/transfers/<transfer_id>/receive", tag="parts", body=c.TransferReceipt,
         answer=c.TransferView, summary="Receive a transfer (the receiving site) into a bin at the cost it left with; "
                                        "a short line needs a reason and the rest is lost in transit")
    def receive_transfer(self, transfer_id, body):
        return self.parts.receive_transfer(transfer_id, body)

    @api("POST", "/api/v1/transfers/<transfer_id>/cancel", tag="parts", body=c.TransferCancellation,
         answer=c.TransferView, summary="Cancel a transfer before it ships; its reservations are released")
    def cancel_transfer(self, transfer_id, body):
        return self.parts.cancel_transfer(transfer_id, body)

    @api("GET", "/api/v1/sites/<site_id>/stock-in-transit", tag="parts", answer=c.StockInTransitView, many=True,
         summary="Stock in transit per part for a site: inbound (shipped to it) and outbound (shipped by it)")
    def stock_in_transit(self, site_id):
        return self.parts.stock_in_transit(site_id)
