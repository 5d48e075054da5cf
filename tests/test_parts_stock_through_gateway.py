"""Stock through the HTTP gateway: bins and batches, backorders, issue, return, write-off, expiry alerts."""
import uuid
from datetime import date, timedelta

import requests

SITE = "SK01"


def test_a_days_work_in_the_parts_store_through_http(platform, admin_password):
    token = requests.post(f"{platform}/api/v1/auth/token",
                          json={"username": "admin", "password": admin_password}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, body=None, expect=200, **params):
        answer = requests.request(method, platform + path, json=body, params=params, headers=headers, timeout=30)
        assert answer.status_code == expect, (method, path, answer.status_code, answer.text)
        return answer.json()

    number = f"OIL-{uuid.uuid4().hex[:6].upper()}"
    call("POST", "/api/v1/parts", {"part_number": number, "name": "机油 5W-30", "category": "fluids", "unit": "litre",
                                   "cost_price": "40.00", "retail_price": "68.00", "shelf_life_days": 730,
                                   "fitment": ["Passat"]}, expect=201)
    call("POST", "/api/v1/warehouses", {"site_id": SITE, "code": "OIL", "name": "Oil store"}, expect=201)
    call("POST", "/api/v1/bins", {"site_id": SITE, "warehouse_code": "OIL", "code": "A-01"}, expect=201)
    refused = call("POST", "/api/v1/stock/receipts", {"site_id": SITE, "part_number": number, "quantity": "4"},
                   expect=400)
    assert set(refused["details"]) == {"batch", "expiry_date"}
    expiry = (date.today() + timedelta(days=20)).isoformat()
    stock = call("POST", "/api/v1/stock/receipts", {
        "site_id": SITE, "part_number": number, "quantity": "4", "warehouse_code": "OIL", "bin_code": "A-01",
        "batch": "B1", "expiry_date": expiry}, expect=201)
    assert stock["on_hand"] == "4.00"

    first = call("POST", "/api/v1/reservations", {"site_id": SITE, "part_number": number, "quantity": "3",
                                                  "reference": f"ro-line:{uuid.uuid4()}"}, expect=201)
    waiting = call("POST", "/api/v1/reservations", {"site_id": SITE, "part_number": number, "quantity": "2",
                                                    "reference": f"ro-line:{uuid.uuid4()}"}, expect=201)
    assert (first["status"], waiting["status"]) == ("reserved", "backordered")
    assert call("GET", f"/api/v1/stock/{SITE}/{number}")["backordered"] == "2.00"

    issued = call("POST", f"/api/v1/reservations/{first['reservation_id']}/issue")
    assert issued["status"] == "issued"
    returned = call("POST", "/api/v1/stock/returns", {"reservation_id": first["reservation_id"], "quantity": "1"})
    assert returned["status"] == "returned"
    assert call("GET", f"/api/v1/reservations/{waiting['reservation_id']}")["status"] == "reserved"

    [lot] = call("GET", "/api/v1/lots", site_id=SITE, part_number=number)
    assert (lot["bin_code"], lot["batch"], lot["quantity"]) == ("A-01", "B1", "2.00")
    after = call("POST", "/api/v1/stock/write-offs", {"lot_id": lot["lot_id"], "quantity": "1", "reason": "damaged"},
                 expect=409)
    assert after["details"] == {"quantity": ["At most 0.00: the rest is reserved."]}

    kinds = [m["kind"] for m in call("GET", "/api/v1/stock-movements", site_id=SITE, part_number=number)]
    assert sorted(kinds) == ["issue", "receipt", "return"]
    assert call("POST", "/api/v1/stock/expiry-alerts")["alerted"] >= 1
    assert [p["part_number"] for p in call("GET", "/api/v1/parts", model="Passat", text=number)] == [number]
