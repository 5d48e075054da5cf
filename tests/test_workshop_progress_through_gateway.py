"""The progress board and a delay alert on a real visit, through the HTTP gateway with every service running."""
import random
import uuid
from datetime import datetime, timedelta, timezone

from contracts.fields import vin_check_digit
from svckit.testing.subscriber import wait_until

SITE = f"W{uuid.uuid4().hex[:6].upper()}"
CHINA = timezone(timedelta(hours=8))


def random_vin():
    body = "LSV" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    return body[:8] + vin_check_digit(body) + body[9:]


def checked_in_order(admin, advisor, promised_in):
    customer = admin.post("/api/v1/customers", {"site_id": SITE, "name": "陈女士", "phone": "139" + "".join(
        random.choice("0123456789") for _ in range(8))})
    assert customer.status_code == 201, customer.text
    vehicle = admin.post("/api/v1/vehicles", {"site_id": SITE, "customer_id": customer.json()["customer_id"],
                                              "vin": random_vin(), "plate": "粤B" + str(random.randint(10000, 99999)),
                                              "model": "Lavida", "mileage_km": 30000})
    assert vehicle.status_code == 201, vehicle.text
    visit = advisor.post("/api/v1/visits", {
        "site_id": SITE, "vehicle_id": vehicle.json()["vehicle_id"], "mileage_km": 30100,
        "concern": "变速箱换挡顿挫", "promised_at": (datetime.now(timezone.utc) + promised_in).isoformat()})
    assert visit.status_code == 201, visit.text
    return wait_until(lambda: next(iter(advisor.get("/api/v1/repair-orders", visit_id=visit.json()["visit_id"]).json()),
                                   None), timeout=30, message="repair order opened")


def test_the_board_shows_a_visit_at_risk_and_the_alert_is_raised_before_its_promised_time(
        admin, make_user, subscribe):
    alerts = subscribe(("workshop.events", "repair_order_delay_risk"))
    advisor = make_user(f"adv-{SITE.lower()}", ["service_advisor"], [SITE])
    foreman = make_user(f"fm-{SITE.lower()}", ["foreman"], [SITE])
    outsider = make_user(f"adv-other-{SITE.lower()}", ["service_advisor"], ["ELSEWHERE"])

    order = checked_in_order(admin, advisor, promised_in=timedelta(hours=1))
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    quoted = advisor.post(ro + "/labour-lines", {"operation_code": "GBX-DIAG", "description": "Gearbox overhaul",
                                                 "hours": "3"})
    assert quoted.status_code == 201, quoted.text
    assert advisor.post(ro + "/approval", {"channel": "in_person"}).json()["status"] == "approved"

    board = foreman.get("/api/v1/workshop/board", site_id=SITE)
    assert board.status_code == 200, board.text
    [entry] = board.json()
    assert (entry["repair_order_id"], entry["status"], entry["plate"], entry["standard_hours"]) == (
        order["repair_order_id"], "approved", order["plate"], "3.00")
    assert 55 <= entry["minutes_left"] <= 60
    assert entry["delay_risk"]["at_risk"] is True
    assert [reason["kind"] for reason in entry["delay_risk"]["reasons"]] == ["labour"]
    assert outsider.get("/api/v1/workshop/board", site_id=SITE).status_code == 403
    assert outsider.get("/api/v1/workshop/board").json() == []

    checked = foreman.post("/api/v1/workshop/delay-checks")
    assert checked.status_code == 200, checked.text
    assert [(a["repair_order_id"], a["kind"]) for a in checked.json()] == [(order["repair_order_id"], "labour")]
    alert = alerts.wait_for("repair_order_delay_risk",
                            lambda e: e["payload"]["repair_order_id"] == order["repair_order_id"], timeout=30)
    assert datetime.now(timezone.utc) < datetime.fromisoformat(alert["payload"]["promised_at"])
    assert alert["site_id"] == SITE
    assert foreman.post("/api/v1/workshop/delay-checks").json() == []  # once per order, kind and promised time
    listed = foreman.get("/api/v1/workshop/delay-alerts", repair_order_id=order["repair_order_id"]).json()
    assert [a["kind"] for a in listed] == ["labour"]

    refused = advisor.post(ro + "/promised-time", {"promised_at": "2020-01-01T10:00:00+08:00", "reason": "Too late"})
    assert refused.status_code == 400
    assert "promised_at" in refused.json()["details"]
    later = (datetime.now(timezone.utc) + timedelta(hours=6)).astimezone(CHINA).replace(microsecond=0)
    moved = advisor.post(ro + "/promised-time", {"promised_at": later.isoformat(),
                                                 "reason": "Gearbox needs a full overhaul"})
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["promised_at"]) == later
    [entry] = foreman.get("/api/v1/workshop/board", site_id=SITE).json()
    assert entry["delay_risk"]["at_risk"] is False

    today = datetime.now(CHINA).date().isoformat()
    report = foreman.get("/api/v1/workshop/comebacks", site_id=SITE, **{"from": today, "to": today})
    assert report.status_code == 200, report.text
    figures = report.json()
    assert (figures["comeback_count"], figures["orders_closed"], figures["comeback_rate_percent"]) == (0, 0, None)
    bad = foreman.get("/api/v1/workshop/comebacks", site_id=SITE, **{"from": today})
    assert bad.status_code == 400 and "to" in bad.json()["details"]
