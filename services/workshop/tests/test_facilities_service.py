"""Facilities of the workshop service on the real broker and PostgreSQL; training is a fake giving 3 technicians."""
import base64
import uuid
from datetime import datetime, time, timedelta, timezone

import eventlet
import pytest
from nameko.rpc import rpc

from contracts.reception import VEHICLE_CHECKED_IN
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until
from workshop.models import Base
from workshop.service import WorkshopService

CHINA = timezone(timedelta(hours=8))
FACILITIES_TABLES = {"equipment", "equipment_files", "maintenance_plans", "maintenance_windows",
                     "maintenance_records", "equipment_faults", "calibrations", "workshop_site_settings", "bays"}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


class FakeTraining:
    name = "training"

    @rpc
    def list_staff(self, payload):
        site = payload["site_id"]
        staff = [{"staff_id": str(uuid.uuid4()), "site_id": site, "name": f"Tech {n}", "role": "technician",
                  "grade": "senior", "active": True, "created_at": None} for n in range(3)]
        staff.append({**staff[0], "staff_id": str(uuid.uuid4()), "name": "Retired", "active": False})
        return staff


class WorkshopWithDispatchProbe(WorkshopService):
    """The workshop as dispatch uses bay_for_dispatch, reachable from the test."""

    @rpc
    def probe_bay_for_dispatch(self, site_id, bay_id):
        return self.bay_for_dispatch(site_id, bay_id).id


@pytest.fixture
def workshop(container_factory, service_config, rpc):
    container_factory(WorkshopWithDispatchProbe, service_config("workshop", EQUIPMENT_FILE_MAX_BYTES=1024)).start()
    container_factory(FakeTraining, service_config("training")).start()
    return rpc().workshop


@pytest.fixture
def site():
    return f"F{uuid.uuid4().hex[:6].upper()}"


def today():
    return datetime.now(CHINA).date()


def bay_with_lift(workshop, site, code):
    bay = workshop.create_bay({"site_id": site, "code": code, "name": f"Bay {code}"})
    lift = workshop.register_equipment({"site_id": site, "bay_id": bay["bay_id"], "kind": "lift",
                                        "asset_number": f"LIFT-{code}", "make": "Launch", "model": "TLT240"})
    return bay, lift


def hours(capacity):
    return capacity["bays_in_service"], capacity["capacity_hours"], capacity["free_hours"]


def _table_of(difference):
    kind = difference[0]
    if kind in ("add_table", "remove_table"):
        return difference[1].name
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        return difference[1].table.name
    if isinstance(difference, list):
        return difference[0][2]
    return difference[2]


def test_facilities_migrations_build_what_the_facilities_models_describe(databases):
    found = differences("workshop:migrations", Base.metadata, databases.fresh_url("workshop_facilities_schema"))
    assert [d for d in found if _table_of(d) in FACILITIES_TABLES] == []


def test_a_lift_in_maintenance_reduces_the_next_days_bookable_capacity(workshop, site):
    _, lift_1 = bay_with_lift(workshop, site, "B1")
    bay_2, _ = bay_with_lift(workshop, site, "B2")
    tomorrow = today() + timedelta(days=1)
    before = workshop.get_capacity({"site_id": site, "date": tomorrow.isoformat()})
    assert (before["bays_total"], before["technicians_available"], before["hours_per_day"]) == (2, 3, "8")
    assert hours(before) == (2, "16.00", "16.00")

    window = workshop.schedule_maintenance_window(lift_1["equipment_id"], {
        "starts_at": datetime.combine(tomorrow, time(9), tzinfo=CHINA).isoformat(),
        "ends_at": datetime.combine(tomorrow, time(12), tzinfo=CHINA).isoformat(), "reason": "Annual inspection"})
    assert window["cancelled_at"] is None

    after = workshop.get_capacity({"site_id": site, "date": tomorrow.isoformat()})
    assert hours(after) == (1, "8.00", "8.00")
    assert [(out["code"], [r["reason"] for r in out["reasons"]]) for out in after["bays_out"]] == [
        ("B1", ["maintenance"])]
    assert "Annual inspection" in after["bays_out"][0]["reasons"][0]["detail"]
    assert hours(workshop.get_capacity({"site_id": site, "date": today().isoformat()})) == (2, "16.00", "16.00")
    assert workshop.get_bay_availability(bay_2["bay_id"], {"date": tomorrow.isoformat()})["in_service"] is True

    workshop.cancel_maintenance_window(lift_1["equipment_id"], window["window_id"])
    assert hours(workshop.get_capacity({"site_id": site, "date": tomorrow.isoformat()})) == (2, "16.00", "16.00")


def test_capacity_takes_the_sites_hours_and_the_orders_promised_that_day(workshop, site, publish_event):
    bay_with_lift(workshop, site, "B1")
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        workshop.set_site_settings(site, {"hours_per_day": "0"})
    assert set(refused.value.details) == {"hours_per_day"}
    assert workshop.get_site_settings(site) == {"site_id": site, "hours_per_day": "8", "configured": False}
    assert workshop.set_site_settings(site, {"hours_per_day": "7.5"})["hours_per_day"] == "7.50"

    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪A12345", "mileage_km": 42000, "concern": "Brakes squeal",
        "walk_around_notes": "", "advisor": "advisor1", "checked_in_at": datetime.now(timezone.utc).isoformat(),
        "promised_at": datetime.combine(tomorrow, time(16), tzinfo=CHINA).isoformat()}, site_id=site)
    order = wait_until(lambda: next(iter(workshop.list_repair_orders({"visit_id": visit_id})), None),
                       message="repair order opened")
    workshop.add_labour_line(order["repair_order_id"], {"operation_code": "BRK-PAD", "description": "Replace pads",
                                                        "hours": "3"})

    capacity = workshop.get_capacity({"site_id": site, "date": tomorrow.isoformat()})
    assert (capacity["hours_per_day"], capacity["capacity_hours"], capacity["committed_hours"],
            capacity["free_hours"]) == ("7.50", "7.50", "3.00", "4.50")
    assert workshop.get_capacity({"site_id": site, "date": today().isoformat()})["committed_hours"] == "0.00"
    with pytest.raises(InvalidInput) as refused:
        workshop.get_capacity({"site_id": site, "date": "tomorrow"})
    assert set(refused.value.details) == {"date"}


def test_a_fault_makes_dispatch_refuse_the_bay_with_the_reason_and_the_repair_brings_it_back(
        workshop, site, subscribe):
    events = subscribe(("workshop.events", "equipment_out_of_service"), ("workshop.events", "equipment_back_in_service"))
    bay, lift = bay_with_lift(workshop, site, "B1")
    assert workshop.probe_bay_for_dispatch(site, bay["bay_id"]) == bay["bay_id"]

    harmless = workshop.report_fault(lift["equipment_id"], {"description": "Paint chipped", "out_of_service": False})
    assert workshop.probe_bay_for_dispatch(site, bay["bay_id"]) == bay["bay_id"]
    fault = workshop.report_fault(lift["equipment_id"], {"description": "Hydraulic leak at cylinder 2",
                                                         "out_of_service": True})
    with pytest.raises(Conflict) as refused:
        workshop.probe_bay_for_dispatch(site, bay["bay_id"])
    assert "Hydraulic leak at cylinder 2" in refused.value.details["bay_id"][0]
    assert "LIFT-B1" in refused.value.message
    assert workshop.get_equipment(lift["equipment_id"])["availability"]["reasons"][0]["reason"] == "fault"
    out = events.wait_for("equipment_out_of_service", lambda e: e["payload"]["equipment_id"] == lift["equipment_id"])
    assert (out["site_id"], out["payload"]["fault_id"], out["payload"]["bay_id"]) == (site, fault["fault_id"],
                                                                                     bay["bay_id"])

    with pytest.raises(InvalidInput) as refused:
        workshop.record_repair(lift["equipment_id"], fault["fault_id"], {"repair_notes": ""})
    assert set(refused.value.details) == {"repair_notes"}
    repaired = workshop.record_repair(lift["equipment_id"], fault["fault_id"], {"repair_notes": "Seal replaced"})
    assert repaired["open"] is False and repaired["repaired_by"] == "system"
    assert workshop.probe_bay_for_dispatch(site, bay["bay_id"]) == bay["bay_id"]
    back = events.wait_for("equipment_back_in_service",
                           lambda e: e["payload"]["equipment_id"] == lift["equipment_id"])
    assert back["payload"]["reasons"] == []
    with pytest.raises(Conflict):
        workshop.record_repair(lift["equipment_id"], fault["fault_id"], {"repair_notes": "Again"})
    assert [f["open"] for f in workshop.list_faults(lift["equipment_id"])] == [True, False]
    assert harmless["out_of_service"] is False
    with pytest.raises(NotFound):
        workshop.probe_bay_for_dispatch("ELSEWHERE", bay["bay_id"])
    eventlet.sleep(0.5)
    assert len(events.events("equipment_out_of_service")) == 1  # the harmless fault took nothing out


def test_maintenance_and_calibration_due_alerts_are_raised_once_per_due_date(workshop, site, subscribe):
    events = subscribe(("workshop.events", "equipment_maintenance_due"),
                       ("workshop.events", "equipment_calibration_due"))
    _, lift = bay_with_lift(workshop, site, "B1")
    _, later = bay_with_lift(workshop, site, "B2")
    rig = workshop.register_equipment({"site_id": site, "kind": "alignment_rig", "asset_number": "RIG-1",
                                       "calibration_required": True,
                                       "calibration_due_on": (today() + timedelta(days=1)).isoformat()})
    due_on = today() + timedelta(days=2)
    workshop.set_maintenance_plan(lift["equipment_id"], {"interval_days": 90, "tasks": "Check hydraulics and locks",
                                                         "next_due_on": due_on.isoformat()})
    workshop.set_maintenance_plan(later["equipment_id"], {"interval_days": 30, "tasks": "Lubricate",
                                                          "next_due_on": (today() + timedelta(days=10)).isoformat()})

    assert workshop.check_equipment_due() == 2
    assert workshop.check_equipment_due() == 0
    maintenance = events.wait_for("equipment_maintenance_due")
    assert (maintenance["payload"]["equipment_id"], maintenance["payload"]["due_on"],
            maintenance["payload"]["days_left"]) == (lift["equipment_id"], due_on.isoformat(), 2)
    calibration = events.wait_for("equipment_calibration_due")
    assert calibration["payload"]["equipment_id"] == rig["equipment_id"]
    eventlet.sleep(0.5)
    assert len(events.events()) == 2

    done = workshop.record_maintenance(lift["equipment_id"], {"notes": "All fine"})
    assert done["plan"]["next_due_on"] == (today() + timedelta(days=90)).isoformat()
    assert done["records"][0]["done_by"] == "system"
    with pytest.raises(InvalidInput) as refused:
        workshop.record_maintenance(lift["equipment_id"], {"done_on": (today() + timedelta(days=1)).isoformat()})
    assert set(refused.value.details) == {"done_on"}
    assert workshop.check_equipment_due() == 0

    with pytest.raises(InvalidInput) as refused:
        workshop.record_calibration(rig["equipment_id"], {"calibrated_on": today().isoformat(),
                                                          "certificate_number": "CAL-1",
                                                          "next_due_on": today().isoformat()})
    assert set(refused.value.details) == {"next_due_on"}
    workshop.record_calibration(rig["equipment_id"], {"calibrated_on": today().isoformat(),
                                                      "certificate_number": "CAL-2026-001",
                                                      "next_due_on": (today() + timedelta(days=365)).isoformat()})
    assert workshop.get_equipment(rig["equipment_id"])["calibration_due_on"] == (
        today() + timedelta(days=365)).isoformat()
    assert workshop.get_equipment_availability(
        rig["equipment_id"], {"date": (today() + timedelta(days=366)).isoformat()})["reasons"][0]["reason"] == \
        "calibration_expired"


def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_stored(workshop, site):
    _, lift = bay_with_lift(workshop, site, "B1")
    equipment_id = lift["equipment_id"]

    def upload(content, content_type="image/png", **extra):
        return workshop.add_equipment_file(equipment_id, {
            "filename": "cert.png", "content_type": content_type,
            "content_base64": base64.b64encode(content).decode(), **extra})

    with pytest.raises(InvalidInput) as refused:
        upload(b"GIF89a" + bytes(40))
    assert refused.value.details == {"content_type": ["Sent as image/png, but the file is not a file of a type taken."]}
    with pytest.raises(InvalidInput) as refused:
        upload(PNG * 10)  # 2,640 bytes; this service takes at most 1,024
    assert "at most 1024 bytes" in refused.value.details["_body"][0]
    with pytest.raises(InvalidInput) as refused:
        upload(b"GIF89a", content_type="image/gif")
    assert set(refused.value.details) == {"content_type"}
    with pytest.raises(InvalidInput) as refused:
        upload(PNG, category="selfie")
    assert set(refused.value.details) == {"category"}
    assert workshop.list_equipment_files(equipment_id) == []

    stored = upload(PNG, category="inspection_certificate")
    assert (stored["size_bytes"], stored["category"], stored["content_type"]) == (
        len(PNG), "inspection_certificate", "image/png")
    assert [f["file_id"] for f in workshop.list_equipment_files(equipment_id)] == [stored["file_id"]]
    fetched = workshop.get_equipment_file(equipment_id, stored["file_id"])
    assert base64.b64decode(fetched["content_base64"]) == PNG


def test_the_register_refuses_duplicates_and_bays_of_other_sites(workshop, site):
    bay, lift = bay_with_lift(workshop, site, "B1")
    assert lift["availability"] == {"in_service": True, "reasons": []}
    with pytest.raises(Conflict) as refused:
        workshop.register_equipment({"site_id": site, "kind": "lift", "asset_number": "LIFT-B1"})
    assert set(refused.value.details) == {"asset_number"}
    with pytest.raises(InvalidInput) as refused:
        workshop.register_equipment({"site_id": "OTHER", "bay_id": bay["bay_id"], "kind": "lift",
                                     "asset_number": "L-9"})
    assert set(refused.value.details) == {"bay_id"}
    with pytest.raises(InvalidInput) as refused:
        workshop.register_equipment({"site_id": site, "kind": "hammer", "asset_number": "H 1",
                                     "calibration_required": True})
    assert set(refused.value.details) == {"kind", "asset_number", "calibration_due_on"}
    assert [e["asset_number"] for e in workshop.list_equipment({"site_id": site})] == ["LIFT-B1"]
