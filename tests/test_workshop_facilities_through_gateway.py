"""Workshop facilities through the HTTP gateway, every service running on the real broker and PostgreSQL.

Done when (issue #4): a lift in maintenance reduces the next day's bookable capacity.
"""
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

CHINA = timezone(timedelta(hours=8))
SITE = f"W{uuid.uuid4().hex[:6].upper()}"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture(scope="module")
def manager(make_user):
    return make_user(f"fac-manager-{uuid.uuid4().hex[:6]}", ["site_manager", "foreman"], [SITE])


@pytest.fixture(scope="module")
def advisor(make_user):
    return make_user(f"fac-advisor-{uuid.uuid4().hex[:6]}", ["service_advisor"], [SITE])


def capacity(api, day):
    answer = api.get("/api/v1/workshop/capacity", site_id=SITE, date=day.isoformat())
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_lift_in_maintenance_reduces_the_next_days_bookable_capacity(manager, advisor):
    for name in ("Wang", "Li"):
        created = manager.post("/api/v1/staff", {"site_id": SITE, "name": name, "role": "technician",
                                                 "grade": "senior"})
        assert created.status_code == 201, created.text
    bay = manager.post("/api/v1/workshop/bays", {"site_id": SITE, "code": "B1", "name": "Lift bay 1"})
    assert bay.status_code == 201, bay.text
    lift = manager.post("/api/v1/workshop/equipment", {
        "site_id": SITE, "bay_id": bay.json()["bay_id"], "kind": "lift", "asset_number": "LIFT-01",
        "make": "Launch", "model": "TLT240SC", "serial": "SN-778", "commissioned_on": "2024-05-01"})
    assert lift.status_code == 201, lift.text
    lift_id = lift.json()["equipment_id"]
    refused = advisor.post("/api/v1/workshop/equipment", {"site_id": SITE, "kind": "lift", "asset_number": "L-2"})
    assert refused.status_code == 403

    today = datetime.now(CHINA).date()
    tomorrow = today + timedelta(days=1)
    before = capacity(advisor, tomorrow)
    assert (before["bays_total"], before["bays_in_service"], before["technicians_available"],
            before["capacity_hours"], before["free_hours"]) == (1, 1, 2, "8.00", "8.00")

    backwards = manager.post(f"/api/v1/workshop/equipment/{lift_id}/maintenance/windows", {
        "starts_at": datetime.combine(tomorrow, time(12), tzinfo=CHINA).isoformat(),
        "ends_at": datetime.combine(tomorrow, time(9), tzinfo=CHINA).isoformat()})
    assert backwards.status_code == 400 and set(backwards.json()["details"]) == {"ends_at"}
    window = manager.post(f"/api/v1/workshop/equipment/{lift_id}/maintenance/windows", {
        "starts_at": datetime.combine(tomorrow, time(9), tzinfo=CHINA).isoformat(),
        "ends_at": datetime.combine(tomorrow, time(12), tzinfo=CHINA).isoformat(), "reason": "Annual inspection"})
    assert window.status_code == 201, window.text

    after = capacity(advisor, tomorrow)
    assert (after["bays_in_service"], after["capacity_hours"], after["free_hours"]) == (0, "0.00", "0.00")
    assert after["bays_out"][0]["code"] == "B1"
    assert after["bays_out"][0]["reasons"][0]["reason"] == "maintenance"
    assert capacity(advisor, today)["capacity_hours"] == "8.00"
    day = manager.get(f"/api/v1/workshop/bays/{bay.json()['bay_id']}/availability", date=tomorrow.isoformat())
    assert day.status_code == 200 and day.json()["in_service"] is False
    maintenance = manager.get(f"/api/v1/workshop/equipment/{lift_id}/maintenance").json()
    assert [w["reason"] for w in maintenance["windows"]] == ["Annual inspection"]

    assert manager.put(f"/api/v1/workshop/sites/{SITE}/settings", {"hours_per_day": "7"}).status_code == 200
    assert manager.get(f"/api/v1/workshop/sites/{SITE}/settings").json()["hours_per_day"] == "7.00"
    assert capacity(advisor, today)["capacity_hours"] == "7.00"
    assert advisor.get("/api/v1/workshop/capacity", site_id=SITE, date="31.12.").status_code == 400


def test_equipment_files_are_kept_and_a_file_that_is_not_what_it_claims_is_refused(manager):
    lift = manager.post("/api/v1/workshop/equipment", {"site_id": SITE, "kind": "diagnostic_tool",
                                                       "asset_number": "SCAN-01", "make": "Launch"})
    assert lift.status_code == 201, lift.text
    files = f"/api/v1/workshop/equipment/{lift.json()['equipment_id']}/files"

    bad = manager.upload(f"{files}?filename=cert.png", b"GIF89a" + bytes(40), "image/png")
    assert bad.status_code == 400 and set(bad.json()["details"]) == {"content_type"}
    wrong_type = manager.upload(f"{files}?filename=cert.gif", b"GIF89a" + bytes(40), "image/gif")
    assert wrong_type.status_code == 400
    assert manager.get(files).json() == []

    stored = manager.upload(f"{files}?filename=cert.png&category=inspection_certificate", PNG, "image/png")
    assert stored.status_code == 201, stored.text
    assert (stored.json()["filename"], stored.json()["category"]) == ("cert.png", "inspection_certificate")
    fetched = manager.get(f"{files}/{stored.json()['file_id']}")
    assert fetched.status_code == 200
    assert (fetched.headers["Content-Type"], fetched.content) == ("image/png", PNG)
