"""A repair order's life through the HTTP gateway, every service running on the real broker and PostgreSQL:
diagnosis, an illegal move refused with the allowed ones, hold and resume, cancel, a comeback, and what
crm tells the customer on the way."""
import random
import uuid
from datetime import datetime, timedelta, timezone

from contracts.fields import vin_check_digit
from svckit.testing.subscriber import wait_until

SITE = f"R{uuid.uuid4().hex[:6].upper()}"


def random_vin():
    body = "LSV" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    return body[:8] + vin_check_digit(body) + body[9:]


def registered_vehicle(admin):
    customer = admin.post("/api/v1/customers", {"site_id": SITE, "name": "刘先生", "phone": "138" + "".join(
        random.choice("0123456789") for _ in range(8))})
    assert customer.status_code == 201, customer.text
    vehicle = admin.post("/api/v1/vehicles", {"site_id": SITE, "customer_id": customer.json()["customer_id"],
                                              "vin": random_vin(), "plate": "沪A" + str(random.randint(10000, 99999)),
                                              "model": "ID.4 CROZZ", "mileage_km": 21000})
    assert vehicle.status_code == 201, vehicle.text
    return vehicle.json()


def opened_order(advisor, vehicle, concern, mileage_km):
    visit = advisor.post("/api/v1/visits", {
        "site_id": SITE, "vehicle_id": vehicle["vehicle_id"], "mileage_km": mileage_km, "concern": concern,
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=5)).isoformat()})
    assert visit.status_code == 201, visit.text
    return wait_until(lambda: next(iter(advisor.get("/api/v1/repair-orders", visit_id=visit.json()["visit_id"]).json()),
                                   None), timeout=30, message="repair order opened")


def test_diagnosis_an_illegal_move_hold_resume_and_cancel(admin, make_user):
    advisor = make_user(f"adv-{SITE.lower()}", ["service_advisor"], [SITE])
    foreman = make_user(f"fm-{SITE.lower()}", ["foreman"], [SITE])
    technician = admin.post("/api/v1/staff", {"site_id": SITE, "name": "赵师傅", "role": "technician",
                                              "grade": "senior"})
    assert technician.status_code == 201, technician.text
    vehicle = registered_vehicle(admin)
    order = opened_order(advisor, vehicle, "空调不制冷", 21500)
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"

    refused = foreman.post(ro + "/completion")
    assert refused.status_code == 409, refused.text
    assert refused.json()["details"] == {"status": ["Allowed from opened: awaiting_approval, cancelled, diagnosing."]}
    assert advisor.get(ro).json()["status"] == "opened"  # nothing changed

    started = foreman.post(ro + "/diagnosis", {"technician_id": technician.json()["staff_id"]})
    assert started.status_code in (200, 201), started.text
    finding = foreman.post(ro + "/findings", {"concern": "空调不制冷", "finding": "冷媒泄漏，低压管接头渗漏",
                                              "codes": [{"code": "B1A00", "equipment": "VAS 6150"}]})
    assert finding.status_code == 201, finding.text
    assert foreman.post(ro + "/diagnosis/completion").json()["status"] == "awaiting_approval"
    assert advisor.post(ro + "/labour-lines", {"operation_code": "AC-LEAK", "description": "更换空调低压管",
                                               "hours": "1.5"}).status_code == 201
    assert advisor.post(ro + "/approval", {}).json()["status"] == "approved"

    held = advisor.post(ro + "/hold", {"reason": "客户要求等保险公司定损"})
    assert held.json()["status"] == "on_hold", held.text
    bad_resume = advisor.post(ro + "/hold", {"reason": "again"})
    assert bad_resume.status_code == 409
    assert advisor.post(ro + "/resume").json()["status"] == "approved"
    cancelled = advisor.post(ro + "/cancel", {"reason": "客户决定去其他店维修"})
    assert cancelled.json()["status"] == "cancelled", cancelled.text
    history = [(c["from_status"], c["to_status"]) for c in advisor.get(ro).json()["history"]]
    assert history == [(None, "opened"), ("opened", "diagnosing"), ("diagnosing", "awaiting_approval"),
                       ("awaiting_approval", "approved"), ("approved", "on_hold"), ("on_hold", "approved"),
                       ("approved", "cancelled")]

    def told():
        messages = advisor.get("/api/v1/customer-messages", repair_order_id=order["repair_order_id"]).json()
        topics = sorted(m["topic"] for m in messages)
        return topics if topics == ["status:cancelled", "status:on_hold"] else None
    wait_until(told, timeout=30, message="customer told of the hold and the cancel")
    [on_hold] = [m for m in advisor.get("/api/v1/customer-messages", repair_order_id=order["repair_order_id"]).json()
                 if m["topic"] == "status:on_hold"]
    assert "客户要求等保险公司定损" in on_hold["text"] and vehicle["plate"] in on_hold["text"]


def test_the_same_concern_again_within_30_days_is_a_comeback(platform, admin_password, make_user, subscribe, demo):
    flagged = subscribe(("workshop.events", "comeback_flagged"))
    site = f"C{uuid.uuid4().hex[:6].upper()}"
    first = demo.play(platform, "admin", admin_password, site=site, say=lambda line: None)  # delivered and closed
    delivered = first["visit"]
    advisor = make_user(f"adv-{site.lower()}", ["service_advisor"], [site])

    visit = advisor.post("/api/v1/visits", {
        "site_id": site, "vehicle_id": delivered["vehicle_id"], "mileage_km": delivered["mileage_km"] + 300,
        "concern": delivered["concern"], "promised_at": (datetime.now(timezone.utc) + timedelta(hours=5)).isoformat()})
    assert visit.status_code == 201, visit.text
    again = wait_until(lambda: next(iter(advisor.get("/api/v1/repair-orders", visit_id=visit.json()["visit_id"]).json()),
                                    None), timeout=30, message="second repair order opened")
    assert again["comeback_of"] == first["order"]["repair_order_id"]
    event = flagged.wait_for("comeback_flagged", lambda e: e["payload"]["repair_order_id"] == again["repair_order_id"],
                             timeout=30)
    assert event["site_id"] == site
