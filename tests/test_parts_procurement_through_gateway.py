"""Procurement through the HTTP gateway, every service running on the real broker and PostgreSQL:
suppliers, a tender, purchase orders, a partial receipt with a rejected quantity that serves a
backordered repair-order line, overdue alerts, the supplier scorecard and a purchase plan."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

SITE, OTHER_SITE = "GZ-PROC", "SZ-PROC"  # sites of this module alone: the platform's databases are shared
CHINA = timezone(timedelta(hours=8))


class Client:
    def __init__(self, base_url, token):
        self.base_url, self.token = base_url, token

    def call(self, method, path, body=None, params=None, expect=200):
        answer = requests.request(method, self.base_url + path, json=body, params=params, timeout=20,
                                  headers={"Authorization": f"Bearer {self.token}"})
        assert answer.status_code == expect, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json()

    def get(self, path, params=None, expect=200):
        return self.call("GET", path, params=params, expect=expect)

    def post(self, path, body=None, expect=201):
        return self.call("POST", path, body if body is not None else {}, expect=expect)

    def patch(self, path, body, expect=200):
        return self.call("PATCH", path, body, expect=expect)


def login(platform, username, password):
    answer = requests.post(f"{platform}/api/v1/auth/token", json={"username": username, "password": password},
                           timeout=20)
    assert answer.status_code == 200, answer.text
    return Client(platform, answer.json()["access_token"])


@pytest.fixture(scope="module")
def users(platform, admin_password):
    admin = login(platform, "admin", admin_password)
    made = {"admin": admin}
    for name, roles, sites in (("clerk", ["parts_clerk"], [SITE]), ("manager", ["site_manager"], [SITE]),
                               ("stranger", ["parts_clerk", "site_manager"], [OTHER_SITE])):
        username, password = f"{name}-{uuid.uuid4().hex[:6]}", "procurement-pw-" + uuid.uuid4().hex[:8]
        admin.post("/api/v1/users", {"username": username, "password": password, "roles": roles, "sites": sites})
        made[name] = login(platform, username, password)
    return made


def local_today():
    return datetime.now(CHINA).date()


def new_part(admin, cost_price="40.00"):
    number = f"PR-{uuid.uuid4().hex[:8].upper()}"
    admin.post("/api/v1/parts", {"part_number": number, "name": "刹车片", "name_en": "Brake pads",
                                 "cost_price": cost_price, "retail_price": "90.00"})
    return number


def new_supplier(clerk, name, lead_time_days):
    return clerk.post("/api/v1/suppliers", {
        "name": f"{name} {uuid.uuid4().hex[:6]}", "lead_time_days": lead_time_days, "payment_terms": "月结30天",
        "contacts": [{"name": "陈经理", "role": "sales", "phone": "13812345678"}]})


def test_a_partial_receipt_with_rejected_parts_serves_a_backordered_repair_order_line(users, subscribe):
    events = subscribe(("parts.events", "purchase_order_placed"), ("parts.events", "goods_received"),
                       ("parts.events", "part_reserved"))
    admin, clerk, stranger = users["admin"], users["clerk"], users["stranger"]
    pads = new_part(admin)
    supplier = new_supplier(clerk, "广州汽配", 5)
    assert clerk.get(f"/api/v1/suppliers/{supplier['supplier_id']}")["contacts"][0]["phone"] == "13812345678"

    # a repair order needs 3 pads that are not in stock: the line is backordered
    ro_id = str(uuid.uuid4())
    waiting = clerk.post("/api/v1/reservations", {"site_id": SITE, "part_number": pads, "quantity": "3",
                                                  "reference": f"ro-line:{uuid.uuid4()}", "repair_order_id": ro_id})
    assert waiting["status"] == "backordered"

    order = clerk.post("/api/v1/purchase-orders", {
        "site_id": SITE, "supplier_id": supplier["supplier_id"],
        "expected_date": (local_today() + timedelta(days=2)).isoformat(),
        "lines": [{"part_number": pads, "quantity": "10", "unit_price": "42.00"}]})
    assert (order["status"], order["total"]) == ("draft", "420.00")
    order_id, line_id = order["purchase_order_id"], order["lines"][0]["line_id"]
    assert clerk.post(f"/api/v1/purchase-orders/{order_id}/send", expect=200)["status"] == "sent"
    placed = events.wait_for("purchase_order_placed", lambda e: e["payload"]["purchase_order_id"] == order_id)
    assert (placed["site_id"], placed["payload"]["total"]) == (SITE, "420.00")

    refused = clerk.post(f"/api/v1/purchase-orders/{order_id}/receipts", {"lines": [
        {"line_id": line_id, "delivered": "5", "accepted": "3", "rejected": "2"}]}, expect=400)
    assert refused["details"] == {"lines": {"0": {"reject_reason": ["Say why parts were rejected."]}}}
    stranger.post(f"/api/v1/purchase-orders/{order_id}/receipts", {"lines": [
        {"line_id": line_id, "delivered": "1", "accepted": "1"}]}, expect=403)

    receipt = clerk.post(f"/api/v1/purchase-orders/{order_id}/receipts", {"delivery_note": "DN-88", "lines": [
        {"line_id": line_id, "delivered": "5", "accepted": "3", "rejected": "2",
         "reject_reason": "Backing plate bent"}]})
    assert (receipt["on_time"], receipt["lines"][0]["accepted_quantity"], receipt["lines"][0]["rejected_quantity"]) \
        == (True, "3.00", "2.00")

    # only the accepted 3 entered stock, at the order's price, and went straight to the waiting RO line
    stock = clerk.get(f"/api/v1/stock/{SITE}/{pads}")
    assert (stock["on_hand"], stock["reserved"], stock["average_cost"]) == ("3.00", "3.00", "42.00")
    assert clerk.get(f"/api/v1/reservations/{waiting['reservation_id']}")["status"] == "reserved"
    reserved = events.wait_for("part_reserved", lambda e: e["payload"]["reservation_id"] == waiting["reservation_id"])
    assert (reserved["payload"]["was_backordered"], reserved["payload"]["repair_order_id"]) == (True, ro_id)
    [movement] = clerk.get("/api/v1/stock-movements", {"site_id": SITE, "part_number": pads})
    assert (movement["kind"], movement["quantity"], movement["reference"]) == ("receipt", "3.00", order["number"])

    after = clerk.get(f"/api/v1/purchase-orders/{order_id}")
    assert after["status"] == "partially_received"
    assert (after["lines"][0]["accepted_quantity"], after["lines"][0]["rejected_quantity"],
            after["lines"][0]["outstanding_quantity"]) == ("3.00", "2.00", "7.00")
    received = events.wait_for("goods_received", lambda e: e["payload"]["purchase_order_id"] == order_id)
    assert received["payload"]["lines"] == [{"line_id": line_id, "part_number": pads, "delivered": "5.00",
                                             "accepted": "3.00", "rejected": "2.00",
                                             "reject_reason": "Backing plate bent"}]
    assert received["payload"]["status"] == "partially_received"

    conflict = clerk.post(f"/api/v1/purchase-orders/{order_id}/receipts", {"delivery_note": "DN-88", "lines": [
        {"line_id": line_id, "delivered": "1", "accepted": "1"}]}, expect=409)
    assert conflict["error"] == "conflict"
    assert len(clerk.get(f"/api/v1/purchase-orders/{order_id}/receipts")) == 1
    assert order_id in {o["purchase_order_id"] for o in clerk.get("/api/v1/purchase-orders",
                                                                   {"site_id": SITE, "status": "partially_received"})}

    card = clerk.get(f"/api/v1/suppliers/{supplier['supplier_id']}/scorecard", {
        "date_from": (local_today() - timedelta(days=7)).isoformat(), "date_to": local_today().isoformat()})
    assert (card["on_time_pct"], card["acceptance_pct"], card["variance_to_standard_cost"], card["rating"]) == (
        "100.00", "60.00", "6.00", "80.00")


def test_an_overdue_order_is_alerted_once(users, subscribe):
    events = subscribe(("parts.events", "purchase_order_overdue"))
    admin, clerk = users["admin"], users["clerk"]
    pads, supplier = new_part(admin), new_supplier(clerk, "迟到汽配", 3)
    order = clerk.post("/api/v1/purchase-orders", {
        "site_id": SITE, "supplier_id": supplier["supplier_id"],
        "expected_date": (local_today() - timedelta(days=2)).isoformat(),
        "lines": [{"part_number": pads, "quantity": "4", "unit_price": "42.00"}]})
    clerk.post(f"/api/v1/purchase-orders/{order['purchase_order_id']}/send", expect=200)
    assert clerk.post("/api/v1/purchase-orders/overdue-alerts", expect=200)["alerted"] >= 1
    alert = events.wait_for("purchase_order_overdue",
                            lambda e: e["payload"]["purchase_order_id"] == order["purchase_order_id"])
    assert (alert["payload"]["days_overdue"], alert["site_id"]) == (2, SITE)
    clerk.post("/api/v1/purchase-orders/overdue-alerts", expect=200)
    assert len([e for e in events.events("purchase_order_overdue")
                if e["payload"]["purchase_order_id"] == order["purchase_order_id"]]) == 1
    assert clerk.get(f"/api/v1/purchase-orders/{order['purchase_order_id']}")["overdue"] is True


def test_a_tender_is_compared_and_awarded_by_the_site_manager(users):
    admin, clerk, manager = users["admin"], users["clerk"], users["manager"]
    filters = new_part(admin)
    cheap, quick = new_supplier(clerk, "便宜", 10), new_supplier(clerk, "快速", 2)
    rfq = clerk.post("/api/v1/rfqs", {"site_id": SITE, "supplier_ids": [cheap["supplier_id"], quick["supplier_id"]],
                                      "lines": [{"part_number": filters, "quantity": "10"}]})
    line_id = rfq["lines"][0]["line_id"]
    clerk.post(f"/api/v1/rfqs/{rfq['rfq_id']}/bids", {"supplier_id": cheap["supplier_id"], "lead_time_days": 10,
                                                      "lines": [{"line_id": line_id, "unit_price": "30.00"}]})
    clerk.post(f"/api/v1/rfqs/{rfq['rfq_id']}/bids", {"supplier_id": quick["supplier_id"], "lead_time_days": 2,
                                                      "lines": [{"line_id": line_id, "unit_price": "36.00"}]})
    compared = clerk.get(f"/api/v1/rfqs/{rfq['rfq_id']}/comparison")
    # cheap: .5*100 + .2*20 + .3*50 = 69.00; quick: .5*83.33 + .2*100 + .3*50 = 76.67 (neither has a history)
    assert [(b["supplier_id"], b["score"]) for b in compared["bids"]] == [
        (quick["supplier_id"], "76.67"), (cheap["supplier_id"], "69.00")]
    clerk.post(f"/api/v1/rfqs/{rfq['rfq_id']}/award", {"supplier_id": quick["supplier_id"]}, expect=403)
    manager.post(f"/api/v1/rfqs/{rfq['rfq_id']}/award", {"supplier_id": cheap["supplier_id"]}, expect=400)
    order = manager.post(f"/api/v1/rfqs/{rfq['rfq_id']}/award", {"supplier_id": quick["supplier_id"]})
    assert (order["status"], order["total"], order["rfq_id"]) == ("draft", "360.00", rfq["rfq_id"])
    assert clerk.get(f"/api/v1/rfqs/{rfq['rfq_id']}")["status"] == "awarded"


def test_replenishment_becomes_a_plan_the_clerk_edits_and_the_manager_approves(users, subscribe):
    events = subscribe(("parts.events", "purchase_plan_approved"))
    admin, clerk, manager, stranger = users["admin"], users["clerk"], users["manager"], users["stranger"]
    wanted = new_part(admin, cost_price="20.00")
    supplier = new_supplier(clerk, "常用", 4)
    clerk.post("/api/v1/reservations", {"site_id": SITE, "part_number": wanted, "quantity": "4",
                                        "reference": f"ro-line:{uuid.uuid4()}"})  # backordered: no stock yet
    suggested = clerk.get("/api/v1/replenishment", {"site_id": SITE, "part_number": wanted, "window_days": "30"})
    [line] = suggested["lines"]
    assert (line["backordered"], line["position"], line["suggested_quantity"], line["lead_time_days"]) == (
        "4.00", "-4.00", "4.00", 7)  # no history: nothing but the backorder to cover
    stranger.get("/api/v1/replenishment", {"site_id": SITE}, expect=403)

    plan = clerk.post("/api/v1/purchase-plans", {"site_id": SITE, "window_days": 30})
    mine = next(l for l in plan["lines"] if l["part_number"] == wanted)
    plan = clerk.patch(f"/api/v1/purchase-plans/{plan['plan_id']}", {"lines": [
        {"line_id": l["line_id"], "quantity": "0"} for l in plan["lines"] if l["part_number"] != wanted] + [
        {"line_id": mine["line_id"], "quantity": "6", "supplier_id": supplier["supplier_id"]}]})
    clerk.post(f"/api/v1/purchase-plans/{plan['plan_id']}/approve", expect=403)
    approved = manager.post(f"/api/v1/purchase-plans/{plan['plan_id']}/approve", expect=200)
    assert approved["status"] == "approved"
    [order_id] = approved["purchase_order_ids"]
    order = clerk.get(f"/api/v1/purchase-orders/{order_id}")
    assert (order["status"], order["supplier_id"], order["lines"][0]["quantity"], order["total"]) == (
        "draft", supplier["supplier_id"], "6.00", "120.00")
    announced = events.wait_for("purchase_plan_approved", lambda e: e["payload"]["plan_id"] == plan["plan_id"])
    assert announced["payload"]["purchase_orders"][0]["purchase_order_id"] == order_id
    manager.post(f"/api/v1/purchase-plans/{plan['plan_id']}/approve", expect=409)
