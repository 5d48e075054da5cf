"""The workshop service on the real broker and PostgreSQL, with the real parts service.

training is a fake here (its own tests cover it); the full flow runs in tests/ at the root.
"""
import uuid
from datetime import datetime, timedelta, timezone

import eventlet
from kombu import Connection
import pytest
from nameko.rpc import rpc

from contracts.quality import INSPECTION_FAILED, INSPECTION_PASSED
from contracts.reception import VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from parts.service import PartsService
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until
from workshop.models import Base
from workshop.service import WorkshopService

SITE = "SITE-1"
TECHNICIANS = {
    "11111111-1111-4111-8111-111111111111": {"role": "technician", "site_id": SITE, "active": True, "name": "Wang"},
    "22222222-2222-4222-8222-222222222222": {"role": "technician", "site_id": "SITE-2", "active": True, "name": "Li"},
    "33333333-3333-4333-8333-333333333333": {"role": "service_advisor", "site_id": SITE, "active": True, "name": "Zhao"},
}
WANG, LI, ZHAO = TECHNICIANS


class FakeTraining:
    name = "training"

    @rpc
    def get_staff(self, staff_id):
        if staff_id not in TECHNICIANS:
            raise NotFound(f"No staff member {staff_id}.", {"staff_id": ["Unknown."]})
        return {"staff_id": staff_id, "grade": "senior", **TECHNICIANS[staff_id]}


@pytest.fixture
def services(container_factory, service_config):
    for service in (WorkshopService, PartsService, FakeTraining):
        container_factory(service, service_config(service.name)).start()


@pytest.fixture
def workshop(services, rpc):
    return rpc().workshop


@pytest.fixture
def part_number(services, rpc):
    return make_part(rpc)


def make_part(rpc):
    """A part with 2 in stock at SITE."""
    parts = rpc().parts
    number = f"F-{uuid.uuid4().hex[:6].upper()}"
    parts.create_part({"part_number": number, "name": "机油滤清器", "cost_price": "20.00", "retail_price": "35.00"})
    parts.receive_stock({"site_id": SITE, "part_number": number, "quantity": "2"})
    return number


def check_in(publish_event, visit_id=None, **overrides):
    payload = {
        "visit_id": visit_id or str(uuid.uuid4()), "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪A12345", "mileage_km": 42000, "concern": "Brakes squeal",
        "walk_around_notes": "Scratch on rear bumper",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=4)).isoformat(),
        "checked_in_at": datetime.now(timezone.utc).isoformat(), "advisor": "advisor1", **overrides,
    }
    return publish_event(VEHICLE_CHECKED_IN, payload, site_id=SITE)


def opened_order(workshop, publish_event):
    sent = check_in(publish_event)
    visit_id = sent["payload"]["visit_id"]
    return wait_until(lambda: next(iter(workshop.list_repair_orders({"visit_id": visit_id})), None),
                      message="repair order opened")


def quoted_order(workshop, publish_event, part_number, quantity="1"):
    order = opened_order(workshop, publish_event)
    workshop.add_labour_line(order["repair_order_id"], {"operation_code": "BRK-PAD", "description": "Replace pads",
                                                        "hours": "1.5"})
    return workshop.add_part_line(order["repair_order_id"], {"part_number": part_number, "quantity": quantity})


def test_migrations_build_what_the_models_describe(databases):
    assert differences("workshop:migrations", Base.metadata, databases.fresh_url("workshop_schema")) == []


def test_check_in_opens_one_repair_order_even_when_redelivered(workshop, publish_event, subscribe):
    events = subscribe(("workshop.events", "repair_order_opened"))
    sent = check_in(publish_event)
    publish_event(VEHICLE_CHECKED_IN, sent["payload"], site_id=SITE, event_id=sent["event_id"])
    opened = events.wait_for("repair_order_opened", lambda e: e["payload"]["visit_id"] == sent["payload"]["visit_id"])
    assert opened["correlation_id"] == sent["correlation_id"]
    order = workshop.get_repair_order(opened["payload"]["repair_order_id"])
    assert (order["status"], order["concern"], order["site_id"]) == ("opened", "Brakes squeal", SITE)
    assert order["history"][0]["to_status"] == "opened"
    eventlet.sleep(1.0)  # time for the redelivered copy to be handled (and skipped)
    assert len(workshop.list_repair_orders({"visit_id": sent["payload"]["visit_id"]})) == 1
    assert len(events.events("repair_order_opened")) == 1


def test_quote_approve_reserve_start_complete(workshop, part_number, publish_event, subscribe):
    events = subscribe(("workshop.events", "#"))
    order = quoted_order(workshop, publish_event, part_number)
    ro_id = order["repair_order_id"]
    labour, part = order["labour_lines"][0], order["part_lines"][0]
    assert (labour["rate"], labour["amount"], labour["approval"]) == ("300.00", "450.00", "pending")
    assert (part["unit_price"], part["description"]) == ("35.00", "机油滤清器")
    assert order["total"] == "0.00"  # nothing approved yet

    approved = workshop.approve(ro_id, {"channel": "in_person"})
    assert approved["status"] == "approved"
    assert approved["part_lines"][0]["reservation_status"] == "reserved"
    assert (approved["labour_total"], approved["parts_total"], approved["total"]) == ("450.00", "35.00", "485.00")

    started = workshop.start_job(ro_id, {"technician_id": WANG})
    assert (started["status"], started["technician_id"]) == ("in_progress", WANG)
    completed = workshop.complete_job(ro_id)
    assert completed["status"] == "completed"
    assert [c["to_status"] for c in completed["history"]] == ["opened", "awaiting_approval", "approved", "in_progress", "completed"]

    handover = events.wait_for("repair_completed", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert handover["payload"]["technician_id"] == WANG
    assert handover["payload"]["labour_lines"][0]["hours"] == "1.50"
    assert handover["payload"]["part_lines"][0]["reservation_id"] == approved["part_lines"][0]["reservation_id"]
    assert (handover["payload"]["labour_total"], handover["payload"]["parts_total"]) == ("450.00", "35.00")
    assert [e["event_type"] for e in events.events() if e["payload"]["repair_order_id"] == ro_id
            and e["event_type"] != "repair_order_status_changed"] == [
        "repair_order_opened", "repair_order_approved", "repair_started", "repair_completed"]
    assert [(e["payload"]["from_status"], e["payload"]["to_status"]) for e in events.events("repair_order_status_changed")
            if e["payload"]["repair_order_id"] == ro_id] == [
        (None, "opened"), ("opened", "awaiting_approval"), ("awaiting_approval", "approved"), ("approved", "in_progress"), ("in_progress", "completed")]


def test_a_short_part_puts_the_order_in_waiting_for_parts(workshop, part_number, publish_event):
    order = quoted_order(workshop, publish_event, part_number, quantity="5")
    approved = workshop.approve(order["repair_order_id"], {})
    assert approved["status"] == "waiting_for_parts"
    assert approved["part_lines"][0]["reservation_status"] == "backordered"


def test_an_illegal_transition_is_refused_with_the_allowed_ones(workshop, publish_event):
    order = opened_order(workshop, publish_event)
    with pytest.raises(Conflict) as refused:
        workshop.complete_job(order["repair_order_id"])
    assert refused.value.details == {"status": ["Allowed from opened: awaiting_approval, cancelled, diagnosing."]}
    assert workshop.get_repair_order(order["repair_order_id"])["status"] == "opened"


@pytest.mark.parametrize("technician, reason", [(LI, "works at site SITE-2"), (ZHAO, "not a technician")])
def test_the_job_goes_only_to_a_technician_of_the_site(workshop, part_number, publish_event, technician, reason):
    order = quoted_order(workshop, publish_event, part_number)
    workshop.approve(order["repair_order_id"], {})
    with pytest.raises(InvalidInput) as refused:
        workshop.start_job(order["repair_order_id"], {"technician_id": technician})
    assert reason in refused.value.details["technician_id"][0]
    assert workshop.get_repair_order(order["repair_order_id"])["status"] == "approved"


def test_bad_lines_are_refused_naming_the_field(workshop, publish_event):
    order = opened_order(workshop, publish_event)
    with pytest.raises(InvalidInput) as refused:
        workshop.add_labour_line(order["repair_order_id"], {"operation_code": "x y", "description": "", "hours": "-1"})
    assert set(refused.value.details) == {"operation_code", "description", "hours"}
    with pytest.raises(NotFound):
        workshop.add_part_line(order["repair_order_id"], {"part_number": "NO-SUCH-PART", "quantity": "1"})
    assert workshop.get_repair_order(order["repair_order_id"])["labour_lines"] == []


def test_inspection_results_and_delivery_move_the_order_to_closed(workshop, part_number, publish_event, subscribe):
    events = subscribe(("workshop.events", "repair_order_closed"))
    order = quoted_order(workshop, publish_event, part_number)
    ro_id = order["repair_order_id"]
    workshop.approve(ro_id, {})
    workshop.start_job(ro_id, {"technician_id": WANG})
    workshop.complete_job(ro_id)
    inspection = {"inspection_id": str(uuid.uuid4()), "repair_order_id": ro_id, "visit_id": order["visit_id"],
                  "vehicle_id": order["vehicle_id"], "inspector": "qc1",
                  "inspected_at": datetime.now(timezone.utc).isoformat()}

    publish_event(INSPECTION_FAILED, {**inspection, "failed_items": [{"item": "Road test", "note": "Still squeals"}]},
                  site_id=SITE)
    wait_until(lambda: workshop.get_repair_order(ro_id)["status"] == "rework", message="rework")
    assert workshop.get_repair_order(ro_id)["history"][-1]["by"] == "quality:qc1"
    workshop.start_job(ro_id, {"technician_id": WANG})
    workshop.complete_job(ro_id)
    publish_event(INSPECTION_PASSED, inspection, site_id=SITE)
    wait_until(lambda: workshop.get_repair_order(ro_id)["status"] == "ready_for_delivery", message="ready")

    publish_event(VEHICLE_DELIVERED, {
        "visit_id": order["visit_id"], "repair_order_id": ro_id, "customer_id": order["customer_id"],
        "vehicle_id": order["vehicle_id"], "delivered_at": datetime.now(timezone.utc).isoformat(),
        "promised_at": order["promised_at"], "promised_time_kept": True, "labour_total": "450.00",
        "parts_total": "35.00", "total": "485.00", "currency": "CNY"}, site_id=SITE)
    closed = events.wait_for("repair_order_closed", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert closed["payload"]["labour_hours_sold"] == "1.50"
    assert closed["payload"]["labour_lines"][0]["technician_id"] == WANG
    assert workshop.get_repair_order(ro_id)["status"] == "closed"


@pytest.fixture
def restartable(container_factory, service_config):
    """Workshop, parts and training, their configs kept so one can be stopped and started again."""
    configs = {service.name: service_config(service.name) for service in (WorkshopService, PartsService, FakeTraining)}
    containers = {}
    for service in (WorkshopService, PartsService, FakeTraining):
        containers[service.name] = container_factory(service, configs[service.name])
        containers[service.name].start()

    def restart(while_down=lambda: None, service=WorkshopService):
        containers[service.name].stop()
        while_down()
        containers[service.name] = container_factory(service, configs[service.name])
        containers[service.name].start()

    return restart


def test_a_waiting_order_resumes_by_itself_when_its_parts_arrive_even_across_a_workshop_restart(
        restartable, rpc, publish_event, subscribe):
    events = subscribe(("workshop.events", "repair_order_status_changed"))
    workshop, parts = rpc().workshop, rpc().parts
    part_number = make_part(rpc)
    order = quoted_order(workshop, publish_event, part_number, quantity="3")  # 2 in stock
    ro_id = order["repair_order_id"]
    assert workshop.approve(ro_id, {})["status"] == "waiting_for_parts"
    with pytest.raises(Conflict):
        workshop.start_job(ro_id, {"technician_id": WANG})

    restartable(while_down=lambda: parts.receive_stock({"site_id": SITE, "part_number": part_number,
                                                        "quantity": "1"}))
    resumed = wait_until(lambda: (o := rpc().workshop.get_repair_order(ro_id))["status"] == "approved" and o,
                         message="order resumed")
    assert resumed["history"][-1]["by"] == "parts"
    assert resumed["part_lines"][0]["reservation_status"] == "reserved"
    changes = wait_until(lambda: [(e["payload"]["from_status"], e["payload"]["to_status"])
                                  for e in events.events() if e["payload"]["repair_order_id"] == ro_id][-1:] ==
                         [("waiting_for_parts", "approved")] and events.events(), message="status change published")
    assert [(e["payload"]["from_status"], e["payload"]["to_status"]) for e in changes
            if e["payload"]["repair_order_id"] == ro_id] == [
        (None, "opened"), ("opened", "awaiting_approval"), ("awaiting_approval", "waiting_for_parts"), ("waiting_for_parts", "approved")]
    assert rpc().workshop.start_job(ro_id, {"technician_id": WANG})["status"] == "in_progress"


def test_a_waiting_order_resumes_when_its_parts_arrive_after_a_restart_of_parts(restartable, rpc, publish_event):
    workshop = rpc().workshop
    part_number = make_part(rpc)
    order = quoted_order(workshop, publish_event, part_number, quantity="3")  # 2 in stock: 1 backordered
    ro_id = order["repair_order_id"]
    assert workshop.approve(ro_id, {})["status"] == "waiting_for_parts"

    restartable(service=PartsService)  # the backorder is kept in parts' database, not in its memory
    rpc().parts.receive_stock({"site_id": SITE, "part_number": part_number, "quantity": "1"})
    resumed = wait_until(lambda: (o := rpc().workshop.get_repair_order(ro_id))["status"] == "approved" and o,
                         message="order resumed")
    assert resumed["part_lines"][0]["reservation_status"] == "reserved"


def test_an_order_whose_part_reserved_event_was_lost_is_resumed_by_the_recheck(
        restartable, rpc, broker, publish_event):
    workshop, parts = rpc().workshop, rpc().parts
    part_number = make_part(rpc)
    order = quoted_order(workshop, publish_event, part_number, quantity="3")
    ro_id = order["repair_order_id"]
    workshop.approve(ro_id, {})

    def lose_the_event():
        parts.receive_stock({"site_id": SITE, "part_number": part_number, "quantity": "1"})
        eventlet.sleep(1.0)  # the relay publishes it into workshop's queue...
        with Connection(broker.uri) as conn:  # ...where it is lost
            conn.SimpleQueue("evt-parts-part_reserved--workshop.take_parts_that_arrived").clear()

    restartable(while_down=lose_the_event)
    eventlet.sleep(0.5)
    assert rpc().workshop.get_repair_order(ro_id)["status"] == "waiting_for_parts"
    assert rpc().workshop.recheck_waiting_for_parts() == 1
    assert rpc().workshop.get_repair_order(ro_id)["status"] == "approved"


def test_hold_resume_and_cancel_with_a_reason_gives_the_parts_back(workshop, rpc, part_number, publish_event):
    parts = rpc().parts
    order = quoted_order(workshop, publish_event, part_number, quantity="3")  # 2 in stock: backordered
    ro_id = order["repair_order_id"]
    assert workshop.approve(ro_id, {})["status"] == "waiting_for_parts"
    with pytest.raises(InvalidInput) as refused:
        workshop.put_on_hold(ro_id, {"reason": ""})
    assert "reason" in refused.value.details
    held = workshop.put_on_hold(ro_id, {"reason": "Customer is away until Monday"})
    assert (held["status"], held["history"][-1]["to_status"]) == ("on_hold", "on_hold")
    assert workshop.resume(ro_id)["status"] == "waiting_for_parts"
    assert parts.get_stock(SITE, part_number)["backordered"] == "3.00"

    cancelled = workshop.cancel(ro_id, {"reason": "Customer went to another dealer"})
    assert cancelled["status"] == "cancelled"
    assert cancelled["part_lines"][0]["reservation_status"] == "released"
    stock = parts.get_stock(SITE, part_number)
    assert (stock["reserved"], stock["backordered"]) == ("0.00", "0.00")
    with pytest.raises(Conflict):
        workshop.resume(ro_id)


def test_cancel_after_completion_is_refused_with_the_allowed_moves(workshop, part_number, publish_event):
    order = quoted_order(workshop, publish_event, part_number)
    ro_id = order["repair_order_id"]
    workshop.approve(ro_id, {})
    workshop.start_job(ro_id, {"technician_id": WANG})
    workshop.complete_job(ro_id)
    with pytest.raises(Conflict) as refused:
        workshop.cancel(ro_id, {"reason": "Too late to change one's mind"})
    assert refused.value.details == {"status": ["Allowed from completed: ready_for_delivery, rework."]}


def test_additional_work_found_during_the_job_is_quoted_answered_and_its_parts_awaited(
        workshop, rpc, part_number, publish_event, subscribe):
    events = subscribe(("workshop.events", "repair_order_approved"), ("workshop.events", "work_declined"))
    order = quoted_order(workshop, publish_event, part_number)  # 1 of the 2 in stock
    ro_id = order["repair_order_id"]
    workshop.approve(ro_id, {})
    assert workshop.start_job(ro_id, {"technician_id": WANG})["status"] == "in_progress"

    workshop.add_labour_line(ro_id, {"operation_code": "DISC-F", "description": "Replace front discs", "hours": "1.0"})
    extra = workshop.add_part_line(ro_id, {"part_number": part_number, "quantity": "3"})  # only 1 left: short
    extra_labour, wiper = extra["labour_lines"][1], extra["part_lines"][1]
    with pytest.raises(Conflict) as refused:
        workshop.complete_job(ro_id)
    assert refused.value.details == {"lines": ["2 quoted line(s) still await the customer's answer."]}

    answered = workshop.approve(ro_id, {"approved_line_ids": [wiper["line_id"]],
                                        "declined_line_ids": [extra_labour["line_id"]], "channel": "phone"})
    assert answered["status"] == "in_progress"  # the job goes on while the additional part is awaited
    assert answered["part_lines"][1]["reservation_status"] == "backordered"
    assert answered["labour_lines"][1]["approval"] == "declined"
    declined = events.wait_for("work_declined", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert [line["code"] for line in declined["payload"]["lines"]] == ["DISC-F"]
    assert [e["payload"]["channel"] for e in events.events("repair_order_approved")
            if e["payload"]["repair_order_id"] == ro_id] == ["in_person", "phone"]
    with pytest.raises(Conflict) as refused:
        workshop.complete_job(ro_id)
    assert refused.value.details == {"part_lines": [f"Parts still awaited: {part_number}."]}

    rpc().parts.receive_stock({"site_id": SITE, "part_number": part_number, "quantity": "2"})
    wait_until(lambda: workshop.get_repair_order(ro_id)["part_lines"][1]["reservation_status"] == "reserved",
               message="additional part reserved")
    assert workshop.complete_job(ro_id)["status"] == "completed"
