"""Transfers between two sites of the group through the HTTP gateway, every service running on the real
broker and PostgreSQL: request, approve by the sender's manager, ship, stock in transit, a short receipt,
cancel, and who may do each step."""
import uuid

import pytest
import requests

SUFFIX = uuid.uuid4().hex[:6].upper()
SENDER, RECEIVER = f"TS{SUFFIX}", f"TR{SUFFIX}"  # sites of this module only: the parts database is shared


class Api:
    def __init__(self, base_url, token):
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return requests.get(f"{self.base_url}{path}", headers=self.headers, params=params, timeout=30)

    def post(self, path, body=None):
        return requests.post(f"{self.base_url}{path}", headers=self.headers, json=body, timeout=30)


def login(base_url, username, password):
    answer = requests.post(f"{base_url}/api/v1/auth/token", json={"username": username, "password": password},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    return Api(base_url, answer.json()["access_token"])


@pytest.fixture(scope="module")
def admin(platform, admin_password):
    return login(platform, "admin", admin_password)


@pytest.fixture(scope="module")
def people(platform, admin):
    """A manager and a clerk of the sending site, a clerk and a manager of the receiving one."""
    made = {}
    for name, role, site in (("sender_manager", "site_manager", SENDER), ("sender_clerk", "parts_clerk", SENDER),
                             ("receiver_clerk", "parts_clerk", RECEIVER),
                             ("receiver_manager", "site_manager", RECEIVER)):
        username = f"{name}.{SUFFIX.lower()}"
        created = admin.post("/api/v1/users", {"username": username, "password": "transfer-test-pw",
                                               "roles": [role], "sites": [site]})
        assert created.status_code == 201, created.text
        made[name] = login(platform, username, "transfer-test-pw")
    return made


def stocked_part(admin, quantity, unit_cost):
    number = f"GT-{uuid.uuid4().hex[:8].upper()}"
    created = admin.post("/api/v1/parts", {"part_number": number, "name": "刹车片", "name_en": "Brake pads",
                                           "unit": "set", "cost_price": unit_cost, "retail_price": "380.00"})
    assert created.status_code == 201, created.text
    received = admin.post("/api/v1/stock/receipts", {"site_id": SENDER, "part_number": number, "quantity": quantity,
                                                     "unit_cost": unit_cost})
    assert received.status_code == 201, received.text
    return number


def test_a_transfer_is_requested_approved_shipped_and_received_short(platform, admin, people, subscribe):
    events = subscribe(("parts.events", "transfer_shipped"), ("parts.events", "transfer_received"))
    pads = stocked_part(admin, "8", "210.00")
    receiver, sender_clerk = people["receiver_clerk"], people["sender_clerk"]

    bad = receiver.post("/api/v1/transfers", {"from_site_id": RECEIVER, "to_site_id": RECEIVER,
                                              "lines": [{"part_number": pads, "quantity": "1"}]})
    assert bad.status_code == 400
    assert bad.json()["details"] == {"to_site_id": ["Must differ from from_site_id."]}

    asked = receiver.post("/api/v1/transfers", {"from_site_id": SENDER, "to_site_id": RECEIVER,
                                                "lines": [{"part_number": pads, "quantity": "4"}]})
    assert asked.status_code == 201, asked.text
    transfer = asked.json()
    transfer_id, [line] = transfer["transfer_id"], transfer["lines"]
    assert (transfer["status"], transfer["allowed_actions"]) == ("requested", ["approve", "cancel"])

    assert people["receiver_manager"].post(f"/api/v1/transfers/{transfer_id}/approve").status_code == 403
    early = receiver.post(f"/api/v1/transfers/{transfer_id}/receive", {})
    assert early.status_code == 409
    assert early.json()["message"] == "A transfer that is requested cannot receive; allowed now: approve, cancel."

    approved = people["sender_manager"].post(f"/api/v1/transfers/{transfer_id}/approve")
    assert approved.status_code == 200, approved.text
    stock = admin.get(f"/api/v1/stock/{SENDER}/{pads}").json()
    assert (stock["on_hand"], stock["reserved"]) == ("8.00", "4.00")

    assert receiver.post(f"/api/v1/transfers/{transfer_id}/ship").status_code == 403
    shipped = sender_clerk.post(f"/api/v1/transfers/{transfer_id}/ship")
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["status"] == "shipped"
    assert admin.get(f"/api/v1/stock/{SENDER}/{pads}").json()["on_hand"] == "4.00"

    outbound = sender_clerk.get(f"/api/v1/sites/{SENDER}/stock-in-transit")
    inbound = receiver.get(f"/api/v1/sites/{RECEIVER}/stock-in-transit")
    assert outbound.status_code == inbound.status_code == 200
    assert [(r["part_number"], r["outbound_quantity"], r["outbound_value"]) for r in outbound.json()] == [
        (pads, "4.00", "840.00")]
    assert [(r["part_number"], r["inbound_quantity"], r["inbound_value"], r["transfer_ids"])
            for r in inbound.json()] == [(pads, "4.00", "840.00", [transfer_id])]
    assert receiver.get(f"/api/v1/sites/{SENDER}/stock-in-transit").status_code == 403
    sent = events.wait_for("transfer_shipped", lambda e: e["payload"]["transfer_id"] == transfer_id)
    assert (sent["site_id"], sent["payload"]["value"]) == (SENDER, "840.00")

    no_reason = receiver.post(f"/api/v1/transfers/{transfer_id}/receive",
                              {"lines": [{"line_id": line["line_id"], "received_quantity": "3"}]})
    assert no_reason.status_code == 400
    assert no_reason.json()["details"] == {"lines": {"0": {"discrepancy_reason": [
        "Required: 1.00 of 4.00 did not arrive."]}}}
    assert sender_clerk.post(f"/api/v1/transfers/{transfer_id}/receive", {}).status_code == 403

    received = receiver.post(f"/api/v1/transfers/{transfer_id}/receive", {"lines": [
        {"line_id": line["line_id"], "received_quantity": "3", "discrepancy_reason": "one set missing from the box"}]})
    assert received.status_code == 200, received.text
    [arrived_line] = received.json()["lines"]
    assert (arrived_line["received_quantity"], arrived_line["lost_quantity"]) == ("3.00", "1.00")
    at_receiver = admin.get(f"/api/v1/stock/{RECEIVER}/{pads}").json()
    assert (at_receiver["on_hand"], at_receiver["average_cost"]) == ("3.00", "210.00")
    assert receiver.get(f"/api/v1/sites/{RECEIVER}/stock-in-transit").json() == []
    arrived = events.wait_for("transfer_received", lambda e: e["payload"]["transfer_id"] == transfer_id)
    assert (arrived["site_id"], arrived["payload"]["lost_value"]) == (RECEIVER, "210.00")

    movements = admin.get("/api/v1/stock-movements", site_id=RECEIVER, part_number=pads).json()
    assert [(m["kind"], m["quantity"], m["unit_cost"]) for m in movements] == [("transfer_in", "3.00", "210.00")]
    listed = receiver.get("/api/v1/transfers", site_id=RECEIVER, direction="inbound")
    assert [(t["transfer_id"], t["status"]) for t in listed.json()] == [(transfer_id, "received")]
    assert receiver.get(f"/api/v1/transfers/{transfer_id}").json()["received_by"] == f"receiver_clerk.{SUFFIX.lower()}"


def test_a_transfer_cancelled_before_shipping_gives_its_stock_back(platform, admin, people):
    pads = stocked_part(admin, "5", "200.00")
    transfer = people["receiver_clerk"].post("/api/v1/transfers", {
        "from_site_id": SENDER, "to_site_id": RECEIVER, "lines": [{"part_number": pads, "quantity": "5"}]}).json()
    transfer_id = transfer["transfer_id"]
    assert people["sender_manager"].post(f"/api/v1/transfers/{transfer_id}/approve").status_code == 200
    assert admin.get(f"/api/v1/stock/{SENDER}/{pads}").json()["available"] == "0.00"

    missing_reason = people["sender_manager"].post(f"/api/v1/transfers/{transfer_id}/cancel", {})
    assert missing_reason.status_code == 400 and set(missing_reason.json()["details"]) == {"reason"}
    cancelled = people["sender_manager"].post(f"/api/v1/transfers/{transfer_id}/cancel",
                                              {"reason": "needed here after all"})
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["allowed_actions"]) == ("cancelled", [])
    assert admin.get(f"/api/v1/stock/{SENDER}/{pads}").json()["available"] == "5.00"
    again = people["sender_clerk"].post(f"/api/v1/transfers/{transfer_id}/ship")
    assert again.status_code == 409
    assert again.json()["details"] == {"status": ["Is cancelled; allowed: nothing (the transfer is closed)."]}
    assert admin.get(f"/api/v1/transfers/{uuid.uuid4()}").status_code == 404
