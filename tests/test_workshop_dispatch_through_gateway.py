"""Certificates, dispatch and clocking through the HTTP gateway, every service on the real broker and PostgreSQL.

Certificate granted -> dispatch -> clock on/off -> the technician's load and efficiency.
"""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from contracts.reception import VEHICLE_CHECKED_IN
from svckit.testing.subscriber import wait_until

CHINA = timezone(timedelta(hours=8))
SITE = f"W{uuid.uuid4().hex[:6].upper()}"


def user(make_user, *roles):
    return make_user(f"dsp-{roles[0]}-{uuid.uuid4().hex[:6]}", list(roles), [SITE])


@pytest.fixture(scope="module")
def manager(make_user):
    return user(make_user, "site_manager", "trainer")


@pytest.fixture(scope="module")
def foreman(make_user):
    return user(make_user, "foreman")


@pytest.fixture(scope="module")
def advisor(make_user):
    return user(make_user, "service_advisor")


@pytest.fixture(scope="module")
def technician(make_user):
    return user(make_user, "technician")


def ok(answer, status=200):
    assert answer.status_code == status, answer.text
    return answer.json()


def approved_hv_order(advisor, publish_event):
    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "粤BD12345", "mileage_km": 8000, "concern": "动力电池故障灯亮",
        "walk_around_notes": "", "promised_at": (datetime.now(timezone.utc) + timedelta(hours=8)).isoformat(),
        "checked_in_at": datetime.now(timezone.utc).isoformat(), "advisor": "advisor1"}, site_id=SITE)
    order = wait_until(lambda: next(iter(ok(advisor.get("/api/v1/repair-orders", visit_id=visit_id))), None),
                       message="repair order opened")
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    ok(advisor.post(ro + "/labour-lines", {"operation_code": "EV-CONT", "description": "更换高压接触器",
                                           "hours": "2.00", "skill_code": "HV_EV"}), 201)
    return ok(advisor.post(ro + "/approval", {"channel": "in_person"}))


def set_stretches(database_url, line_id, stretches):
    """Move the line's clock entries to (start, end) hours ago: what a real shift would have taken."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM clock_entries WHERE labour_line_id = :line ORDER BY started_at"),
                           {"line": line_id}).scalars().all()
        for entry_id, (start, end) in zip(ids, stretches, strict=True):
            conn.execute(text("UPDATE clock_entries SET started_at = :start, ended_at = :end WHERE id = :id"),
                         {"id": entry_id, "start": now - timedelta(hours=start), "end": now - timedelta(hours=end)})
    engine.dispose()


def test_certificate_dispatch_clocking_load_and_efficiency(manager, foreman, advisor, technician, publish_event,
                                                           databases):
    wang = ok(manager.post("/api/v1/staff", {"site_id": SITE, "name": "王师傅", "role": "technician",
                                             "grade": "senior"}), 201)["staff_id"]
    order = approved_hv_order(advisor, publish_event)
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    line_id = order["labour_lines"][0]["line_id"]
    line = f"{ro}/labour-lines/{line_id}"

    refused = foreman.post(line + "/dispatch", {"technician_id": wang})
    assert refused.status_code == 400, refused.text
    assert "王师傅 has no valid HV_EV certificate (high-voltage work on electric vehicles)" in \
        refused.json()["details"]["technician_id"][0]
    assert ok(foreman.get(ro))["labour_lines"][0]["technician_id"] is None

    certificate = ok(manager.post(f"/api/v1/staff/{wang}/certificates", {
        "skill_code": "HV_EV", "name": "新能源汽车高压电工作业证", "number": f"HV-{uuid.uuid4().hex[:8]}",
        "issued_on": "2025-03-01", "expires_on": None}), 201)
    assert certificate["status"] == "valid"
    assert [c["certificate_id"] for c in ok(foreman.get(f"/api/v1/staff/{wang}/certificates"))] == [
        certificate["certificate_id"]]
    assert ok(foreman.get(f"/api/v1/staff/{wang}/qualifications"))["skill_codes"] == ["HV_EV"]

    dispatched = ok(foreman.post(line + "/dispatch", {"technician_id": wang}))
    assert dispatched["labour_lines"][0]["technician_id"] == wang

    on = ok(technician.post(line + "/clock-on", {"technician_id": wang}), 201)
    assert (on["order_status"], on["phase"]) == ("in_progress", "work")
    ok(technician.post(line + "/clock-off", {"technician_id": wang, "reason": "pause"}))
    ok(technician.post(line + "/clock-on", {"technician_id": wang}), 201)
    busy = [t for t in ok(foreman.get("/api/v1/workshop/technician-load", site_id=SITE)) if t["staff_id"] == wang]
    assert busy[0]["clocked_on"]["line_id"] == line_id
    ok(technician.post(line + "/clock-off", {"technician_id": wang, "reason": "done"}))
    set_stretches(databases.url("workshop"), line_id, [(1.0, 0.5), (0.25, 0.0)])  # 0.50 h + 0.25 h

    load = {t["staff_id"]: t for t in ok(foreman.get("/api/v1/workshop/technician-load", site_id=SITE))}[wang]
    assert (load["name"], load["remaining_hours"], load["clocked_on"]) == ("王师傅", "1.25", None)
    assert [(l["line_id"], l["standard_hours"], l["remaining_hours"]) for l in load["lines"]] == [
        (line_id, "2.00", "1.25")]
    if datetime.now(CHINA).hour >= 1:  # both stretches fell on today's date in Shanghai
        assert load["clocked_today_hours"] == "0.75"

    assert ok(foreman.post(ro + "/completion"))["status"] == "completed"
    today = datetime.now(CHINA).date().isoformat()
    report = ok(foreman.get("/api/v1/workshop/technician-efficiency", site_id=SITE, **{"from": today, "to": today}))
    assert report["technicians"] == [{
        "staff_id": wang, "name": "王师傅", "lines": 1, "standard_hours": "2.00", "clocked_hours": "0.75",
        "rework_hours": "0.00", "efficiency_percent": "266.7"}]


def test_bad_requests_name_the_field(foreman, technician):
    backwards = foreman.get("/api/v1/workshop/technician-efficiency", site_id=SITE,
                            **{"from": "2026-11-02", "to": "2026-11-01"})
    assert backwards.status_code == 400 and "to" in backwards.json()["details"], backwards.text
    assert technician.get("/api/v1/workshop/technician-efficiency", site_id=SITE,
                          **{"from": "2026-11-01", "to": "2026-11-02"}).status_code == 403
    missing = foreman.get("/api/v1/workshop/technician-load")
    assert missing.status_code == 400 and "site_id" in missing.json()["details"], missing.text
    unknown = technician.post(f"/api/v1/repair-orders/{uuid.uuid4()}/labour-lines/{uuid.uuid4()}/clock-on",
                              {"technician_id": str(uuid.uuid4())})
    assert unknown.status_code == 404, unknown.text
