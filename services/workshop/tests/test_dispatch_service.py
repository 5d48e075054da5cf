"""Dispatch and clocking on the real broker and PostgreSQL, with the real training service for certificates."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from contracts.quality import INSPECTION_FAILED
from contracts.reception import VEHICLE_CHECKED_IN
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput
from svckit.testing.subscriber import wait_until
from training.service import TrainingService
from workshop.service import WorkshopService

SITE = "DSP-1"


def caller(*roles):
    return Caller(user_id=str(uuid.uuid4()), username=f"{roles[0]}.zhou", roles=frozenset(roles),
                  sites=frozenset({SITE}))


@pytest.fixture
def workshop_database(service_config):
    return service_config("workshop")["DATABASE_URL"]


@pytest.fixture
def services(container_factory, service_config, workshop_database):
    container_factory(WorkshopService, service_config("workshop", database=workshop_database)).start()
    container_factory(TrainingService, service_config("training")).start()
    container_factory(PartsService, service_config("parts")).start()


@pytest.fixture
def system(services, rpc):
    return rpc().workshop


@pytest.fixture
def foreman(services, rpc):
    return rpc(caller=caller("foreman")).workshop


@pytest.fixture
def technician_client(services, rpc):
    return rpc(caller=caller("technician")).workshop


@pytest.fixture
def training(services, rpc):
    return rpc(caller=caller("trainer")).training


def new_technician(training, name="Wang", certificate=None):
    staff = training.create_staff({"site_id": SITE, "name": name, "role": "technician", "grade": "senior"})
    if certificate is not None:
        training.grant_certificate(staff["staff_id"], {
            "skill_code": "HV_EV", "name": "新能源汽车高压电工作业证", "number": f"HV-{uuid.uuid4().hex[:8]}",
            **certificate})
    return staff["staff_id"]


VALID = {"issued_on": (date.today() - timedelta(days=100)).isoformat(), "expires_on": None}
EXPIRED = {"issued_on": "2023-01-01", "expires_on": (date.today() - timedelta(days=2)).isoformat()}


def approved_order(system, publish_event, skill_code="HV_EV", hours="2.00", lines=1):
    """An approved repair order at SITE with `lines` labour lines needing skill_code."""
    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪AD12345", "mileage_km": 12000, "concern": "Battery warning light",
        "walk_around_notes": "", "promised_at": (datetime.now(timezone.utc) + timedelta(hours=6)).isoformat(),
        "checked_in_at": datetime.now(timezone.utc).isoformat(), "advisor": "advisor1"}, site_id=SITE)
    order = wait_until(lambda: next(iter(system.list_repair_orders({"visit_id": visit_id})), None),
                       message="repair order opened")
    for n in range(lines):
        system.add_labour_line(order["repair_order_id"], {
            "operation_code": f"EV-HV-{n}", "description": "Replace the high-voltage battery contactor",
            "hours": hours, "skill_code": skill_code})
    return system.approve(order["repair_order_id"], {})


def shift_entries(database_url, line_id, stretches):
    """Put the line's clock entries, oldest first, at the given (start, end) hours ago: the test's own clock."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM clock_entries WHERE labour_line_id = :line ORDER BY started_at"),
                           {"line": line_id}).scalars().all()
        assert len(ids) == len(stretches)
        for entry_id, (start, end) in zip(ids, stretches):
            conn.execute(text("UPDATE clock_entries SET started_at = :start, ended_at = :end WHERE id = :id"),
                         {"id": entry_id, "start": now - timedelta(hours=start),
                          "end": None if end is None else now - timedelta(hours=end)})
    engine.dispose()


def test_a_technician_without_the_certificate_is_refused_and_nothing_changes(system, foreman, training,
                                                                             publish_event):
    wang = new_technician(training, "Wang")
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    with pytest.raises(InvalidInput) as refused:
        foreman.dispatch_line(ro_id, line_id, {"technician_id": wang})
    assert refused.value.details["technician_id"][0].startswith(
        "Wang has no valid HV_EV certificate (high-voltage work on electric vehicles) on ")
    with pytest.raises(InvalidInput):  # start_job gives no one work they are not certified for either
        foreman.start_job(ro_id, {"technician_id": wang})
    unchanged = system.get_repair_order(ro_id)
    assert (unchanged["status"], unchanged["technician_id"], unchanged["labour_lines"][0]["technician_id"]) == (
        "approved", None, None)


def test_with_the_certificate_the_line_is_dispatched_to_the_technician_and_bay(system, foreman, training,
                                                                               publish_event, subscribe):
    events = subscribe(("workshop.events", "labour_line_dispatched"))
    wang = new_technician(training, "Wang", certificate=VALID)
    bay = system.create_bay({"site_id": SITE, "code": f"EV{uuid.uuid4().hex[:4].upper()}", "name": "EV bay",
                             "kind": "ev"})
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    dispatched = foreman.dispatch_line(ro_id, line_id, {"technician_id": wang, "bay_id": bay["bay_id"]})
    assert (dispatched["labour_lines"][0]["technician_id"], dispatched["labour_lines"][0]["bay_id"]) == (
        wang, bay["bay_id"])
    announced = events.wait_for("labour_line_dispatched", lambda e: e["payload"]["line_id"] == line_id)
    assert (announced["payload"]["technician_id"], announced["payload"]["skill_code"],
            announced["payload"]["by"]) == (wang, "HV_EV", "foreman.zhou")


def test_an_expired_certificate_is_refused_naming_its_expiry(system, foreman, training, publish_event):
    li = new_technician(training, "Li", certificate=EXPIRED)
    order = approved_order(system, publish_event)
    with pytest.raises(InvalidInput) as refused:
        foreman.dispatch_line(order["repair_order_id"], order["labour_lines"][0]["line_id"], {"technician_id": li})
    assert f"expired on {EXPIRED['expires_on']}" in refused.value.details["technician_id"][0]
    assert system.get_repair_order(order["repair_order_id"])["labour_lines"][0]["technician_id"] is None


def test_two_stretches_with_a_pause_add_up_and_the_first_clock_on_starts_the_job(
        system, foreman, technician_client, training, publish_event, workshop_database):
    wang = new_technician(training, "Wang", certificate=VALID)
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    foreman.dispatch_line(ro_id, line_id, {"technician_id": wang})

    first = technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    assert (first["phase"], first["order_status"]) == ("work", "in_progress")
    paused = technician_client.clock_off(ro_id, line_id, {"technician_id": wang, "reason": "pause"})
    assert paused["end_reason"] == "pause"
    technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    technician_client.clock_off(ro_id, line_id, {"technician_id": wang, "reason": "done"})
    shift_entries(workshop_database, line_id, [(4, 2.5), (2, 1.25)])  # 1.5 h, a half-hour pause, 0.75 h

    line = system.get_repair_order(ro_id)["labour_lines"][0]
    assert (line["clocked_hours"], line["rework_hours"]) == ("2.25", "0.00")
    load = {t["staff_id"]: t for t in system.technician_load({"site_id": SITE})}[wang]
    assert [(l["line_id"], l["remaining_hours"]) for l in load["lines"]] == [(line_id, "0.00")]  # 2.00 - 2.25
    assert load["clocked_on"] is None
    order = system.get_repair_order(ro_id)
    assert (order["status"], order["technician_id"]) == ("in_progress", wang)
    with pytest.raises(Conflict):
        technician_client.clock_off(ro_id, line_id, {"technician_id": wang})  # not clocked on any more


def test_clocking_on_a_second_job_while_on_one_is_refused_naming_the_open_job(
        system, foreman, technician_client, training, publish_event):
    wang = new_technician(training, "Wang", certificate=VALID)
    order = approved_order(system, publish_event, lines=2)
    ro_id = order["repair_order_id"]
    first, second = (line["line_id"] for line in order["labour_lines"])
    technician_client.clock_on(ro_id, first, {"technician_id": wang})  # not dispatched yet: dispatched to Wang
    with pytest.raises(Conflict) as refused:
        technician_client.clock_on(ro_id, second, {"technician_id": wang})
    assert f"line EV-HV-0 of repair order {ro_id}" in refused.value.details["technician_id"][0]
    lines = system.get_repair_order(ro_id)["labour_lines"]
    assert [(l["technician_id"], l["clocked_hours"]) for l in lines] == [(wang, "0.00"), (None, "0.00")]
    load = {t["staff_id"]: t for t in system.technician_load({"site_id": SITE})}[wang]
    assert (load["clocked_on"]["line_id"], load["clocked_on"]["operation_code"]) == (first, "EV-HV-0")

    li = new_technician(training, "Li", certificate=VALID)
    with pytest.raises(Conflict):  # nobody takes a line from under a technician clocked on it
        foreman.dispatch_line(ro_id, first, {"technician_id": li})
    technician_client.clock_off(ro_id, first, {"technician_id": wang, "reason": "pause"})
    assert technician_client.clock_on(ro_id, second, {"technician_id": wang})["line_id"] == second
    assert foreman.dispatch_line(ro_id, first, {"technician_id": li})["labour_lines"][0]["technician_id"] == li


def test_entries_after_a_failed_inspection_are_rework(system, technician_client, training, publish_event,
                                                      workshop_database):
    wang = new_technician(training, "Wang", certificate=VALID)
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    technician_client.clock_off(ro_id, line_id, {"technician_id": wang, "reason": "done"})
    system.complete_job(ro_id)
    with pytest.raises(Conflict) as refused:
        technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    assert refused.value.details == {"status": ["Clocking on is allowed when: approved, in_progress, rework."]}

    publish_event(INSPECTION_FAILED, {
        "inspection_id": str(uuid.uuid4()), "repair_order_id": ro_id, "visit_id": order["visit_id"],
        "vehicle_id": order["vehicle_id"], "inspector": "qc1", "inspected_at": datetime.now(timezone.utc).isoformat(),
        "failed_items": [{"item": "Insulation test", "note": "Below 500 ohm/V"}]}, site_id=SITE)
    wait_until(lambda: system.get_repair_order(ro_id)["status"] == "rework", message="rework")
    again = technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    assert (again["phase"], again["order_status"]) == ("rework", "in_progress")
    technician_client.clock_off(ro_id, line_id, {"technician_id": wang, "reason": "pause"})
    technician_client.clock_on(ro_id, line_id, {"technician_id": wang})  # still rework after the move on
    technician_client.clock_off(ro_id, line_id, {"technician_id": wang, "reason": "done"})
    shift_entries(workshop_database, line_id, [(5, 3), (2, 1.5), (1, 0.75)])
    line = system.get_repair_order(ro_id)["labour_lines"][0]
    assert (line["clocked_hours"], line["rework_hours"]) == ("2.75", "0.75")


def test_clocking_is_refused_on_an_order_on_hold_and_by_the_wrong_roles(system, technician_client, training,
                                                                         publish_event, rpc):
    wang = new_technician(training, "Wang", certificate=VALID)
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    system.put_on_hold(ro_id, {"reason": "Customer wants to think it over"})
    with pytest.raises(Conflict) as refused:
        technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    assert "on_hold" in str(refused.value)
    with pytest.raises(Forbidden):
        rpc(caller=caller("service_advisor")).workshop.dispatch_line(ro_id, line_id, {"technician_id": wang})
    with pytest.raises(InvalidInput) as bad:
        technician_client.clock_off(ro_id, line_id, {"technician_id": "nobody", "reason": "lunch"})
    assert set(bad.value.details) == {"technician_id", "reason"}


def test_putting_an_order_on_hold_stops_the_clock_of_whoever_is_on_it(system, technician_client, training,
                                                                      publish_event):
    wang = new_technician(training, "Wang", certificate=VALID)
    order = approved_order(system, publish_event)
    ro_id, line_id = order["repair_order_id"], order["labour_lines"][0]["line_id"]
    technician_client.clock_on(ro_id, line_id, {"technician_id": wang})
    system.put_on_hold(ro_id, {"reason": "Waiting for the insurer's assessor"})

    load = {t["staff_id"]: t for t in system.technician_load({"site_id": SITE})}[wang]
    assert load["clocked_on"] is None
    with pytest.raises(Conflict):
        technician_client.clock_off(ro_id, line_id, {"technician_id": wang})  # the hold already did
    system.resume(ro_id)
    again = technician_client.clock_on(ro_id, line_id, {"technician_id": wang})  # free to clock on again
    assert again["order_status"] == "in_progress"
