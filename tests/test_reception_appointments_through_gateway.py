"""Appointments through the HTTP gateway, every service running on the real broker and PostgreSQL.

Done when (issue #3): over-booking is refused. A lift in maintenance tomorrow (workshop facilities) lowers what
reception can book tomorrow: booking until full, the next one is refused naming the workshop's hours and
offering the next free slots.
"""
import random
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

from contracts.fields import vin_check_digit

CHINA = timezone(timedelta(hours=8))
SITE = f"A{uuid.uuid4().hex[:6].upper()}"
OPERATION = f"AP{uuid.uuid4().hex[:6].upper()}"


@pytest.fixture(scope="module")
def manager(make_user):
    return make_user(f"appt-manager-{uuid.uuid4().hex[:6]}", ["site_manager", "foreman"], [SITE])


@pytest.fixture(scope="module")
def advisor(make_user):
    return make_user(f"appt-advisor-{uuid.uuid4().hex[:6]}", ["service_advisor"], [SITE])


@pytest.fixture(scope="module")
def care_agent(make_user):
    return make_user(f"appt-care-{uuid.uuid4().hex[:6]}", ["customer_care"], [SITE])


@pytest.fixture(scope="module")
def technician(make_user):
    return make_user(f"appt-tech-{uuid.uuid4().hex[:6]}", ["technician"], [SITE])


@pytest.fixture(scope="module")
def staffed_site(manager):
    """Two technicians and two service advisors at the site."""
    for name, role in (("吴师傅", "technician"), ("郑师傅", "technician"), ("王顾问", "service_advisor"),
                       ("李顾问", "service_advisor")):
        staff = manager.post("/api/v1/staff", {"site_id": SITE, "name": name, "role": role,
                                               **({"grade": "senior"} if role == "technician" else {})})
        assert staff.status_code == 201, staff.text
    return SITE


def registered_vehicle(admin):
    customer = admin.post("/api/v1/customers", {"site_id": SITE, "name": "周女士", "phone": "139" + "".join(
        random.choice("0123456789") for _ in range(8))})
    assert customer.status_code == 201, customer.text
    body = "LSV" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    vehicle = admin.post("/api/v1/vehicles", {
        "site_id": SITE, "customer_id": customer.json()["customer_id"],
        "vin": body[:8] + vin_check_digit(body) + body[9:], "plate": "苏E" + str(random.randint(10000, 99999)),
        "model": "途观L", "mileage_km": 18000})
    assert vehicle.status_code == 201, vehicle.text
    return vehicle.json()


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA)


def booking(vehicle, slot_start, services, **extra):
    return {"site_id": SITE, "vehicle_id": vehicle["vehicle_id"], "slot_start": slot_start.isoformat(),
            "services": services, "channel": "phone", **extra}


def free_hours(api, day):
    answer = api.get("/api/v1/appointments/free-slots", site_id=SITE, date=day.isoformat(), hours="1")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_lift_in_maintenance_tomorrow_lowers_what_can_be_booked_and_overbooking_is_refused(
        admin, staffed_site, manager, advisor, care_agent, technician):
    bays = [manager.post("/api/v1/workshop/bays", {"site_id": SITE, "code": code, "name": f"Lift bay {code}"})
            for code in ("B1", "B2")]
    assert all(bay.status_code == 201 for bay in bays), [bay.text for bay in bays]
    lift = manager.post("/api/v1/workshop/equipment", {
        "site_id": SITE, "bay_id": bays[0].json()["bay_id"], "kind": "lift", "asset_number": "LIFT-A1"})
    assert lift.status_code == 201, lift.text
    operation = manager.post("/api/v1/workshop/operations", {
        "code": OPERATION, "description": "常规保养", "standard_hours": "2.0"})
    assert operation.status_code == 201, operation.text

    tomorrow = datetime.now(CHINA).date() + timedelta(days=1)
    before = free_hours(advisor, tomorrow)
    assert (before["advisors"], before["workshop_free_hours"], len(before["slots"])) == (2, "16.00", 20)

    window = manager.post(f"/api/v1/workshop/equipment/{lift.json()['equipment_id']}/maintenance/windows", {
        "starts_at": at(tomorrow, 9).isoformat(), "ends_at": at(tomorrow, 12).isoformat(),
        "reason": "Annual inspection 年检"})
    assert window.status_code == 201, window.text
    assert free_hours(advisor, tomorrow)["workshop_free_hours"] == "8.00"

    # 8 hours tomorrow: four services of 2 h from the catalogue, the last by customer care
    booked = []
    for slot_start, api in ((at(tomorrow, 9), advisor), (at(tomorrow, 9), advisor), (at(tomorrow, 10), advisor),
                            (at(tomorrow, 14, 30), care_agent)):
        answer = api.post("/api/v1/appointments", booking(registered_vehicle(admin), slot_start,
                                                          [{"operation_code": OPERATION}]))
        assert answer.status_code == 201, answer.text
        assert (answer.json()["hours"], answer.json()["services"][0]["description"]) == ("2.00", "常规保养")
        booked.append(answer.json())
    assert booked[-1]["booked_by"].startswith("appt-care-")

    refused = advisor.post("/api/v1/appointments", booking(
        registered_vehicle(admin), at(tomorrow, 11), [{"description": "空调异味检查", "hours": "1"}]))
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "conflict"
    details = refused.json()["details"]
    assert details["slot_start"] == [f"Workshop is full on {tomorrow.isoformat()} (0.00 h free, 1.00 h asked)."]
    day_after = tomorrow + timedelta(days=1)
    assert details["next_free_slots"] == [at(day_after, 8, minute).isoformat() for minute in (0, 30)] + [
        at(day_after, 9).isoformat(), at(day_after, 9, 30).isoformat(), at(day_after, 10).isoformat()]
    assert "Workshop is full" in refused.json()["message"]
    assert free_hours(advisor, tomorrow)["slots"] == []

    next_day = advisor.post("/api/v1/appointments", booking(
        registered_vehicle(admin), at(day_after, 9), [{"description": "洗车", "hours": "0.5"}]))
    assert next_day.status_code == 201, next_day.text  # the day after has both bays again
    taken_slot = advisor.post("/api/v1/appointments", booking(
        registered_vehicle(admin), at(tomorrow, 9), [{"description": "洗车", "hours": "0.5"}]))
    assert taken_slot.status_code == 409
    assert taken_slot.json()["details"]["slot_start"][0].startswith(f"Advisors are full at {tomorrow} 09:00")

    assert technician.post("/api/v1/appointments", booking(
        registered_vehicle(admin), at(day_after, 10), [{"description": "x", "hours": "1"}])).status_code == 403
    bad = advisor.post("/api/v1/appointments", booking(
        registered_vehicle(admin), at(day_after, 10, 10), [{"description": "x", "hours": "1"}]))
    assert bad.status_code == 400 and set(bad.json()["details"]) == {"slot_start"}

    listed = advisor.get("/api/v1/appointments", site_id=SITE, date=tomorrow.isoformat())
    assert listed.status_code == 200
    assert sorted(a["appointment_id"] for a in listed.json()) == sorted(a["appointment_id"] for a in booked)


def test_move_cancel_and_no_show_through_the_gateway(admin, staffed_site, advisor, care_agent):
    in_three_days = datetime.now(CHINA).date() + timedelta(days=3)
    vehicle = registered_vehicle(admin)
    created = care_agent.post("/api/v1/appointments", booking(
        vehicle, at(in_three_days, 9), [{"description": "更换轮胎", "hours": "1.5"}], channel="wechat",
        notes="客户微信预约"))
    assert created.status_code == 201, created.text
    appointment = f"/api/v1/appointments/{created.json()['appointment_id']}"

    moved = care_agent.post(f"{appointment}/move", {"slot_start": at(in_three_days, 15).isoformat(),
                                                    "reason": "客户改到下午"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "moved" and len(moved.json()["moves"]) == 1
    assert advisor.get(appointment).json() == moved.json()

    too_early = advisor.post(f"{appointment}/no-show")
    assert too_early.status_code == 409 and "status" in too_early.json()["details"]
    assert care_agent.post(f"{appointment}/no-show").status_code == 403

    no_reason = advisor.post(f"{appointment}/cancel", {})
    assert no_reason.status_code == 400 and set(no_reason.json()["details"]) == {"reason"}
    cancelled = advisor.post(f"{appointment}/cancel", {"reason": "客户车辆已修好"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert advisor.post(f"{appointment}/move", {"slot_start": at(in_three_days, 16).isoformat()}).status_code == 409

    by_vehicle = advisor.get("/api/v1/appointments", vehicle_id=vehicle["vehicle_id"])
    assert [a["status"] for a in by_vehicle.json()] == ["cancelled"]
    assert advisor.get("/api/v1/appointments", status="lost").status_code == 400
    assert advisor.get(f"/api/v1/appointments/{uuid.uuid4()}").status_code == 404
