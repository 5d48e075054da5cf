"""Procurement: suppliers, requests for quotation and bids, purchase orders, receiving with inspection, supplier scorecards, replenishment suggestions and purchase plans."""
from apigateway.http import api
from contracts import parts as c


class PartsProcurementRoutes:
    # --- suppliers ---

    @api("POST", "/api/v1/suppliers", tag="procurement", body=c.NewSupplier, answer=c.SupplierView, status=201,
         summary="Add a supplier of the group")
    def create_supplier(self, body):
        return self.parts.create_supplier(body)

    @api("GET", "/api/v1/suppliers", tag="procurement", query=c.SupplierQuery, answer=c.SupplierView, many=True,
         summary="Suppliers by name, active or not")
    def list_suppliers(self, query):
        return self.parts.list_suppliers(query)

    @api("GET", "/api/v1/suppliers/<supplier_id>", tag="procurement", answer=c.SupplierView, summary="A supplier")
    def get_supplier(self, supplier_id):
        return self.parts.get_supplier(supplier_id)

    @api("PATCH", "/api/v1/suppliers/<supplier_id>", tag="procurement", body=c.SupplierChanges,
         answer=c.SupplierView, summary="Change a supplier: contacts, payment terms, lead time, active")
    def update_supplier(self, supplier_id, body):
        return self.parts.update_supplier(supplier_id, body)

    @api("GET", "/api/v1/suppliers/<supplier_id>/scorecard", tag="procurement", query=c.ScorecardQuery,
         answer=c.ScorecardView, summary="A supplier's scorecard over a period: on-time delivery, inspection "
         "acceptance, price variance, rating")
    def supplier_scorecard(self, supplier_id, query):
        return self.parts.supplier_scorecard({**query, "supplier_id": supplier_id})

    # --- requests for quotation ---

    @api("POST", "/api/v1/rfqs", tag="procurement", body=c.NewRfq, answer=c.RfqView, status=201,
         summary="Send a request for quotation to several suppliers (tender)")
    def create_rfq(self, body):
        return self.parts.create_rfq(body)

    @api("GET", "/api/v1/rfqs/<rfq_id>", tag="procurement", answer=c.RfqView,
         summary="A request for quotation with its bids")
    def get_rfq(self, rfq_id):
        return self.parts.get_rfq(rfq_id)

    @api("POST", "/api/v1/rfqs/<rfq_id>/bids", tag="procurement", body=c.BidInput, answer=c.RfqView, status=201,
         summary="Record a supplier's bid: a price for every line and a lead time (a later bid replaces it)")
    def submit_bid(self, rfq_id, body):
        return self.parts.submit_bid(rfq_id, body)

    @api("GET", "/api/v1/rfqs/<rfq_id>/comparison", tag="procurement", answer=c.BidComparisonView,
         summary="The bids scored on price, lead time and supplier rating, best first")
    def compare_bids(self, rfq_id):
        return self.parts.compare_bids(rfq_id)

    @api("POST", "/api/v1/rfqs/<rfq_id>/award", tag="procurement", body=c.RfqAward, answer=c.PurchaseOrderView,
         status=201, summary="Award the request to one bidder (site manager): a draft purchase order at its prices")
    def award_rfq(self, rfq_id, body):
        return self.parts.award_rfq(rfq_id, body)

    # --- purchase orders and receiving ---

    @api("POST", "/api/v1/purchase-orders", tag="procurement", body=c.NewPurchaseOrder, answer=c.PurchaseOrderView,
         status=201, summary="Draft a purchase order")
    def create_purchase_order(self, body):
        return self.parts.create_purchase_order(body)

    @api("GET", "/api/v1/purchase-orders", tag="procurement", query=c.PurchaseOrderQuery,
         answer=c.PurchaseOrderView, many=True, summary="Purchase orders by site, supplier and status")
    def list_purchase_orders(self, query):
        return self.parts.list_purchase_orders(query)

    @api("GET", "/api/v1/purchase-orders/<purchase_order_id>", tag="procurement", answer=c.PurchaseOrderView,
         summary="A purchase order: lines ordered, delivered, accepted, rejected, outstanding")
    def get_purchase_order(self, purchase_order_id):
        return self.parts.get_purchase_order(purchase_order_id)

    @api("POST", "/api/v1/purchase-orders/<purchase_order_id>/send", tag="procurement", answer=c.PurchaseOrderView,
         summary="Send a draft order to its supplier")
    def send_purchase_order(self, purchase_order_id):
        return self.parts.send_purchase_order(purchase_order_id)

    @api("POST", "/api/v1/purchase-orders/<purchase_order_id>/cancel", tag="procurement",
         body=c.PurchaseOrderCancel, answer=c.PurchaseOrderView,
         summary="Cancel what is still owed on an order (closed short if something was delivered)")
    def cancel_purchase_order(self, purchase_order_id, body):
        return self.parts.cancel_purchase_order(purchase_order_id, body)

    @api("POST", "/api/v1/purchase-orders/<purchase_order_id>/receipts", tag="procurement",
         body=c.GoodsReceiptInput, answer=c.GoodsReceiptView, status=201,
         summary="Book a delivery with incoming inspection; accepted parts enter stock and serve backorders")
    def receive_purchase_order(self, purchase_order_id, body):
        return self.parts.receive_purchase_order(purchase_order_id, body)

    @api("GET", "/api/v1/purchase-orders/<purchase_order_id>/receipts", tag="procurement",
         answer=c.GoodsReceiptView, many=True, summary="The deliveries booked against an order")
    def list_goods_receipts(self, purchase_order_id):
        return self.parts.list_goods_receipts(purchase_order_id)

    @api("POST", "/api/v1/purchase-orders/overdue-alerts", tag="procurement",
         summary="Raise purchase_order_overdue now for orders past their date (the service also does this hourly)")
    def alert_overdue_purchase_orders(self):
        return {"alerted": self.parts.alert_overdue_purchase_orders()}

    # --- replenishment and purchase plans ---

    @api("GET", "/api/v1/replenishment", tag="procurement", query=c.ReplenishmentQuery, answer=c.ReplenishmentView,
         summary="Replenishment suggestions for a site: reorder point, safety stock and quantity to order per part")
    def replenishment_suggestions(self, query):
        return self.parts.replenishment_suggestions(query)

    @api("POST", "/api/v1/purchase-plans", tag="procurement", body=c.NewPurchasePlan, answer=c.PurchasePlanView,
         status=201, summary="A draft purchase plan from today's replenishment suggestions")
    def create_purchase_plan(self, body):
        return self.parts.create_purchase_plan(body)

    @api("GET", "/api/v1/purchase-plans/<plan_id>", tag="procurement", answer=c.PurchasePlanView,
         summary="A purchase plan")
    def get_purchase_plan(self, plan_id):
        return self.parts.get_purchase_plan(plan_id)

    @api("PATCH", "/api/v1/purchase-plans/<plan_id>", tag="procurement", body=c.PurchasePlanChanges,
         answer=c.PurchasePlanView, summary="Edit a draft plan: quantities, suppliers, added parts")
    def update_purchase_plan(self, plan_id, body):
        return self.parts.update_purchase_plan(plan_id, body)

    @api("POST", "/api/v1/purchase-plans/<plan_id>/approve", tag="procurement", answer=c.PurchasePlanView,
         summary="Approve a plan (site manager): one draft purchase order per supplier")
    def approve_purchase_plan(self, plan_id):
        return self.parts.approve_purchase_plan(plan_id)
