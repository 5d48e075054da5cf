"""Stocktakes through the HTTP gateway, every service running on the real broker and PostgreSQL."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

SITE, OTHER_SITE = "ST01", "ST02"
CHINA_TIME = timezone(timedelta(hours=8))


class Http:
    def __init__(self, base_url, token=None):
        self.base_url, self.token = base_url, token

    def call(self, method, path, body=None, params=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = requests.request(method, self.base_url + path, json=body, params=params, headers=headers, timeout=30)
        return answer.status_code, answer.json()

    def ok(self, method, path, body=None, params=None, expect=200):
        status, answer = self.call(method, path, body, params)
        assert status == expect, (method, path, status, answer)
        return answer


def login(base_url, username, password):
    status, answer = Http(base_url).call("POST", "/api/v1/auth/token", {"username": username, "password": password})
    assert status == 200, answer
    return Http(base_url, answer["access_token"])


@pytest.fixture(scope="module")
def people(platform, admin_password):
    admin = login(platform, "admin", admin_password)
    suffix = uuid.uuid4().hex[:6]
    made = {"admin": admin}
    for who, roles, sites in [("clerk", ["parts_clerk"], [SITE]), ("manager", ["site_manager"], [SITE]),
                              ("stranger", ["parts_clerk", "site_manager"], [OTHER_SITE])]:
        username, password = f"st-{who}-{suffix}", f"pw-{who}-{suffix}-long"
        admin.ok("POST", "/api/v1/users", {"username": username, "password": password, "roles": roles,
                                           "sites": sites}, expect=201)
        made[who] = login(platform, username, password)
    return made


@pytest.fixture(scope="module")
def shelf(people):
    """Bin B-01 holds 12 spark plugs at 25.00 (and 3 are promised to a repair order); B-02 holds 6 bulbs at 8.40."""
    admin = people["admin"]
    admin.ok("POST", "/api/v1/warehouses", {"site_id": SITE, "code": "STORE", "name": "Parts store"}, expect=201)
    for code in ("B-01", "B-02"):
        admin.ok("POST", "/api/v1/bins", {"site_id": SITE, "warehouse_code": "STORE", "code": code}, expect=201)
    numbers = {}
    for name, category, cost, quantity, bin_code in [("plugs", "ignition", "25.00", "12", "B-01"),
                                                      ("bulbs", "lighting", "8.40", "6", "B-02")]:
        number = f"GW-{uuid.uuid4().hex[:8].upper()}"
        admin.ok("POST", "/api/v1/parts", {"part_number": number, "name": name, "category": category,
                                           "cost_price": cost, "retail_price": "50.00"}, expect=201)
        admin.ok("POST", "/api/v1/stock/receipts", {"site_id": SITE, "part_number": number, "quantity": quantity,
                                                    "unit_cost": cost, "warehouse_code": "STORE",
                                                    "bin_code": bin_code}, expect=201)
        numbers[name] = number
    admin.ok("POST", "/api/v1/reservations", {"site_id": SITE, "part_number": numbers["plugs"], "quantity": "3",
                                              "reference": f"ro-line-{uuid.uuid4()}"}, expect=201)
    return numbers


def lots_total(http, number):
    return sum(float(lot["quantity"]) for lot in http.ok("GET", "/api/v1/lots", params={"site_id": SITE,
                                                                                         "part_number": number}))


def test_a_blind_cycle_count_from_opening_to_posting(people, shelf):
    clerk, manager, stranger = people["clerk"], people["manager"], people["stranger"]
    plugs, bulbs = shelf["plugs"], shelf["bulbs"]

    opened = clerk.ok("POST", "/api/v1/stocktakes", {
        "site_id": SITE, "scope": "bins", "blind": True,
        "bins": [{"warehouse_code": "STORE", "bin_code": "B-01"}, {"warehouse_code": "STORE", "bin_code": "B-02"}]},
        expect=201)
    stocktake_id = opened["stocktake_id"]
    path = f"/api/v1/stocktakes/{stocktake_id}"
    assert [(line["line_no"], line["bin_code"], line["part_number"]) for line in opened["lines"]] == [
        (1, "B-01", plugs), (2, "B-02", bulbs)]
    assert all(line["expected_quantity"] is None for line in clerk.ok("GET", path)["lines"])

    status, refused = clerk.call("POST", f"{path}/counts", {"counts": [{"line_no": 1, "counted_quantity": "-2"}]})
    assert (status, refused["error"], list(refused["details"])) == (400, "invalid_input", ["counts"])
    counted = clerk.ok("POST", f"{path}/counts", {"counts": [{"line_no": 1, "counted_quantity": "10"},
                                                             {"line_no": 2, "counted_quantity": "6"}]})
    assert [line["counted_quantity"] for line in counted["lines"]] == ["10.00", "6.00"]
    assert counted["expected_hidden"] is True and counted["lines"][0]["expected_quantity"] is None

    submitted = clerk.ok("POST", f"{path}/submit")
    assert [(line["expected_quantity"], line["quantity_variance"], line["value_variance"])
            for line in submitted["lines"]] == [("12.00", "-2.00", "-50.00"), ("6.00", "0.00", "0.00")]
    assert submitted["figures"] == {
        "lines": 2, "lines_with_variance": 1, "quantity_variance": "-2.00", "value_variance": "-50.00",
        "gross_value_variance": "50.00", "expected_value": "350.40", "accuracy": "0.5000",
        "value_accuracy": "0.8573"}

    status, _ = clerk.call("POST", f"{path}/post")
    assert status == 409, "not approved yet"
    status, _ = clerk.call("POST", f"{path}/approve")
    assert status == 403, "a clerk does not approve"
    recount = manager.ok("POST", f"{path}/recount", {"line_nos": [1], "reason": "Count the back row too"})
    assert (recount["status"], recount["lines"][0]["counted_quantity"], recount["lines"][0]["previous_count"]) == (
        "open", None, "10.00")
    status, settled = clerk.call("POST", f"{path}/counts", {"counts": [{"line_no": 2, "counted_quantity": "5"}]})
    assert status == 409, settled
    clerk.ok("POST", f"{path}/counts", {"counts": [{"line_no": 1, "counted_quantity": "11"}]})
    clerk.ok("POST", f"{path}/submit")
    assert manager.ok("POST", f"{path}/approve")["status"] == "approved"

    status, _ = stranger.call("POST", f"{path}/post")
    assert status == 403
    posted = clerk.ok("POST", f"{path}/post")
    assert (posted["status"], posted["figures"]["accuracy"], posted["figures"]["value_variance"]) == (
        "posted", "0.5000", "-25.00")
    status, again = clerk.call("POST", f"{path}/post")
    assert (status, again["error"]) == (409, "conflict")

    stock = clerk.ok("GET", f"/api/v1/stock/{SITE}/{plugs}")
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == ("11.00", "3.00", "8.00")
    assert lots_total(clerk, plugs) == 11.0
    ledger = clerk.ok("GET", "/api/v1/stock-movements",
                      params={"site_id": SITE, "reference": f"stocktake:{stocktake_id}"})
    assert [(m["part_number"], m["kind"], m["quantity"]) for m in ledger] == [(plugs, "adjustment", "-1.00")]

    today = datetime.now(CHINA_TIME).date().isoformat()
    accuracy = manager.ok("GET", "/api/v1/stocktakes/accuracy",
                          params={"site_id": SITE, "date_from": today, "date_to": today})
    assert (accuracy["counts"], accuracy["lines"], accuracy["accuracy"], accuracy["value_accuracy"]) == (
        1, 2, "0.5000", "0.9287")  # 1 - 25.00 / 350.40
    listed = clerk.ok("GET", "/api/v1/stocktakes", params={"site_id": SITE, "status": "posted"})
    assert [s["stocktake_id"] for s in listed] == [stocktake_id]


def test_wrong_site_bad_input_and_unknown_counts_are_refused(people, shelf):
    clerk, manager, stranger = people["clerk"], people["manager"], people["stranger"]
    status, refused = clerk.call("POST", "/api/v1/stocktakes", {"site_id": SITE, "scope": "category"})
    assert (status, list(refused["details"])) == (400, ["categories"])
    status, refused = clerk.call("POST", "/api/v1/stocktakes", {"site_id": OTHER_SITE, "scope": "full"})
    assert status == 403, refused
    status, refused = clerk.call("GET", "/api/v1/stocktakes/accuracy",
                                 params={"site_id": SITE, "date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert (status, list(refused["details"])) == (400, ["date_to"])
    status, _ = clerk.call("GET", f"/api/v1/stocktakes/{uuid.uuid4()}")
    assert status == 404

    opened = clerk.ok("POST", "/api/v1/stocktakes", {"site_id": SITE, "scope": "category",
                                                     "categories": ["lighting"]}, expect=201)
    path = f"/api/v1/stocktakes/{opened['stocktake_id']}"
    assert opened["lines"][0]["expected_quantity"] == "6.00"  # not blind
    for method, route, body in [("GET", path, None), ("POST", f"{path}/submit", None),
                                ("POST", f"{path}/cancel", None),
                                ("POST", f"{path}/counts", {"counts": [{"line_no": 1, "counted_quantity": "1"}]})]:
        status, _ = stranger.call(method, route, body)
        assert status == 403, (method, route)
    status, _ = stranger.call("GET", "/api/v1/stocktakes", params={"site_id": SITE})
    assert status == 403
    status, overlapping = clerk.call("POST", "/api/v1/stocktakes", {"site_id": SITE, "scope": "full"})
    assert (status, list(overlapping["details"])) == (409, ["scope"])
    assert manager.ok("POST", f"{path}/cancel")["status"] == "cancelled"
    assert clerk.ok("GET", path)["status"] == "cancelled"
