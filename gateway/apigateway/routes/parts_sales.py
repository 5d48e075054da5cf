"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders."""
from apigateway.http import api
from contracts import parts as c


class PartsSalesRoutes:
    # --- trade accounts ---

    @api("POST", "/api/v1/trade-accounts", tag="parts", body=c.NewTradeAccount, answer=c.TradeAccountView,
         status=201, summary="Open a trade account: a garage buying parts at a trade discount (site manager)")
    def create_trade_account(self, body):
        return self.parts.create_trade_account(body)

    @api("GET", "/api/v1/trade-accounts", tag="parts", query=c.TradeAccountQuery, answer=c.TradeAccountView,
         many=True, summary="The trade accounts of a site")
    def list_trade_accounts(self, query):
        return self.parts.list_trade_accounts(query)

    @api("GET", "/api/v1/trade-accounts/<trade_account_id>", tag="parts", answer=c.TradeAccountView,
         summary="A trade account")
    def get_trade_account(self, trade_account_id):
        return self.parts.get_trade_account(trade_account_id)

    @api("PATCH", "/api/v1/trade-accounts/<trade_account_id>", tag="parts", body=c.TradeAccountChanges,
         answer=c.TradeAccountView, summary="Change a trade account: name, contact, discount, closed (site manager)")
    def update_trade_account(self, trade_account_id, body):
        return self.parts.update_trade_account(trade_account_id, body)

    # --- counter sales ---

    @api("POST", "/api/v1/counter-sales", tag="parts", body=c.NewCounterSale, answer=c.CounterSaleView, status=201,
         summary="Quote a counter sale: lines at the retail price, less trade and line discounts, plus VAT")
    def create_counter_sale(self, body):
        return self.parts.create_sale(body)

    @api("GET", "/api/v1/counter-sales", tag="parts", query=c.SaleQuery, answer=c.CounterSaleView, many=True,
         summary="A site's counter sales, newest first (phone numbers masked)")
    def list_counter_sales(self, query):
        return self.parts.list_sales(query)

    @api("GET", "/api/v1/counter-sales/<sale_id>", tag="parts", answer=c.CounterSaleView,
         summary="A counter sale with its lines, totals and what may happen next")
    def get_counter_sale(self, sale_id):
        return self.parts.get_sale(sale_id)

    @api("POST", "/api/v1/counter-sales/<sale_id>/requote", tag="parts", answer=c.CounterSaleView,
         summary="Re-price a quote at today's prices and hold them again")
    def requote_counter_sale(self, sale_id):
        return self.parts.requote_sale(sale_id)

    @api("POST", "/api/v1/counter-sales/<sale_id>/order", tag="parts", body=c.SaleOrder, answer=c.CounterSaleView,
         summary="The customer takes the quote: stock is reserved; short lines backordered or left out")
    def order_counter_sale(self, sale_id, body):
        return self.parts.order_sale(sale_id, body)

    @api("POST", "/api/v1/counter-sales/<sale_id>/pick", tag="parts", answer=c.CounterSaleView,
         summary="Pick the reserved parts: they leave the store, first expiry first")
    def pick_counter_sale(self, sale_id):
        return self.parts.pick_sale(sale_id)

    @api("POST", "/api/v1/counter-sales/<sale_id>/invoice", tag="parts", answer=c.CounterSaleView,
         summary="Invoice a picked sale: the next number of the site's year (gapless); announces parts_sold")
    def invoice_counter_sale(self, sale_id):
        return self.parts.invoice_sale(sale_id)

    @api("POST", "/api/v1/counter-sales/<sale_id>/cancel", tag="parts", body=c.SaleCancellation,
         answer=c.CounterSaleView, summary="Cancel a quote or an order before picking; reserved stock is released")
    def cancel_counter_sale(self, sale_id, body):
        return self.parts.cancel_sale(sale_id, body)

    # --- delivery orders ---

    @api("POST", "/api/v1/delivery-orders", tag="parts", body=c.NewDeliveryOrder, answer=c.DeliveryOrderView,
         status=201, summary="Schedule the delivery of an invoiced counter sale to the customer's address")
    def create_delivery_order(self, body):
        return self.parts.create_delivery_order(body)

    @api("GET", "/api/v1/delivery-orders", tag="parts", query=c.DeliveryQuery, answer=c.DeliveryOrderView,
         many=True, summary="A site's delivery orders, newest first (phone numbers masked)")
    def list_delivery_orders(self, query):
        return self.parts.list_delivery_orders(query)

    @api("GET", "/api/v1/delivery-orders/<delivery_order_id>", tag="parts", answer=c.DeliveryOrderView,
         summary="A delivery order with its status history")
    def get_delivery_order(self, delivery_order_id):
        return self.parts.get_delivery_order(delivery_order_id)

    @api("POST", "/api/v1/delivery-orders/<delivery_order_id>/status", tag="parts", body=c.DeliveryStatusChange,
         answer=c.DeliveryOrderView,
         summary="Out for delivery, delivered (with proof of delivery), failed (with the reason), scheduled again")
    def update_delivery_status(self, delivery_order_id, body):
        return self.parts.update_delivery_status(delivery_order_id, body)
