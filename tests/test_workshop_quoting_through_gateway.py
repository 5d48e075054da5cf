"""Quoting and diagnosis through the HTTP gateway, every service running on the real broker and PostgreSQL:
catalogue -> quote from the catalogue and a canned job -> approval with a declined line -> totals and work_declined;
a diagnosis with a photo sent and fetched back as an image."""
import random
import string
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from svckit.testing.subscriber import wait_until

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture(scope="module")
def site():
    return f"W{uuid.uuid4().hex[:6].upper()}"


@pytest.fixture(scope="module")
def staff(make_user, site):
    tag = uuid.uuid4().hex[:6]
    return {
        "foreman": make_user(f"foreman-{tag}", ["foreman"], [site]),
        "advisor": make_user(f"advisor-{tag}", ["service_advisor"], [site]),
        "technician": make_user(f"tech-{tag}", ["technician"], [site]),
    }


def ok(answer, status=(200, 201)):
    assert answer.status_code in status, answer.text
    return answer.json()


def open_repair_order(admin, demo, site, model):
    """Register a customer and a car at crm, check it in at reception; workshop opens the order by itself."""
    customer = ok(admin.post("/api/v1/customers", {"site_id": site, "name": "陈女士", "phone": "139" + "".join(
        random.choice(string.digits) for _ in range(8))}))
    vehicle = ok(admin.post("/api/v1/vehicles", {"site_id": site, "customer_id": customer["customer_id"],
                                                 "vin": demo.random_vin(), "plate": demo.random_plate(),
                                                 "model": model, "mileage_km": 39800}))
    visit = ok(admin.post("/api/v1/visits", {
        "site_id": site, "vehicle_id": vehicle["vehicle_id"], "mileage_km": 40100, "concern": "40,000 km 保养",
        "walk_around_notes": "Chip in windscreen",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=5)).replace(microsecond=0).isoformat()}))
    order = wait_until(lambda: next(iter(ok(admin.get("/api/v1/repair-orders", visit_id=visit["visit_id"]))), None),
                       timeout=30, message="repair order opened")
    return order, vehicle, customer


def test_catalogue_quote_canned_job_approval_with_a_declined_line_totals_and_event(
        platform, admin, staff, demo, site, subscribe):
    events = subscribe(("workshop.events", "work_declined"))
    tag = uuid.uuid4().hex[:6].upper()
    model = f"ID.4 {tag}"
    foreman, advisor = staff["foreman"], staff["advisor"]

    # parts: an oil filter in stock
    filter_number = f"OF-{tag}"
    ok(admin.post("/api/v1/parts", {"part_number": filter_number, "name": "机油滤清器", "cost_price": "20.00",
                                    "retail_price": "35.00"}))
    ok(admin.post("/api/v1/stock/receipts", {"site_id": site, "part_number": filter_number, "quantity": "5"}))

    # the catalogue: a generic entry, one for this model, a high-voltage job; only the foreman maintains it
    refused = advisor.post("/api/v1/workshop/operations", {"code": f"OIL-{tag}", "description": "x",
                                                           "standard_hours": "1"})
    assert refused.status_code == 403, refused.text
    ok(foreman.post("/api/v1/workshop/operations", {"code": f"OIL-{tag}", "description": "更换机油",
                                                    "standard_hours": "0.5"}), (201,))
    ok(foreman.post("/api/v1/workshop/operations", {"code": f"OIL-{tag}", "description": "更换减速器油",
                                                    "standard_hours": "0.8", "model": model}), (201,))
    battery = ok(foreman.post("/api/v1/workshop/operations", {"code": f"HVB-{tag}", "description": "高压电池检测",
                                                              "standard_hours": "1.5", "skill_code": "HV_EV"}))
    patched = requests.patch(f"{platform}/api/v1/workshop/operations/{battery['operation_id']}",
                             headers=foreman.headers, json={"standard_hours": "2.0"}, timeout=30)
    assert ok(patched)["standard_hours"] == "2.00"
    found = ok(advisor.get("/api/v1/workshop/operations", code_prefix=f"OIL-{tag}", model=model))
    assert sorted((op["model"] or "", op["standard_hours"]) for op in found) == [("", "0.50"), (model, "0.80")]
    bad = advisor.get("/api/v1/workshop/operations", limit="many")
    assert bad.status_code == 400 and "limit" in bad.json()["details"]

    # a canned job of this model
    job = ok(foreman.post("/api/v1/workshop/canned-jobs", {
        "code": f"S40K-{tag}", "name": "40,000 km 保养", "model": model,
        "operations": [{"operation_code": f"OIL-{tag}"}],
        "parts": [{"part_number": filter_number, "quantity": "1"}]}), (201,))
    assert ok(advisor.get(f"/api/v1/workshop/canned-jobs/{job['code']}"))["operations"][0]["operation_code"] == \
        f"OIL-{tag}"

    # the quote
    order, vehicle, customer = open_repair_order(admin, demo, site, model)
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    unknown = advisor.post(ro + "/labour-lines", {"operation_code": f"NOPE-{tag}"})
    assert unknown.status_code == 400 and list(unknown.json()["details"]) == ["operation_code"]
    ok(advisor.post(ro + "/labour-lines", {"operation_code": f"HVB-{tag}", "pay_type": "warranty"}), (201,))
    ok(advisor.post(ro + "/canned-jobs", {"canned_job_code": job["code"]}), (201,))
    quoted = ok(advisor.post(ro + "/sublet-lines", {"vendor": "福耀玻璃", "description": "修补挡风玻璃",
                                                    "cost": "120.00", "price": "180.00"}), (201,))
    assert [(line["operation_code"], line["hours"], line["skill_code"], line["pay_type"])
            for line in quoted["labour_lines"]] == [
        (f"HVB-{tag}", "2.00", "HV_EV", "warranty"), (f"OIL-{tag}", "0.80", None, "customer")]
    assert [(line["part_number"], line["amount"]) for line in quoted["part_lines"]] == [(filter_number, "35.00")]

    # the customer declines the windscreen repair
    sublet_id = quoted["sublet_lines"][0]["line_id"]
    answered = ok(advisor.post(ro + "/approval", {"declined_line_ids": [sublet_id], "channel": "phone"}))
    assert answered["status"] == "approved"
    assert answered["sublet_lines"][0]["approval"] == "declined"
    assert answered["totals_by_pay_type"] == {"customer": "275.00", "warranty": "600.00", "internal": "0.00",
                                              "goodwill": "0.00"}
    assert (answered["customer_total"], answered["total"]) == ("275.00", "875.00")  # 0.8 h x 300 + 35.00
    assert ok(advisor.get(ro))["sublet_lines"][0]["approval"] == "declined"  # kept as a recommendation

    declined = events.wait_for("work_declined", lambda e: e["payload"]["repair_order_id"] == order["repair_order_id"])
    assert declined["site_id"] == site
    assert (declined["payload"]["vehicle_id"], declined["payload"]["customer_id"]) == (
        vehicle["vehicle_id"], customer["customer_id"])
    assert [(line["kind"], line["line_id"], line["amount"]) for line in declined["payload"]["lines"]] == [
        ("sublet", sublet_id, "180.00")]


def test_a_diagnosis_with_a_photo_sent_and_fetched_back_as_an_image(platform, admin, staff, demo, site):
    technician = ok(admin.post("/api/v1/staff", {"site_id": site, "name": "周师傅", "role": "technician",
                                                 "grade": "senior"}))
    order, _, _ = open_repair_order(admin, demo, site, "Passat 380TSI")
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    tech = staff["technician"]
    assert ok(tech.post(ro + "/diagnosis", {"technician_id": technician["staff_id"]}))["status"] == "diagnosing"
    finding = ok(tech.post(ro + "/findings", {"concern": "发动机故障灯亮", "finding": "Coil 1 cracked",
                                              "codes": [{"code": "P0301", "equipment": "ODIS"}]}), (201,))
    photos = f"{ro}/findings/{finding['finding_id']}/photos"

    wrong = tech.upload(photos, b"GIF89a" + bytes(50), "image/gif")
    assert wrong.status_code == 400, wrong.text
    liar = tech.upload(photos, JPEG, "image/png")
    assert liar.status_code == 400 and list(liar.json()["details"]) == ["content_type"]
    kept = ok(tech.upload(photos + "?filename=coil.jpg", JPEG, "image/jpeg"), (201,))
    assert (kept["size_bytes"], kept["filename"]) == (len(JPEG), "coil.jpg")

    image = tech.get(f"{photos}/{kept['photo_id']}")
    assert image.status_code == 200
    assert (image.headers["Content-Type"], image.content) == ("image/jpeg", JPEG)
    assert tech.get(f"{photos}/{uuid.uuid4()}").status_code == 404

    presented = ok(staff["advisor"].post(ro + "/diagnosis/completion"))
    assert presented["status"] == "awaiting_approval"
    assert [p["photo_id"] for p in presented["findings"][0]["photos"]] == [kept["photo_id"]]
    diagnosis = ok(tech.get(ro + "/diagnosis"))
    assert diagnosis["sessions"][0]["technician_id"] == technician["staff_id"]
    assert diagnosis["findings"][0]["codes"] == [{"code": "P0301", "description": None, "equipment": "ODIS"}]
