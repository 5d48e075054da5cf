"""Procurement: suppliers, requests for quotation and bids, purchase orders, receiving with inspection, supplier scorecards, replenishment suggestions and purchase plans.

Manual 5.2: 采购计划 (purchase plans from replenishment suggestions), 招标采购 (requests for
quotation, bids compared and awarded), 采购合同 (purchase orders), 跟踪采购进度 (status and
overdue alerts), 到货质量检验 (receiving with incoming inspection), 供应商评价体系 (scorecards).
"""
import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import func, select

from contracts.parts import (
    GOODS_RECEIVED, PURCHASE_ORDER_OVERDUE, PURCHASE_ORDER_PLACED, PURCHASE_PLAN_APPROVED, BidComparisonView,
    BidInput, GoodsReceiptInput, GoodsReceiptView, NewPurchaseOrder, NewPurchasePlan, NewRfq, NewSupplier,
    PurchaseOrderCancel, PurchaseOrderQuery, PurchaseOrderView, PurchasePlanChanges, PurchasePlanView,
    ReplenishmentQuery, ReplenishmentView, RfqAward, RfqView, ScorecardQuery, ScorecardView, SupplierChanges,
    SupplierQuery, SupplierView,
)
from parts.inventory import BACKORDERED, Inventory
from parts.models import Part, Reservation, Stock, StockMovement
from parts.models.procurement import (
    GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine, PurchasePlan, PurchasePlanLine, Rfq,
    RfqBid, RfqBidLine, RfqInvitation, RfqLine, Supplier,
)
from parts.rules import bids as bid_rules
from parts.rules import purchasing
from parts.rules import replenishment as rules
from parts.rules.purchasing import CANCELLED, DRAFT, OPEN_STATUSES, RECEIVABLE_STATUSES, SENT
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load

ZERO = Decimal("0")
CENT = Decimal("0.01")
DEMAND_KINDS = ("issue", "sale", "transfer_out")
DEFAULT_UTC_OFFSET_HOURS = 8  # the sites' calendar (China Standard Time) decides due dates and demand days
OVERDUE_SCAN_SECONDS = 3600


class ProcurementApi:
    # --- suppliers (group-wide) ---

    @rpc
    def create_supplier(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewSupplier, payload)
        self._refuse_taken_supplier_name(data["name"])
        supplier = self.db.add(Supplier(**data))
        self.db.commit()
        return SupplierView().dump(supplier)

    @rpc
    def update_supplier(self, supplier_id, payload):
        self.auth.require_role("parts_clerk")
        changes = load(SupplierChanges, payload)
        supplier = self._supplier(supplier_id)
        if "name" in changes and changes["name"] != supplier.name:
            self._refuse_taken_supplier_name(changes["name"])
        for field, value in changes.items():
            setattr(supplier, field, value)
        self.db.commit()
        return SupplierView().dump(supplier)

    @rpc
    def get_supplier(self, supplier_id):
        return SupplierView().dump(self._supplier(supplier_id))

    @rpc
    def list_suppliers(self, payload=None):
        query = load(SupplierQuery, payload)
        statement = select(Supplier).order_by(Supplier.name).limit(query["limit"])
        if query["text"]:
            statement = statement.where(func.lower(Supplier.name).contains(query["text"].lower(), autoescape=True))
        if query["active"] is not None:
            statement = statement.where(Supplier.active == query["active"])
        return SupplierView(many=True).dump(self.db.scalars(statement).all())

    # --- requests for quotation (招标) ---

    @rpc
    def create_rfq(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewRfq, payload)
        self.auth.require_site(data["site_id"])
        parts = self._parts_of(data["lines"])
        suppliers = [self._supplier(supplier_id, field="supplier_ids", must_be_active=True)
                     for supplier_id in data["supplier_ids"]]
        rfq = self.db.add(Rfq(number=self._number("RFQ", data["site_id"]), site_id=data["site_id"], status="open",
                              reply_by=data["reply_by"], note=data["note"], created_by=self.auth.username))
        self.db.flush()
        for line_no, (line, part) in enumerate(zip(data["lines"], parts), start=1):
            self.db.add(RfqLine(rfq_id=rfq.id, line_no=line_no, part_number=part.part_number,
                                quantity=line["quantity"]))
        for supplier in suppliers:
            self.db.add(RfqInvitation(rfq_id=rfq.id, supplier_id=supplier.id))
        self.db.commit()
        return self._rfq_view(self._rfq(rfq.id))

    @rpc
    def get_rfq(self, rfq_id):
        return self._rfq_view(self._rfq(rfq_id))

    @rpc
    def submit_bid(self, rfq_id, payload):
        """Record a supplier's quotation: a price for every line and a lead time; a later bid replaces it."""
        self.auth.require_role("parts_clerk")
        data = load(BidInput, payload)
        rfq = self._rfq(rfq_id, lock=True)
        self._require_open(rfq)
        if data["supplier_id"] not in {i.supplier_id for i in rfq.invitations}:
            raise InvalidInput("This supplier was not sent the request for quotation.",
                               {"supplier_id": ["Not invited to this request."]})
        prices = {line["line_id"]: line["unit_price"] for line in data["lines"]}
        request_lines = {line.id for line in rfq.lines}
        unknown, unpriced = set(prices) - request_lines, request_lines - set(prices)
        if unknown or unpriced or len(prices) != len(data["lines"]):
            raise InvalidInput("A bid prices every line of the request, each once.", {"lines": [
                f"Not lines of this request: {sorted(unknown)}." if unknown else
                f"Lines without a price: {sorted(unpriced)}." if unpriced else "A line is priced twice."]})
        bid = next((b for b in rfq.bids if b.supplier_id == data["supplier_id"]), None)
        if bid is None:
            bid = self.db.add(RfqBid(rfq_id=rfq.id, supplier_id=data["supplier_id"],
                                     supplier=self.db.get(Supplier, data["supplier_id"]),
                                     lines=[RfqBidLine(rfq_line_id=line_id, unit_price=price)
                                            for line_id, price in prices.items()]))
            rfq.bids.append(bid)
        else:  # a revised quotation: the same lines, new prices
            for line in bid.lines:
                line.unit_price = prices[line.rfq_line_id]
        bid.lead_time_days, bid.note, bid.submitted_at = data["lead_time_days"], data["note"], utcnow()
        bid.submitted_by = self.auth.username
        self.db.commit()
        return self._rfq_view(rfq)

    @rpc
    def compare_bids(self, rfq_id):
        """The bids scored on price, lead time and the supplier's rating (rules/bids.py), best first."""
        rfq = self._rfq(rfq_id)
        scored = self._score(rfq)
        names = {b.supplier_id: b.supplier.name for b in rfq.bids}
        bid_suppliers = {b.supplier_id for b in rfq.bids}
        return BidComparisonView().dump({
            "rfq_id": rfq.id, "weights": bid_rules.WEIGHTS, "neutral_rating": bid_rules.NEUTRAL_RATING,
            "missing": [i.supplier_id for i in rfq.invitations if i.supplier_id not in bid_suppliers],
            "bids": [{"rank": s.rank, "supplier_id": s.bid.supplier_id, "supplier_name": names[s.bid.supplier_id],
                      "total": s.bid.total, "lead_time_days": s.bid.lead_time_days, "rating": s.bid.rating,
                      "price_score": s.price_score, "lead_time_score": s.lead_time_score,
                      "rating_score": s.rating_score, "score": s.score} for s in scored]})

    @rpc
    def award_rfq(self, rfq_id, payload):
        """The site manager awards the request to one bidder: a draft purchase order at the bid's prices."""
        self.auth.require_role("site_manager")
        data = load(RfqAward, payload)
        rfq = self._rfq(rfq_id, lock=True)
        self._require_open(rfq)
        bid = next((b for b in rfq.bids if b.supplier_id == data["supplier_id"]), None)
        if bid is None:
            raise InvalidInput("Only a supplier that bid can be awarded.", {"supplier_id": ["Has not bid."]})
        best = self._score(rfq)[0]
        if best.bid.supplier_id != bid.supplier_id and not data["reason"].strip():
            raise InvalidInput(f"{_supplier_name_of(rfq, best)} has the best score ({best.score}): say why another bid wins.",
                               {"reason": ["Required when the award does not go to the best-scored bid."]})
        supplier = self._supplier(bid.supplier_id, must_be_active=True)
        prices = {line.rfq_line_id: line.unit_price for line in bid.lines}
        order = self._new_order(rfq.site_id, supplier, data["expected_date"] or self._today() + timedelta(
            days=bid.lead_time_days), [(line.part_number, line.quantity, prices[line.id], line.id) for line in rfq.lines],
            note=f"Awarded from {rfq.number}", rfq_id=rfq.id)
        rfq.status, rfq.awarded_supplier_id, rfq.award_reason = "awarded", supplier.id, data["reason"]
        rfq.awarded_at, rfq.awarded_by, rfq.purchase_order_id = utcnow(), self.auth.username, order.id
        self.db.commit()
        return self._order_view(order)

    # --- purchase orders (采购合同, 跟踪采购进度) ---

    @rpc
    def create_purchase_order(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewPurchaseOrder, payload)
        self.auth.require_site(data["site_id"])
        supplier = self._supplier(data["supplier_id"], must_be_active=True)
        parts = self._parts_of(data["lines"])
        expected = data["expected_date"] or self._today() + timedelta(days=supplier.lead_time_days)
        order = self._new_order(data["site_id"], supplier, expected, [
            (part.part_number, line["quantity"], line["unit_price"], None) for line, part in zip(data["lines"], parts)],
            note=data["note"])
        self.db.commit()
        return self._order_view(order)

    @rpc
    def get_purchase_order(self, purchase_order_id):
        return self._order_view(self._order(purchase_order_id))

    @rpc
    def list_purchase_orders(self, payload=None):
        query = load(PurchaseOrderQuery, payload)
        statement = self.auth.restrict_to_sites(select(PurchaseOrder), PurchaseOrder.site_id, query["site_id"])
        if query["supplier_id"]:
            statement = statement.where(PurchaseOrder.supplier_id == query["supplier_id"])
        if query["status"]:
            statement = statement.where(PurchaseOrder.status == query["status"])
        orders = self.db.scalars(statement.order_by(PurchaseOrder.created_at.desc()).limit(query["limit"])).all()
        return [self._order_view(order) for order in orders]

    @rpc
    def send_purchase_order(self, purchase_order_id):
        """A draft order goes to its supplier: purchase_order_placed."""
        self.auth.require_role("parts_clerk")
        order = self._order(purchase_order_id, lock=True)
        if order.status != DRAFT:
            raise Conflict(f"Only a draft order can be sent; {order.number} is {order.status}.",
                           {"status": [f"Is {order.status}."]})
        order.status, order.sent_at = SENT, utcnow()
        self.db.emit(PURCHASE_ORDER_PLACED, {
            "purchase_order_id": order.id, "number": order.number, "supplier_id": order.supplier_id,
            "supplier_name": order.supplier.name, "expected_date": order.expected_date.isoformat(),
            "total": str(_order_total(order)), "rfq_id": order.rfq_id, "plan_id": order.plan_id,
            "lines": [{"line_id": line.id, "part_number": line.part_number, "quantity": str(line.quantity),
                       "unit_price": str(line.unit_price)} for line in order.lines]}, site_id=order.site_id)
        self.db.commit()
        return self._order_view(order)

    @rpc
    def cancel_purchase_order(self, purchase_order_id, payload):
        """Whatever is still owed is cancelled; an order that delivered something is closed short as received."""
        self.auth.require_role("parts_clerk")
        data = load(PurchaseOrderCancel, payload)
        order = self._order(purchase_order_id, lock=True)
        if order.status not in OPEN_STATUSES:
            raise Conflict(f"{order.number} is {order.status}: nothing is left to cancel.",
                           {"status": [f"Is {order.status}."]})
        for line in order.lines:
            line.cancelled_quantity += line.outstanding_quantity
        order.status = purchasing.status_after_cancel(order.lines)
        order.cancelled_at, order.cancel_reason = utcnow(), data["reason"]
        self.db.commit()
        return self._order_view(order)

    # --- receiving with incoming inspection (到货质量检验) ---

    @rpc
    def receive_purchase_order(self, purchase_order_id, payload):
        """Book a delivery: each line inspected; only accepted parts enter stock, at the order's price.

        Rejected parts go back to the supplier and stay owed on the order. Stock that
        arrives serves backordered demands in the order they were asked for.
        """
        self.auth.require_role("parts_clerk")
        data = load(GoodsReceiptInput, payload)
        order = self._order(purchase_order_id, lock=True)
        if order.status not in RECEIVABLE_STATUSES:
            raise Conflict(f"{order.number} is {order.status}: only a sent order can be received.",
                           {"status": [f"Is {order.status}."]})
        if data["delivery_note"] and self.db.scalars(select(GoodsReceipt.id).where(
                GoodsReceipt.purchase_order_id == order.id,
                GoodsReceipt.delivery_note == data["delivery_note"])).first():
            raise Conflict(f"Delivery note {data['delivery_note']} is already booked on {order.number}.",
                           {"delivery_note": ["Already booked on this order."]})
        inventory = Inventory(self.db, self.auth.username)
        booked = self._checked_receipt_lines(order, data["lines"], inventory)
        today = self._today()
        receipt = self.db.add(GoodsReceipt(
            site_id=order.site_id, purchase_order_id=order.id, supplier_id=order.supplier_id,
            delivery_note=data["delivery_note"], received_on=today, on_time=today <= order.expected_date,
            received_by=self.auth.username))
        self.db.flush()
        for line, entry, part, bin in booked:
            line.delivered_quantity += entry["delivered"]
            line.accepted_quantity += entry["accepted"]
            line.rejected_quantity += entry["rejected"]
            lot = None
            if entry["accepted"] > 0:
                lot = inventory.receive(part, order.site_id, entry["accepted"], unit_cost=line.unit_price, bin=bin,
                                        batch=entry["batch"], expiry_date=entry["expiry_date"], reference=order.number)
            receipt.lines.append(self.db.add(GoodsReceiptLine(
                receipt_id=receipt.id, purchase_order_line_id=line.id, part_number=line.part_number,
                delivered_quantity=entry["delivered"], accepted_quantity=entry["accepted"],
                rejected_quantity=entry["rejected"], reject_reason=entry["reject_reason"].strip(),
                unit_price=line.unit_price, lot_id=lot.id if lot is not None else None)))
        order.status = purchasing.status_after_delivery(order.lines)
        self.db.emit(GOODS_RECEIVED, {
            "purchase_order_id": order.id, "number": order.number, "receipt_id": receipt.id,
            "supplier_id": order.supplier_id, "delivery_note": receipt.delivery_note, "on_time": receipt.on_time,
            "status": order.status, "lines": [{
                "line_id": line.purchase_order_line_id, "part_number": line.part_number,
                "delivered": str(line.delivered_quantity), "accepted": str(line.accepted_quantity),
                "rejected": str(line.rejected_quantity), "reject_reason": line.reject_reason}
                for line in receipt.lines]}, site_id=order.site_id)
        self.db.commit()
        return GoodsReceiptView().dump(receipt)

    @rpc
    def list_goods_receipts(self, purchase_order_id):
        order = self._order(purchase_order_id)
        receipts = self.db.scalars(select(GoodsReceipt).where(GoodsReceipt.purchase_order_id == order.id)
                                   .order_by(GoodsReceipt.received_at)).all()
        return GoodsReceiptView(many=True).dump(receipts)

    # --- overdue deliveries ---

    @timer(interval=OVERDUE_SCAN_SECONDS)
    def scan_for_overdue_purchase_orders(self):
        self.alert_overdue_purchase_orders()

    @rpc
    def alert_overdue_purchase_orders(self):
        """Raise purchase_order_overdue, once per order, for sent orders past their expected date."""
        today = self._today()
        orders = self.db.scalars(select(PurchaseOrder).where(
            PurchaseOrder.status.in_(RECEIVABLE_STATUSES), PurchaseOrder.expected_date < today,
            PurchaseOrder.overdue_alerted_at.is_(None)).with_for_update(of=PurchaseOrder, skip_locked=True)).all()
        for order in orders:
            order.overdue_alerted_at = utcnow()
            self.db.emit(PURCHASE_ORDER_OVERDUE, {
                "purchase_order_id": order.id, "number": order.number, "supplier_id": order.supplier_id,
                "supplier_name": order.supplier.name, "expected_date": order.expected_date.isoformat(),
                "days_overdue": (today - order.expected_date).days,
                "lines": [{"line_id": line.id, "part_number": line.part_number,
                           "outstanding_quantity": str(line.outstanding_quantity)}
                          for line in order.lines if line.outstanding_quantity > 0]}, site_id=order.site_id)
        self.db.commit()
        return len(orders)

    # --- supplier scorecard (供应商评价体系) ---

    @rpc
    def supplier_scorecard(self, payload):
        query = load(ScorecardQuery, payload)
        supplier = self._supplier(query["supplier_id"])
        card = self._scorecard(supplier, query["date_from"], query["date_to"], query["site_id"], restrict=True)
        return ScorecardView().dump(card)

    # --- replenishment (采购计划) ---

    @rpc
    def replenishment_suggestions(self, payload):
        """Reorder point and order quantity per part at a site (rules/replenishment.py, docs/parts-replenishment.md)."""
        query = load(ReplenishmentQuery, payload)
        self.auth.require_site(query["site_id"])
        z = self._z(query["service_level_z"])
        lines = self._suggestions(query["site_id"], query["window_days"], query["review_days"], z,
                                  query["part_number"], query["include_all"])
        return ReplenishmentView().dump({"site_id": query["site_id"], "window_days": query["window_days"],
                                         "review_days": query["review_days"], "service_level_z": z, "lines": lines})

    @rpc
    def create_purchase_plan(self, payload):
        """A draft plan from today's suggestions: every part that needs ordering, at the suggested quantity."""
        self.auth.require_role("parts_clerk")
        data = load(NewPurchasePlan, payload)
        self.auth.require_site(data["site_id"])
        z = self._z(data["service_level_z"])
        plan = self.db.add(PurchasePlan(site_id=data["site_id"], status="draft", window_days=data["window_days"],
                                        review_days=data["review_days"], service_level_z=z,
                                        created_by=self.auth.username))
        self.db.flush()
        for line in self._suggestions(plan.site_id, plan.window_days, plan.review_days, z):
            plan.lines.append(self.db.add(self._plan_line(plan, line)))
        self.db.commit()
        return self._plan_view(plan)

    @rpc
    def get_purchase_plan(self, plan_id):
        return self._plan_view(self._plan(plan_id))

    @rpc
    def update_purchase_plan(self, plan_id, payload):
        """The clerk edits quantities and suppliers, and may add parts (their figures are worked out too)."""
        self.auth.require_role("parts_clerk")
        changes = load(PurchasePlanChanges, payload)
        plan = self._plan(plan_id, lock=True)
        self._require_draft_plan(plan)
        by_id = {line.id: line for line in plan.lines}
        for index, change in enumerate(changes["lines"]):
            if change["line_id"] is not None:
                line = by_id.get(change["line_id"])
                if line is None:
                    raise InvalidInput("Not a line of this plan.", {"lines": {index: {"line_id": ["Unknown line."]}}})
            else:
                line = self._added_plan_line(plan, change["part_number"], index)
            if "supplier_id" in change:
                line.supplier_id = change["supplier_id"] and self._supplier(
                    change["supplier_id"], field=f"lines.{index}.supplier_id", must_be_active=True).id
                line.supplier = self.db.get(Supplier, line.supplier_id) if line.supplier_id else None
            line.quantity = change["quantity"]
        self.db.commit()
        return self._plan_view(plan)

    @rpc
    def approve_purchase_plan(self, plan_id):
        """The site manager approves: one draft purchase order per supplier, at its last agreed prices."""
        self.auth.require_role("site_manager")
        plan = self._plan(plan_id, lock=True)
        self._require_draft_plan(plan)
        to_order = [line for line in plan.lines if line.quantity > 0]
        if not to_order:
            raise Conflict("The plan orders nothing: every quantity is 0.", {"lines": ["Nothing to order."]})
        without_supplier = [line.part_number for line in to_order if line.supplier_id is None]
        if without_supplier:
            raise Conflict(f"Choose a supplier for {', '.join(without_supplier)} first.",
                           {"lines": [f"{number}: no supplier." for number in without_supplier]})
        by_supplier = defaultdict(list)
        for line in to_order:
            by_supplier[line.supplier_id].append(line)
        orders = []
        for supplier_id, lines in sorted(by_supplier.items(), key=lambda item: item[1][0].supplier.name):
            supplier = self._supplier(supplier_id, must_be_active=True)
            order = self._new_order(plan.site_id, supplier, self._today() + timedelta(days=supplier.lead_time_days), [
                (line.part_number, line.quantity, self._price(supplier.id, line.part_number), None) for line in lines],
                note="From an approved purchase plan", plan_id=plan.id)
            for line in lines:
                line.purchase_order_id = order.id
            orders.append(order)
        plan.status, plan.approved_at, plan.approved_by = "approved", utcnow(), self.auth.username
        self.db.emit(PURCHASE_PLAN_APPROVED, {
            "plan_id": plan.id, "approved_by": plan.approved_by,
            "purchase_orders": [{"purchase_order_id": o.id, "number": o.number, "supplier_id": o.supplier_id,
                                 "total": str(_order_total(o))} for o in orders]}, site_id=plan.site_id)
        self.db.commit()
        return self._plan_view(plan)

    # --- helpers: lookups ---

    def _supplier(self, supplier_id, field="supplier_id", must_be_active=False):
        supplier = self.db.get(Supplier, str(supplier_id))
        if supplier is None:
            raise NotFound(f"No supplier {supplier_id}.", {field: ["Unknown supplier."]})
        if must_be_active and not supplier.active:
            raise Conflict(f"Supplier {supplier.name} is inactive.", {field: ["Inactive supplier."]})
        return supplier

    def _refuse_taken_supplier_name(self, name):
        if self.db.scalars(select(Supplier.id).where(func.lower(Supplier.name) == name.lower())).first():
            raise Conflict(f"A supplier named {name} exists.", {"name": ["Already taken."]})

    def _parts_of(self, lines):
        """The catalogue part of each line; NotFound naming every unknown line."""
        parts = [self.db.get(Part, line["part_number"]) for line in lines]
        unknown = {index: {"part_number": ["Unknown part."]} for index, part in enumerate(parts) if part is None}
        if unknown:
            raise NotFound("Some parts are not in the catalogue.", {"lines": unknown})
        return parts

    def _rfq(self, rfq_id, lock=False):
        query = select(Rfq).where(Rfq.id == str(rfq_id))
        rfq = self.db.scalars(query.with_for_update(of=Rfq) if lock else query).one_or_none()
        if rfq is None:
            raise NotFound(f"No request for quotation {rfq_id}.", {"rfq_id": ["Unknown request for quotation."]})
        self.auth.require_site(rfq.site_id)
        return rfq

    def _order(self, purchase_order_id, lock=False):
        query = select(PurchaseOrder).where(PurchaseOrder.id == str(purchase_order_id))
        order = self.db.scalars(query.with_for_update(of=PurchaseOrder) if lock else query).one_or_none()
        if order is None:
            raise NotFound(f"No purchase order {purchase_order_id}.", {"purchase_order_id": ["Unknown order."]})
        self.auth.require_site(order.site_id)
        return order

    def _plan(self, plan_id, lock=False):
        query = select(PurchasePlan).where(PurchasePlan.id == str(plan_id))
        plan = self.db.scalars(query.with_for_update(of=PurchasePlan) if lock else query).one_or_none()
        if plan is None:
            raise NotFound(f"No purchase plan {plan_id}.", {"plan_id": ["Unknown plan."]})
        self.auth.require_site(plan.site_id)
        return plan

    @staticmethod
    def _require_open(rfq):
        if rfq.status != "open":
            raise Conflict(f"{rfq.number} is {rfq.status}.", {"status": [f"Is {rfq.status}."]})

    @staticmethod
    def _require_draft_plan(plan):
        if plan.status != "draft":
            raise Conflict(f"The plan is {plan.status}: it can no longer change.", {"status": [f"Is {plan.status}."]})

    # --- helpers: orders and receipts ---

    def _new_order(self, site_id, supplier, expected_date, lines, note="", rfq_id=None, plan_id=None):
        """A draft order; lines are (part number, quantity, unit price, request line id or None)."""
        order = self.db.add(PurchaseOrder(
            number=self._number("PO", site_id), site_id=site_id, supplier_id=supplier.id, supplier=supplier,
            status=DRAFT, expected_date=expected_date, note=note, rfq_id=rfq_id, plan_id=plan_id,
            created_by=self.auth.username))
        self.db.flush()
        for line_no, (part_number, quantity, unit_price, rfq_line_id) in enumerate(lines, start=1):
            order.lines.append(self.db.add(PurchaseOrderLine(
                purchase_order_id=order.id, line_no=line_no, part_number=part_number, quantity=quantity,
                unit_price=unit_price, delivered_quantity=ZERO, accepted_quantity=ZERO, rejected_quantity=ZERO,
                cancelled_quantity=ZERO, rfq_line_id=rfq_line_id)))
        self.db.flush()
        return order

    def _checked_receipt_lines(self, order, entries, inventory):
        """[(order line, entry, part, bin)] once every line passes; else InvalidInput naming each problem."""
        by_id = {line.id: line for line in order.lines}
        problems, booked = {}, []
        for index, entry in enumerate(entries):
            line = by_id.get(entry["line_id"])
            if line is None:
                problems[index] = {"line_id": ["Not a line of this order."]}
                continue
            found = purchasing.receipt_line_problems(line.outstanding_quantity, entry["delivered"], entry["accepted"],
                                                     entry["rejected"], entry["reject_reason"])
            part = self.db.get(Part, line.part_number)
            if part.tracks_batches and entry["accepted"] > 0:
                for field in ("batch", "expiry_date"):
                    if not entry[field]:
                        found[field] = ["Required for a part with a shelf life."]
            if found:
                problems[index] = found
                continue
            bin = None
            if entry["accepted"] > 0 and (entry["warehouse_code"] or entry["bin_code"]):
                try:
                    bin = inventory.bin(order.site_id, entry["warehouse_code"], entry["bin_code"])
                except NotFound as unknown:
                    raise NotFound(unknown.message, {"lines": {index: unknown.details}}) from None
            booked.append((line, entry, part, bin))
        if problems:
            raise InvalidInput("The delivery cannot be booked as given.", {"lines": problems})
        return booked

    def _order_view(self, order):
        return PurchaseOrderView().dump({
            **columns(order),
            "supplier_name": order.supplier.name, "total": _order_total(order), "lines": order.lines,
            "overdue": order.status in RECEIVABLE_STATUSES and order.expected_date < self._today()})

    def _rfq_view(self, rfq):
        bid_suppliers = {b.supplier_id for b in rfq.bids}
        return RfqView().dump({
            **columns(rfq),
            "lines": rfq.lines,
            "suppliers": [{"supplier_id": i.supplier_id, "name": i.supplier.name,
                           "has_bid": i.supplier_id in bid_suppliers} for i in rfq.invitations],
            "bids": [{"supplier_id": b.supplier_id, "supplier_name": b.supplier.name,
                      "lead_time_days": b.lead_time_days, "total": _bid_total(rfq, b), "lines": b.lines,
                      "note": b.note, "submitted_at": b.submitted_at} for b in rfq.bids]})

    def _score(self, rfq):
        if not rfq.bids:
            raise Conflict(f"{rfq.number} has no bids yet.", {"bids": ["None yet."]})
        today = self._today()
        since = today - timedelta(days=bid_rules.RATING_PERIOD_DAYS)
        return bid_rules.score_bids([
            bid_rules.Bid(b.supplier_id, _bid_total(rfq, b), b.lead_time_days,
                          self._scorecard(b.supplier, since, today)["rating"]) for b in rfq.bids])

    # --- helpers: scorecard ---

    def _scorecard(self, supplier, date_from, date_to, site_id=None, restrict=False):
        """The supplier's figures over receipts dated date_from..date_to (the sites' calendar)."""
        receipts_query = select(GoodsReceipt).where(
            GoodsReceipt.supplier_id == supplier.id, GoodsReceipt.received_on >= date_from,
            GoodsReceipt.received_on <= date_to)
        overdue_query = select(func.count()).select_from(PurchaseOrder).where(
            PurchaseOrder.supplier_id == supplier.id, PurchaseOrder.status.in_(RECEIVABLE_STATUSES),
            PurchaseOrder.expected_date < self._today())
        if restrict:
            receipts_query = self.auth.restrict_to_sites(receipts_query, GoodsReceipt.site_id, site_id)
            overdue_query = self.auth.restrict_to_sites(overdue_query, PurchaseOrder.site_id, site_id)
        receipts = self.db.scalars(receipts_query).all()
        lines = [line for receipt in receipts for line in receipt.lines]
        delivered = sum((l.delivered_quantity for l in lines), ZERO)
        accepted = sum((l.accepted_quantity for l in lines), ZERO)
        standard = {n: p for n, p in self.db.execute(select(Part.part_number, Part.cost_price).where(
            Part.part_number.in_({l.part_number for l in lines})))} if lines else {}
        lowest_bids = self._lowest_bids([l.purchase_order_line_id for l in lines])
        on_time = sum(1 for r in receipts if r.on_time)
        on_time_pct, acceptance_pct = purchasing.percentage(on_time, len(receipts)), purchasing.percentage(
            accepted, delivered)
        to_standard = purchasing.variance([(l.unit_price, standard[l.part_number], l.accepted_quantity)
                                           for l in lines])
        to_bids = purchasing.variance([(l.unit_price, lowest_bids[l.purchase_order_line_id], l.accepted_quantity)
                                       for l in lines if l.purchase_order_line_id in lowest_bids])
        return {
            "supplier_id": supplier.id, "supplier_name": supplier.name, "date_from": date_from, "date_to": date_to,
            "site_id": site_id, "receipts": len(receipts), "on_time_receipts": on_time, "on_time_pct": on_time_pct,
            "delivered_quantity": delivered, "accepted_quantity": accepted,
            "rejected_quantity": sum((l.rejected_quantity for l in lines), ZERO), "acceptance_pct": acceptance_pct,
            "purchased_value": sum((l.unit_price * l.accepted_quantity for l in lines), ZERO).quantize(CENT),
            "variance_to_standard_cost": to_standard[0], "variance_to_standard_cost_pct": to_standard[1],
            "variance_to_lowest_bid": to_bids[0], "variance_to_lowest_bid_pct": to_bids[1],
            "rating": bid_rules.supplier_rating(on_time_pct, acceptance_pct),
            "open_overdue_orders": self.db.execute(overdue_query).scalar_one()}

    def _lowest_bids(self, order_line_ids):
        """{order line id: the lowest unit price bid for its request line} for lines ordered through a request."""
        if not order_line_ids:
            return {}
        rows = self.db.execute(
            select(PurchaseOrderLine.id, func.min(RfqBidLine.unit_price))
            .join(RfqBidLine, RfqBidLine.rfq_line_id == PurchaseOrderLine.rfq_line_id)
            .where(PurchaseOrderLine.id.in_(set(order_line_ids)))
            .group_by(PurchaseOrderLine.id)).all()
        return dict(rows)

    # --- helpers: replenishment and plans ---

    def _suggestions(self, site_id, window_days, review_days, z, part_number=None, include_all=False):
        """Replenishment figures per part at the site, as dicts for the views; only parts to order unless include_all."""
        today = self._today()
        first_day = rules.window(today, window_days)
        demand = defaultdict(list)
        movements = select(StockMovement.part_number, StockMovement.at, StockMovement.quantity).where(
            StockMovement.site_id == site_id, StockMovement.kind.in_(DEMAND_KINDS),
            StockMovement.at >= self._start_of(first_day), StockMovement.at < self._start_of(today))
        if part_number:
            movements = movements.where(StockMovement.part_number == part_number)
        for number, at, quantity in self.db.execute(movements):
            demand[number].append((self._local_date(at), -quantity))
        stock_query = select(Stock).where(Stock.site_id == site_id)
        if part_number:
            stock_query = stock_query.where(Stock.part_number == part_number)
        stocks = {s.part_number: s for s in self.db.scalars(stock_query)}
        numbers = sorted(set(stocks) | set(demand) | ({part_number} if part_number else set()))
        parts = {p.part_number: p for p in self.db.scalars(select(Part).where(Part.part_number.in_(numbers)))}
        backordered = self._sum_by_part(select(Reservation.part_number, func.sum(Reservation.quantity)).where(
            Reservation.site_id == site_id, Reservation.status == BACKORDERED).group_by(Reservation.part_number))
        on_order = self._sum_by_part(
            select(PurchaseOrderLine.part_number, func.sum(PurchaseOrderLine.quantity - PurchaseOrderLine.accepted_quantity
                                                           - PurchaseOrderLine.cancelled_quantity))
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .where(PurchaseOrder.site_id == site_id, PurchaseOrder.status.in_(OPEN_STATUSES))
            .group_by(PurchaseOrderLine.part_number))
        usual = self._usual_suppliers(numbers)
        lines = []
        for number in numbers:
            part = parts.get(number)
            if part is None or not part.active or part.superseded_by:
                continue  # discontinued or replaced: its demand now goes to another number
            stock = stocks.get(number)
            supplier = usual.get(number)
            figures = rules.suggest(
                rules.daily_demand(demand[number], first_day, window_days),
                supplier.lead_time_days if supplier else rules.DEFAULT_LEAD_TIME_DAYS, review_days, z,
                stock.on_hand if stock else ZERO, stock.reserved if stock else ZERO,
                backordered.get(number, ZERO), on_order.get(number, ZERO))
            if figures.suggested_quantity > 0 or include_all:
                lines.append({"part_number": number, "supplier_id": supplier.id if supplier else None,
                              "supplier_name": supplier.name if supplier else None, **figures.figures()})
        return lines

    def _expected_arrival(self, site_id, part_number):
        """By when more of the part is expected at the site: the end of the earliest expected date of the orders
        its suppliers have (sent or partly received) that still owe some; None when no such order exists."""
        earliest = self.db.execute(
            select(func.min(PurchaseOrder.expected_date))
            .join(PurchaseOrderLine, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
            .where(PurchaseOrder.site_id == site_id, PurchaseOrder.status.in_(RECEIVABLE_STATUSES),
                   PurchaseOrderLine.part_number == part_number,
                   PurchaseOrderLine.quantity - PurchaseOrderLine.accepted_quantity
                   - PurchaseOrderLine.cancelled_quantity > 0)).scalar()
        return None if earliest is None else self._start_of(earliest + timedelta(days=1))

    def _sum_by_part(self, statement):
        return {number: Decimal(total or 0) for number, total in self.db.execute(statement)}

    def _usual_suppliers(self, part_numbers):
        """{part number: the active supplier of its latest purchase order that was not cancelled (any site)}."""
        if not part_numbers:
            return {}
        latest = (select(PurchaseOrderLine.part_number, func.max(PurchaseOrder.created_at).label("at"))
                  .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
                  .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
                  .where(PurchaseOrderLine.part_number.in_(part_numbers), PurchaseOrder.status != CANCELLED,
                         Supplier.active.is_(True))
                  .group_by(PurchaseOrderLine.part_number).subquery())
        rows = self.db.execute(
            select(PurchaseOrderLine.part_number, Supplier)
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .join(latest, (latest.c.part_number == PurchaseOrderLine.part_number)
                  & (latest.c.at == PurchaseOrder.created_at))
            .where(PurchaseOrder.status != CANCELLED, Supplier.active.is_(True))
            .order_by(PurchaseOrder.id)).all()
        return {number: supplier for number, supplier in rows}

    def _price(self, supplier_id, part_number):
        """The supplier's last agreed price for the part, else the part's standard cost."""
        last = self.db.scalars(
            select(PurchaseOrderLine.unit_price)
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .where(PurchaseOrder.supplier_id == supplier_id, PurchaseOrderLine.part_number == part_number,
                   PurchaseOrder.status != CANCELLED)
            .order_by(PurchaseOrder.created_at.desc()).limit(1)).first()
        return last if last is not None else self.db.get(Part, part_number).cost_price

    def _added_plan_line(self, plan, part_number, index):
        if self.db.get(Part, part_number) is None:
            raise NotFound(f"No part {part_number} in the catalogue.",
                           {"lines": {index: {"part_number": ["Unknown part."]}}})
        if any(line.part_number == part_number for line in plan.lines):
            raise InvalidInput(f"{part_number} is already in the plan: change its line.",
                               {"lines": {index: {"part_number": ["Already in the plan."]}}})
        found = self._suggestions(plan.site_id, plan.window_days, plan.review_days, plan.service_level_z,
                                  part_number, include_all=True)
        if not found:
            raise InvalidInput(f"{part_number} is discontinued or superseded: order the part that replaces it.",
                               {"lines": {index: {"part_number": ["Inactive or superseded."]}}})
        line = self.db.add(self._plan_line(plan, found[0]))
        plan.lines.append(line)
        return line

    def _plan_line(self, plan, figures):
        """A plan line from a suggestion's figures, ordering the suggested quantity."""
        kept = {key: value if isinstance(value, int) else str(value) for key, value in figures.items()
                if key not in ("part_number", "supplier_id", "supplier_name", "suggested_quantity")}
        supplier = self.db.get(Supplier, figures["supplier_id"]) if figures["supplier_id"] else None
        return PurchasePlanLine(plan_id=plan.id, part_number=figures["part_number"], supplier_id=figures["supplier_id"],
                                supplier=supplier, suggested_quantity=figures["suggested_quantity"],
                                quantity=figures["suggested_quantity"], figures=kept)

    def _plan_view(self, plan):
        lines = []
        for line in plan.lines:
            lines.append({**line.figures, "line_id": line.id, "part_number": line.part_number,
                          "supplier_id": line.supplier_id, "supplier_name": line.supplier.name if line.supplier else None,
                          "suggested_quantity": line.suggested_quantity, "quantity": line.quantity,
                          "unit_price": self._price(line.supplier_id, line.part_number) if line.supplier_id else None,
                          "purchase_order_id": line.purchase_order_id})
        return PurchasePlanView().dump({
            **columns(plan), "lines": lines,
            "purchase_order_ids": sorted({line.purchase_order_id for line in plan.lines if line.purchase_order_id})})

    def _z(self, given):
        return Decimal(str(given if given is not None else self.config.get("REPLENISHMENT_Z", rules.DEFAULT_Z)))

    # --- helpers: the sites' calendar ---

    def _offset(self):
        return timezone(timedelta(hours=float(self.config.get("SITE_UTC_OFFSET_HOURS", DEFAULT_UTC_OFFSET_HOURS))))

    def _today(self):
        return utcnow().astimezone(self._offset()).date()

    def _local_date(self, moment):
        return moment.astimezone(self._offset()).date()

    def _start_of(self, day):
        return datetime.combine(day, time.min, tzinfo=self._offset())

    def _number(self, prefix, site_id):
        return f"{prefix}-{site_id}-{self._today():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"


def _order_total(order):
    return sum((line.quantity * line.unit_price for line in order.lines), ZERO).quantize(CENT)


def _bid_total(rfq, bid):
    prices = {line.rfq_line_id: line.unit_price for line in bid.lines}
    return sum((line.quantity * prices.get(line.id, ZERO) for line in rfq.lines), ZERO).quantize(CENT)


def _supplier_name_of(rfq, best):
    return next(b.supplier.name for b in rfq.bids if b.supplier_id == best.bid.supplier_id)

