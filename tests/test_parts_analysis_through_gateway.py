"""The parts KPIs through the HTTP gateway, every service running on the real broker and PostgreSQL.

The history is made through the gateway (receipts, reservations, issues). The ledger stamps each
movement with the time it happens and no route may backdate it, so the opening stock (before the
period) and the stock that has not moved for 180 days are moved back in time with an UPDATE
straight in the parts database right after they are received.
"""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import text

from svckit.db import create_engine_for

SUFFIX = uuid.uuid4().hex[:6].upper()
FIRST, SECOND = f"KA{SUFFIX}", f"KB{SUFFIX}"  # sites of this module only: the parts database is shared
NOW = datetime.now(timezone.utc)
TODAY = NOW.date()
PERIOD = {"from": (TODAY - timedelta(days=29)).isoformat(), "to": TODAY.isoformat()}


class Api:
    def __init__(self, base_url, token):
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return requests.get(f"{self.base_url}{path}", headers=self.headers, params=params, timeout=30)

    def post(self, path, body=None):
        answer = requests.post(f"{self.base_url}{path}", headers=self.headers, json=body, timeout=30)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()


def login(base_url, username, password):
    answer = requests.post(f"{base_url}/api/v1/auth/token", json={"username": username, "password": password},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    return Api(base_url, answer.json()["access_token"])


@pytest.fixture(scope="module")
def admin(platform, admin_password):
    return login(platform, "admin", admin_password)


def user(platform, admin, name, role, sites):
    username = f"{name}.{SUFFIX.lower()}"
    admin.post("/api/v1/users", {"username": username, "password": "analysis-test-pw", "roles": [role],
                                 "sites": sites})
    return login(platform, username, "analysis-test-pw")


def backdate(databases, reference, days):
    engine = create_engine_for(databases.url("parts"))  # the platform's parts database
    try:
        with engine.begin() as db:
            moved = db.execute(text("UPDATE stock_movements SET at = :at WHERE reference = :reference"),
                               {"at": NOW - timedelta(days=days), "reference": reference}).rowcount
    finally:
        engine.dispose()
    assert moved == 1


@pytest.fixture(scope="module")
def history(platform, admin, databases):
    """FIRST: pads 4 @ 25.00 bought 200 days ago, oil 10 @ 40.00 40 days ago; in the period oil 10 @ 46.00
    (average 43.00), 5 issued (215.00) and a request for 100 stock could not cover. SECOND: oil 2 @ 50.00
    received and issued (100.00) in the period."""
    numbers = {}
    for name, cost in (("oil", "40.00"), ("pads", "25.00")):
        numbers[name] = f"GK-{uuid.uuid4().hex[:8].upper()}"
        admin.post("/api/v1/parts", {"part_number": numbers[name], "name": name, "unit": "piece", "cost_price": cost,
                                     "retail_price": "99.00"})
    oil, pads = numbers["oil"], numbers["pads"]

    def receive(site, number, quantity, unit_cost, reference=None):
        admin.post("/api/v1/stock/receipts", {"site_id": site, "part_number": number, "quantity": quantity,
                                              "unit_cost": unit_cost, "reference": reference})

    def reserve(site, number, quantity):
        return admin.post("/api/v1/reservations", {"site_id": site, "part_number": number, "quantity": quantity,
                                                   "reference": f"ro-line-{uuid.uuid4()}"})

    receive(FIRST, pads, "4", "25.00", reference=f"opening-{pads}")
    backdate(databases, f"opening-{pads}", 200)
    receive(FIRST, oil, "10", "40.00", reference=f"opening-{oil}")
    backdate(databases, f"opening-{oil}", 40)
    receive(FIRST, oil, "10", "46.00")
    job = reserve(FIRST, oil, "5")
    admin.post(f"/api/v1/reservations/{job['reservation_id']}/issue")
    short = reserve(FIRST, oil, "100")
    assert short["status"] == "backordered"
    admin.post(f"/api/v1/reservations/{short['reservation_id']}/release")

    receive(SECOND, oil, "2", "50.00")
    second_job = reserve(SECOND, oil, "2")
    admin.post(f"/api/v1/reservations/{second_job['reservation_id']}/issue")
    return numbers


@pytest.fixture(scope="module")
def group_manager(platform, admin, history):
    return user(platform, admin, "group.manager", "group_manager", [FIRST, SECOND])


def test_fill_rate_per_site_and_for_the_group(group_manager):
    answer = group_manager.get("/api/v1/parts-analysis/fill-rate", **PERIOD)
    assert answer.status_code == 200, answer.text
    assert answer.json()["sites"] == [
        {"site_id": FIRST, "lines_requested": 2, "lines_filled_at_request": 1, "fill_rate": "0.5000"},
        {"site_id": SECOND, "lines_requested": 1, "lines_filled_at_request": 1, "fill_rate": "1.0000"}]
    assert answer.json()["group"] == {"site_id": None, "lines_requested": 3, "lines_filled_at_request": 2,
                                      "fill_rate": "0.6667"}


def test_turnover_and_days_of_supply_per_site_and_for_the_group(group_manager):
    turnover = group_manager.get("/api/v1/parts-analysis/turnover", **PERIOD)
    assert turnover.status_code == 200, turnover.text
    # FIRST: opening 10 x 40 + 4 x 25 = 500, closing 15 x 43 + 100 = 745, cost 5 x 43 = 215:
    # 215 / 622.50 = 0.345..., x 365 / 30 = 4.20
    assert turnover.json()["sites"][0] == {
        "site_id": FIRST, "cost_of_sales": "215.00", "opening_value": "500.00", "closing_value": "745.00",
        "average_value": "622.50", "turnover": "0.35", "annualised_turnover": "4.20"}
    # the group: (215 + 100) / ((500 + 745) / 2) = 0.506..., x 365 / 30 = 6.156...
    assert turnover.json()["group"] == {
        "site_id": None, "cost_of_sales": "315.00", "opening_value": "500.00", "closing_value": "745.00",
        "average_value": "622.50", "turnover": "0.51", "annualised_turnover": "6.16"}

    supply = group_manager.get("/api/v1/parts-analysis/days-of-supply", **PERIOD)
    assert supply.status_code == 200, supply.text
    # FIRST: 745 / (215 / 30 x 30) x 30 = 103.95; SECOND sold all it had: 0; group 745 x 30 / 315 = 70.95
    assert [(s["site_id"], s["inventory_value"], s["monthly_cost_of_sales"], s["days_of_supply"])
            for s in supply.json()["sites"]] == [(FIRST, "745.00", "215.00", "103.95"),
                                                 (SECOND, "0.00", "100.00", "0.00")]
    assert supply.json()["group"]["days_of_supply"] == "70.95"


def test_obsolete_stock_lists_what_has_not_moved_for_180_days(group_manager, history):
    answer = group_manager.get("/api/v1/parts-analysis/obsolete-stock")
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["sites"]
    assert [(p["part_number"], p["on_hand"], p["value"]) for p in first["parts"]] == [
        (history["pads"], "4.00", "100.00")]
    assert (second["parts"], answer.json()["group_value"]) == ([], "100.00")
    longer = group_manager.get("/api/v1/parts-analysis/obsolete-stock", site_id=FIRST, days="250")
    assert longer.status_code == 200, longer.text
    assert (longer.json()["sites"][0]["parts"], longer.json()["group_value"]) == ([], "0.00")


def test_a_site_clerk_sees_their_own_site_only_and_bad_periods_are_refused(platform, admin, history):
    clerk = user(platform, admin, "second.clerk", "parts_clerk", [SECOND])
    refused = clerk.get("/api/v1/parts-analysis/turnover", site_id=FIRST, **PERIOD)
    assert refused.status_code == 403
    mine = clerk.get("/api/v1/parts-analysis/fill-rate", **PERIOD).json()
    assert [s["site_id"] for s in mine["sites"]] == [SECOND]
    backwards = clerk.get("/api/v1/parts-analysis/days-of-supply", **{"from": PERIOD["to"], "to": PERIOD["from"]})
    assert backwards.status_code == 400
    assert backwards.json()["details"] == {"to": ["Must not be before from."]}
    assert clerk.get("/api/v1/parts-analysis/fill-rate", to=PERIOD["to"]).status_code == 400
