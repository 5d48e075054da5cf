"""The customer's tracking link through the HTTP gateway, every service real on the broker and PostgreSQL:
check a car in, quote a labour and a part line, the advisor gets the link, the customer opens it without logging in
and approves the part and declines the labour; the workshop records it with channel tracking_link, parts reserves
the part and the declined work is published. Another visit's link shows only its own; an unknown token is 404."""
import random
import string
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from svckit.testing.subscriber import wait_until


@pytest.fixture(scope="module")
def site():
    return f"T{uuid.uuid4().hex[:6].upper()}"


@pytest.fixture(scope="module")
def advisor(make_user, site):
    return make_user(f"advisor-trk-{uuid.uuid4().hex[:6]}", ["service_advisor"], [site])


def ok(answer, status=(200, 201)):
    assert answer.status_code in status, answer.text
    return answer.json()


def check_in_a_car(admin, advisor, demo, site, plate):
    """Register a customer and a car at crm, check it in at reception; workshop opens the order by itself."""
    customer = ok(admin.post("/api/v1/customers", {"site_id": site, "name": "赵先生", "phone": "137" + "".join(
        random.choice(string.digits) for _ in range(8))}))
    vehicle = ok(admin.post("/api/v1/vehicles", {"site_id": site, "customer_id": customer["customer_id"],
                                                 "vin": demo.random_vin(), "plate": plate, "model": "Magotan",
                                                 "mileage_km": 21000}))
    visit = ok(advisor.post("/api/v1/visits", {
        "site_id": site, "vehicle_id": vehicle["vehicle_id"], "mileage_km": 21400, "concern": "空调不制冷",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=6)).replace(microsecond=0).isoformat()}))
    order = wait_until(lambda: next(iter(ok(advisor.get("/api/v1/repair-orders", visit_id=visit["visit_id"]))), None),
                       timeout=30, message="repair order opened")
    return visit, order, customer


def open_link(platform, url):
    """The customer's phone: no Authorization header at all."""
    token = url.rsplit("/", 1)[-1]
    return token, requests.get(f"{platform}/api/v1/track/{token}", timeout=30)


def test_the_customer_answers_the_quote_through_the_link_and_the_workshop_acts_on_it(
        platform, admin, advisor, demo, site, subscribe):
    events = subscribe(("workshop.events", "repair_order_approved"), ("workshop.events", "work_declined"),
                       ("reception.events", "tracking_link_issued"))
    tag = uuid.uuid4().hex[:6].upper()
    part_number = f"ACF-{tag}"
    ok(admin.post("/api/v1/parts", {"part_number": part_number, "name": "空调滤芯", "cost_price": "40.00",
                                    "retail_price": "88.00"}))
    ok(admin.post("/api/v1/stock/receipts", {"site_id": site, "part_number": part_number, "quantity": "3"}))

    plate = demo.random_plate()
    visit, order, customer = check_in_a_car(admin, advisor, demo, site, plate)
    at_check_in = events.wait_for("tracking_link_issued", lambda e: e["payload"]["visit_id"] == visit["visit_id"])
    assert (at_check_in["payload"]["customer_id"], at_check_in["payload"]["reissued"]) == (
        customer["customer_id"], False)

    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    ok(advisor.post(ro + "/labour-lines", {"operation_code": f"AC-{tag}", "description": "检修空调系统",
                                           "hours": "1.5"}), (201,))
    quoted = ok(advisor.post(ro + "/part-lines", {"part_number": part_number, "quantity": "1"}), (201,))
    labour_id, part_id = quoted["labour_lines"][0]["line_id"], quoted["part_lines"][0]["line_id"]

    check_in_token, at_desk = open_link(platform, visit["tracking_link"]["url"])  # the check-in answer's link
    assert at_desk.status_code == 200 and at_desk.json()["plate"] == plate
    assert at_desk.headers["Cache-Control"] == "no-store"

    link = advisor.get(f"/api/v1/visits/{visit['visit_id']}/tracking-link")  # a new one; the first one ends
    assert link.status_code == 200, link.text
    assert link.headers["Cache-Control"] == "no-store"
    assert link.json()["url"].startswith("http://127.0.0.1:8000/track/")
    token, seen = open_link(platform, link.json()["url"])
    assert seen.status_code == 200, seen.text
    assert requests.get(f"{platform}/api/v1/track/{check_in_token}", timeout=30).status_code == 404
    view = seen.json()
    assert (view["plate"], view["status"], view["promised_at"]) == (plate, "checked_in", visit["promised_at"])
    assert view["repair_order"]["status"] == "opened" and view["repair_order"]["awaiting_answer"] is True
    assert [(line["kind"], line["line_id"], line["approval"]) for line in view["repair_order"]["lines"]] == [
        ("labour", labour_id, "pending"), ("part", part_id, "pending")]
    assert view["repair_order"]["lines"][1]["amount"] == "88.00"
    for private in (customer["customer_id"], customer["phone"], "赵先生", visit["visit_id"],
                    order["repair_order_id"], visit["vin"]):
        assert private not in seen.text

    # a line of no quote of this visit is refused, naming the field; nothing reaches the workshop
    stranger = requests.post(f"{platform}/api/v1/track/{token}/approval",
                             json={"approved_line_ids": [part_id, str(uuid.uuid4())]}, timeout=30)
    assert stranger.status_code == 400 and list(stranger.json()["details"]) == ["approved_line_ids"]
    assert ok(advisor.get(ro))["status"] == "opened"

    answered = requests.post(f"{platform}/api/v1/track/{token}/approval",
                             json={"approved_line_ids": [part_id], "declined_line_ids": [labour_id]}, timeout=30)
    assert answered.status_code == 200, answered.text
    assert [line["approval"] for line in answered.json()["repair_order"]["lines"]] == ["declined", "approved"]
    assert answered.json()["repair_order"]["customer_total"] == "88.00"

    approved = events.wait_for("repair_order_approved",
                               lambda e: e["payload"]["repair_order_id"] == order["repair_order_id"])
    assert approved["payload"]["channel"] == "tracking_link"
    assert (approved["payload"]["approved_line_ids"], approved["payload"]["declined_line_ids"]) == (
        [part_id], [labour_id])
    declined = events.wait_for("work_declined", lambda e: e["payload"]["repair_order_id"] == order["repair_order_id"])
    assert [line["line_id"] for line in declined["payload"]["lines"]] == [labour_id]

    in_workshop = ok(advisor.get(ro))
    assert in_workshop["status"] == "approved"
    assert (in_workshop["part_lines"][0]["approval"], in_workshop["part_lines"][0]["reservation_status"]) == (
        "approved", "reserved")
    assert in_workshop["labour_lines"][0]["approval"] == "declined"
    stock = ok(admin.get(f"/api/v1/stock/{site}/{part_number}"))
    assert (stock["on_hand"], stock["reserved"]) == ("3.00", "1.00")

    again = requests.post(f"{platform}/api/v1/track/{token}/approval", json={"approved_line_ids": [part_id]},
                          timeout=30)
    assert again.status_code == 409, again.text

    # a new link from the advisor ends this one
    newer = ok(advisor.get(f"/api/v1/visits/{visit['visit_id']}/tracking-link"))
    assert requests.get(f"{platform}/api/v1/track/{token}", timeout=30).status_code == 404
    assert open_link(platform, newer["url"])[1].json()["repair_order"]["status"] == "approved"


def test_each_link_shows_only_its_own_visit_and_unknown_tokens_are_404(
        platform, admin, advisor, make_user, demo, site):
    first_plate, second_plate = demo.random_plate(), demo.random_plate()
    first, first_order, _ = check_in_a_car(admin, advisor, demo, site, first_plate)
    second, second_order, _ = check_in_a_car(admin, advisor, demo, site, second_plate)
    tag = uuid.uuid4().hex[:6].upper()
    quoted = ok(advisor.post(f"/api/v1/repair-orders/{first_order['repair_order_id']}/labour-lines",
                             {"operation_code": f"WASH-{tag}", "description": "洗车", "hours": "0.5"}), (201,))
    first_line = quoted["labour_lines"][0]["line_id"]

    first_url = ok(advisor.get(f"/api/v1/visits/{first['visit_id']}/tracking-link"))["url"]
    second_token, second_view = open_link(platform, ok(advisor.get(
        f"/api/v1/visits/{second['visit_id']}/tracking-link"))["url"])
    assert second_view.status_code == 200
    assert second_view.json()["plate"] == second_plate and second_view.json()["repair_order"]["lines"] == []
    assert first_plate not in second_view.text and first_line not in second_view.text
    assert open_link(platform, first_url)[1].json()["plate"] == first_plate

    # the second visit's link cannot answer the first visit's quote
    foreign = requests.post(f"{platform}/api/v1/track/{second_token}/approval",
                            json={"approved_line_ids": [first_line]}, timeout=30)
    assert foreign.status_code in (400, 409), foreign.text
    assert ok(advisor.get(f"/api/v1/repair-orders/{first_order['repair_order_id']}"))["labour_lines"][0][
        "approval"] == "pending"

    # only an advisor of the visit's site gets a link; without a login, none
    elsewhere = make_user(f"advisor-else-{tag.lower()}", ["service_advisor"], [f"X{tag}"])
    assert elsewhere.get(f"/api/v1/visits/{first['visit_id']}/tracking-link").status_code == 403
    anonymous = requests.get(f"{platform}/api/v1/visits/{first['visit_id']}/tracking-link", timeout=30)
    assert anonymous.status_code == 401

    for unknown in ("A" * 43, "nonsense", second_token[:-1] + ("B" if second_token[-1] != "B" else "C")):
        missing = requests.get(f"{platform}/api/v1/track/{unknown}", timeout=30)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found"
        assert unknown not in missing.text
    refused = requests.post(f"{platform}/api/v1/track/{'A' * 43}/approval", json={"approved_line_ids": []},
                            timeout=30)
    assert refused.status_code == 404


def test_the_link_opens_the_customers_page_which_reads_the_visit_through_the_api(platform):
    page = requests.get(f"{platform}/track/{'x' * 43}", timeout=30)  # the page itself holds no visit data
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert "车辆维修进度" in page.text and '"/api/v1/track/"' in page.text
