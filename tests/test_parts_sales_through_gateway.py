"""A trade counter sale and its delivery through the HTTP gateway, every service on the real broker and PostgreSQL."""
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import requests

SITE, OTHER_SITE = "SH01", "SH02"


class Http:
    def __init__(self, base_url, token):
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def call(self, method, path, body=None, expect=200, **params):
        answer = requests.request(method, self.base_url + path, json=body, params=params or None,
                                  headers=self.headers, timeout=30)
        assert answer.status_code == expect, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json()


def login(platform, username, password):
    answer = requests.post(f"{platform}/api/v1/auth/token", json={"username": username, "password": password},
                           timeout=10)
    assert answer.status_code == 200, answer.text
    return Http(platform, answer.json()["access_token"])


def new_user(admin, roles, sites):
    username, password = f"u{uuid.uuid4().hex[:8]}", "a-long-password-1"
    admin.call("POST", "/api/v1/users", {"username": username, "password": password, "roles": roles,
                                         "sites": sites}, expect=201)
    return username, password


def test_a_trade_sale_is_quoted_ordered_picked_invoiced_and_delivered(platform, admin_password, subscribe):
    events = subscribe(("parts.events", "parts_sold"), ("parts.events", "delivery_order_updated"))
    admin = login(platform, "admin", admin_password)
    clerk = login(platform, *new_user(admin, ["parts_clerk"], [SITE]))
    outsider = login(platform, *new_user(admin, ["parts_clerk"], [OTHER_SITE]))

    number = f"BP-{uuid.uuid4().hex[:6].upper()}"
    admin.call("POST", "/api/v1/parts", {"part_number": number, "name": "前刹车片", "cost_price": "120.00",
                                         "retail_price": "199.99"}, expect=201)
    admin.call("POST", "/api/v1/stock/receipts", {"site_id": SITE, "part_number": number, "quantity": "6"},
               expect=201)

    clerk.call("POST", "/api/v1/trade-accounts", {"site_id": SITE, "name": "浦东汽修", "discount_percent": "15"},
               expect=403)  # a site manager sets trade terms
    account = admin.call("POST", "/api/v1/trade-accounts", {
        "site_id": SITE, "name": f"浦东汽修-{uuid.uuid4().hex[:4]}", "contact_name": "李师傅",
        "discount_percent": "15"}, expect=201)

    bad = clerk.call("POST", "/api/v1/counter-sales", {"site_id": SITE, "trade_account_id": account[
        "trade_account_id"], "lines": [{"part_number": number, "quantity": "2", "discount_percent": "30"}]},
        expect=400)
    assert (bad["error"], list(bad["details"]["lines"]["0"])) == ("invalid_input", ["discount_percent"])

    sale = clerk.call("POST", "/api/v1/counter-sales", {
        "site_id": SITE, "trade_account_id": account["trade_account_id"],
        "lines": [{"part_number": number, "quantity": "2", "discount_percent": "5"}]}, expect=201)
    sale_id = sale["sale_id"]
    # 2 x 199.99 = 399.98; x 0.85 x 0.95 = 322.98385 -> 322.98; VAT 41.9874 -> 41.99
    assert (sale["subtotal"], sale["discount"], sale["net"], sale["vat"], sale["total"]) == (
        "399.98", "77.00", "322.98", "41.99", "364.97")
    assert sale["status"] == "quote" and sale["customer_kind"] == "trade"

    outsider.call("GET", f"/api/v1/counter-sales/{sale_id}", expect=403)
    outsider.call("POST", f"/api/v1/counter-sales/{sale_id}/order", {}, expect=403)
    refused = clerk.call("POST", f"/api/v1/counter-sales/{sale_id}/invoice", expect=409)
    assert refused["details"]["allowed_actions"] == ["requote", "order", "cancel"]

    ordered = clerk.call("POST", f"/api/v1/counter-sales/{sale_id}/order", {"backorder": False})
    assert ordered["lines"][0]["stock_status"] == "reserved"
    stock = admin.call("GET", f"/api/v1/stock/{SITE}/{number}")
    assert (stock["on_hand"], stock["reserved"]) == ("6.00", "2.00")

    picked = clerk.call("POST", f"/api/v1/counter-sales/{sale_id}/pick")
    assert picked["status"] == "picked"
    stock = admin.call("GET", f"/api/v1/stock/{SITE}/{number}")
    assert (stock["on_hand"], stock["reserved"]) == ("4.00", "0.00")
    line_id = picked["lines"][0]["line_id"]
    ledger = admin.call("GET", "/api/v1/stock-movements", site_id=SITE, reference=f"sale-line:{line_id}")
    assert [(m["kind"], m["quantity"]) for m in ledger] == [("sale", "-2.00")]

    invoiced = clerk.call("POST", f"/api/v1/counter-sales/{sale_id}/invoice")
    year = datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).year
    assert invoiced["invoice_number"].startswith(f"{SITE}-{year}-")
    assert len(invoiced["invoice_number"].rsplit("-", 1)[1]) == 6
    sold = events.wait_for("parts_sold", lambda e: e["payload"]["sale_id"] == sale_id)
    assert (sold["payload"]["invoice_number"], sold["payload"]["total"], sold["site_id"]) == (
        invoiced["invoice_number"], "364.97", SITE)
    listed = clerk.call("GET", "/api/v1/counter-sales", site_id=SITE, status="invoiced")
    assert sale_id in [s["sale_id"] for s in listed]

    delivery = clerk.call("POST", "/api/v1/delivery-orders", {
        "sale_id": sale_id, "address": "上海市浦东新区川沙路88号", "contact_name": "李师傅",
        "contact_phone": "13912345678", "carrier": "own van"}, expect=201)
    path = f"/api/v1/delivery-orders/{delivery['delivery_order_id']}/status"
    clerk.call("POST", path, {"status": "delivered", "note": "签收"}, expect=409)
    clerk.call("POST", path, {"status": "out_for_delivery", "driver": "张师傅"})
    assert clerk.call("POST", path, {"status": "delivered"}, expect=400)["details"] == {
        "note": ["Proof of delivery required."]}
    done = clerk.call("POST", path, {"status": "delivered", "note": "李师傅签收"})
    assert (done["status"], done["proof_of_delivery"]) == ("delivered", "李师傅签收")
    assert [h["status"] for h in done["history"]] == ["scheduled", "out_for_delivery", "delivered"]
    outsider.call("GET", f"/api/v1/delivery-orders/{delivery['delivery_order_id']}", expect=403)
    listed = clerk.call("GET", "/api/v1/delivery-orders", site_id=SITE, status="delivered")
    assert [(d["delivery_order_id"], d["contact_phone"]) for d in listed] == [
        (delivery["delivery_order_id"], "139****5678")]
    delivered = events.wait_for("delivery_order_updated", lambda e: e["payload"]["status"] == "delivered"
                                and e["payload"]["delivery_order_id"] == delivery["delivery_order_id"])
    assert delivered["payload"]["previous_status"] == "out_for_delivery"


def test_a_retail_quote_is_cancelled_and_its_reservation_released(platform, admin_password):
    admin = login(platform, "admin", admin_password)
    number = f"OF-{uuid.uuid4().hex[:6].upper()}"
    admin.call("POST", "/api/v1/parts", {"part_number": number, "name": "机油滤清器", "cost_price": "20.00",
                                         "retail_price": "35.00"}, expect=201)
    admin.call("POST", "/api/v1/stock/receipts", {"site_id": SITE, "part_number": number, "quantity": "3"},
               expect=201)
    sale = admin.call("POST", "/api/v1/counter-sales", {"site_id": SITE, "customer_name": "陈女士", "lines": [
        {"part_number": number, "quantity": "5"}]}, expect=201)
    ordered = admin.call("POST", f"/api/v1/counter-sales/{sale['sale_id']}/order", {"backorder": True})
    assert ordered["lines"][0]["stock_status"] == "backordered"
    assert admin.call("GET", f"/api/v1/stock/{SITE}/{number}")["backordered"] == "5.00"
    admin.call("POST", f"/api/v1/counter-sales/{sale['sale_id']}/pick", expect=409)

    cancelled = admin.call("POST", f"/api/v1/counter-sales/{sale['sale_id']}/cancel", {"reason": "等不及"})
    assert (cancelled["status"], cancelled["lines"][0]["stock_status"]) == ("cancelled", "released")
    stock = admin.call("GET", f"/api/v1/stock/{SITE}/{number}")
    assert (stock["on_hand"], stock["reserved"], float(stock["backordered"])) == ("3.00", "0.00", 0)
    admin.call("POST", f"/api/v1/counter-sales/{sale['sale_id']}/cancel", {"reason": "again"}, expect=409)
    assert admin.call("GET", f"/api/v1/counter-sales/{uuid.uuid4()}", expect=404)["error"] == "not_found"
