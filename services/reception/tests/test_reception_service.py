"""The reception service on the real broker and PostgreSQL, with stand-ins for crm and workshop.

crm and workshop are tiny fake services answering the two RPC calls reception makes;
the real cross-service flow is tested with the whole platform.
"""
import uuid
from datetime import datetime, timedelta, timezone

import eventlet
import pytest
from nameko.rpc import rpc as rpc_entrypoint
from sqlalchemy import text

from contracts.fields import vin_check_digit
from contracts.quality import INSPECTION_PASSED
from contracts.reception import VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from contracts.workshop import PROMISED_TIME_CHANGED, REPAIR_ORDER_OPENED
from reception.models import Base
from reception.service import ReceptionService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

SITE = "SITE-1"
OTHER_SITE = "SITE-2"
ADVISOR = Caller(user_id="u-wang", username="wang.advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))

VEHICLES = {}
REPAIR_ORDERS = {}


class FakeCrm:
    name = "crm"

    @rpc_entrypoint
    def get_vehicle(self, vehicle_id):
        if vehicle_id not in VEHICLES:
            raise NotFound(f"No vehicle {vehicle_id}.", {"vehicle_id": ["Unknown vehicle."]})
        return VEHICLES[vehicle_id]


class FakeWorkshop:
    name = "workshop"

    @rpc_entrypoint
    def get_repair_order(self, repair_order_id):
        return REPAIR_ORDERS[repair_order_id]


@pytest.fixture
def reception(container_factory, service_config, broker):
    for fake in (FakeCrm, FakeWorkshop):
        container_factory(fake, {"AMQP_URI": broker.uri}).start()
    container = container_factory(ReceptionService, service_config("reception"))
    container.start()
    return container


@pytest.fixture
def client(reception, rpc):
    return rpc(caller=ADVISOR).reception


@pytest.fixture
def system(reception, rpc):
    return rpc().reception


def valid_vin(seed):
    vin = f"LSVAM4{seed % 10**11:011d}"
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def new_vehicle(mileage_km=52000):
    vehicle_id = str(uuid.uuid4())
    VEHICLES[vehicle_id] = {
        "vehicle_id": vehicle_id, "site_id": SITE, "customer_id": str(uuid.uuid4()),
        "vin": valid_vin(uuid.UUID(vehicle_id).int), "plate": "粤B12345", "model": "帕萨特 330TSI",
        "mileage_km": mileage_km,
    }
    return vehicle_id


def in_hours(hours):
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat()


def check_in(client, vehicle_id, site_id=SITE, **overrides):
    return client.check_in({
        "site_id": site_id, "vehicle_id": vehicle_id, "mileage_km": 52340, "concern": "刹车时有异响",
        "walk_around_notes": "左后门轻微划痕", "promised_at": in_hours(6), **overrides})


def open_repair_order(publish_event, visit, labour_total="400.00", parts_total="150.50", total="550.50"):
    repair_order_id = str(uuid.uuid4())
    REPAIR_ORDERS[repair_order_id] = {
        "repair_order_id": repair_order_id, "status": "completed", "labour_total": labour_total,
        "parts_total": parts_total, "total": total, "customer_total": total, "sublet_lines": [],
        "labour_lines": [{"line_id": str(uuid.uuid4()), "operation_code": "BRK-PAD", "description": "更换前刹车片",
                          "hours": "1.00", "rate": labour_total, "amount": labour_total, "approval": "approved",
                          "pay_type": "customer"}],
        "part_lines": [{"line_id": str(uuid.uuid4()), "part_number": "BP-001", "description": "前刹车片",
                        "quantity": "1.00", "unit_price": parts_total, "amount": parts_total, "approval": "approved",
                        "pay_type": "customer"}]}
    sent = publish_event(REPAIR_ORDER_OPENED, {
        "repair_order_id": repair_order_id, "visit_id": visit["visit_id"], "customer_id": visit["customer_id"],
        "vehicle_id": visit["vehicle_id"], "concern": visit["concern"], "promised_at": visit["promised_at"],
    }, site_id=visit["site_id"])
    return repair_order_id, sent


def pass_inspection(publish_event, visit, repair_order_id):
    return publish_event(INSPECTION_PASSED, {
        "inspection_id": str(uuid.uuid4()), "repair_order_id": repair_order_id, "visit_id": visit["visit_id"],
        "vehicle_id": visit["vehicle_id"], "inspector": "li.qc", "inspected_at": in_hours(0),
    }, site_id=visit["site_id"])


def ready_for_delivery(client, publish_event, visit, paid=True, **totals):
    """The visit's car passed quality; unless paid=False its bill is invoiced and paid, so it can be handed back."""
    repair_order_id, _ = open_repair_order(publish_event, visit, **totals)
    wait_until(lambda: client.get_visit(visit["visit_id"])["repair_order_id"] == repair_order_id,
               message="repair order recorded")
    pass_inspection(publish_event, visit, repair_order_id)
    ready = wait_until(lambda: _status_is(client, visit, "ready_for_delivery"), message="ready for delivery")
    if paid:
        invoice = client.create_invoice(visit["visit_id"], {})
        client.record_payment(invoice["invoice_id"], {"method": "cash", "amount": invoice["total"]})
    return ready


def _status_is(client, visit, status):
    found = client.get_visit(visit["visit_id"])
    return found if found["status"] == status else None


def wait_until_handled(reception, event_id):
    """Until the consumer has claimed (and so committed the effect of) the event `event_id`."""
    engine = create_engine_for(reception.config["DATABASE_URL"])
    try:
        def claimed():
            with engine.connect() as conn:
                return conn.execute(text("SELECT 1 FROM processed_events WHERE event_id = :e"),
                                    {"e": event_id}).first()
        wait_until(claimed, message=f"event {event_id} handled")
    finally:
        engine.dispose()


def test_migrations_build_what_the_models_describe(databases):
    assert differences("reception:migrations", Base.metadata, databases.fresh_url("reception_schema")) == []


def test_health(system):
    report = system.health()
    assert (report["service"], report["database"]) == ("reception", "ok")


def test_check_in_opens_a_visit_with_the_vehicle_from_crm_and_announces_it(client, subscribe):
    events = subscribe(("reception.events", VEHICLE_CHECKED_IN.event_type))
    vehicle_id = new_vehicle(mileage_km=52000)
    vehicle = VEHICLES[vehicle_id]
    promised_at = datetime.now(timezone(timedelta(hours=8))) + timedelta(hours=5)  # a Beijing-time client

    visit = check_in(client, vehicle_id, promised_at=promised_at.isoformat())

    assert visit["status"] == "checked_in"
    assert (visit["site_id"], visit["vehicle_id"], visit["customer_id"]) == (SITE, vehicle_id, vehicle["customer_id"])
    assert (visit["vin"], visit["plate"], visit["mileage_km"]) == (vehicle["vin"], "粤B12345", 52340)
    assert (visit["concern"], visit["walk_around_notes"]) == ("刹车时有异响", "左后门轻微划痕")
    assert (visit["advisor"], visit["currency"], visit["delivery_notes"]) == ("wang.advisor", "CNY", "")
    assert datetime.fromisoformat(visit["promised_at"]) == promised_at
    assert datetime.fromisoformat(visit["promised_at"]).utcoffset() == timedelta(0)
    assert visit["repair_order_id"] is None and visit["delivered_at"] is None and visit["total"] is None
    at_the_desk_only = ("check_in", "tracking_link")  # the check-in answer also carries the form and the link
    assert client.get_visit(visit["visit_id"]) == {k: v for k, v in visit.items() if k not in at_the_desk_only}

    announced = events.wait_for("vehicle_checked_in", lambda e: e["payload"]["visit_id"] == visit["visit_id"])
    assert announced["site_id"] == SITE
    assert announced["payload"] == {
        "visit_id": visit["visit_id"], "customer_id": vehicle["customer_id"], "vehicle_id": vehicle_id,
        "vin": vehicle["vin"], "plate": "粤B12345", "mileage_km": 52340, "concern": "刹车时有异响",
        "walk_around_notes": "左后门轻微划痕", "promised_at": visit["promised_at"],
        "checked_in_at": visit["checked_in_at"], "advisor": "wang.advisor",
    }


def test_an_unknown_vehicle_is_not_found_and_nothing_is_opened(client):
    with pytest.raises(NotFound) as refused:
        check_in(client, str(uuid.uuid4()))
    assert "vehicle_id" in refused.value.details
    assert client.list_visits({}) == []


def test_bad_input_names_each_field_and_opens_nothing(client):
    with pytest.raises(InvalidInput) as refused:
        client.check_in({"site_id": "bad site!", "mileage_km": -1, "concern": "", "promised_at": "tomorrow",
                         "colour": "red"})
    assert set(refused.value.details) == {"site_id", "vehicle_id", "mileage_km", "concern", "promised_at", "colour"}
    assert client.list_visits({}) == []


def test_mileage_below_the_recorded_mileage_is_refused_naming_both_numbers(client):
    vehicle_id = new_vehicle(mileage_km=52000)
    with pytest.raises(InvalidInput) as refused:
        check_in(client, vehicle_id, mileage_km=51000)
    assert list(refused.value.details) == ["mileage_km"]
    assert "51000" in refused.value.details["mileage_km"][0] and "52000" in refused.value.details["mileage_km"][0]
    assert client.list_visits({}) == []


def test_a_promised_time_in_the_past_is_refused(client):
    with pytest.raises(InvalidInput) as refused:
        check_in(client, new_vehicle(), promised_at=in_hours(-1))
    assert list(refused.value.details) == ["promised_at"]
    assert client.list_visits({}) == []


def test_a_vehicle_has_one_open_visit_at_a_time(client, publish_event):
    vehicle_id = new_vehicle()
    first = check_in(client, vehicle_id)
    with pytest.raises(Conflict) as refused:
        check_in(client, vehicle_id)
    assert first["visit_id"] in str(refused.value)

    ready_for_delivery(client, publish_event, first)
    with pytest.raises(Conflict):  # ready for delivery is still open
        check_in(client, vehicle_id)
    client.deliver(first["visit_id"], {})
    second = check_in(client, vehicle_id, mileage_km=60000)
    assert second["visit_id"] != first["visit_id"]


def test_ten_simultaneous_check_ins_of_one_vehicle_open_one_visit(client):
    vehicle_id = new_vehicle()
    pending = [client.check_in.call_async({
        "site_id": SITE, "vehicle_id": vehicle_id, "mileage_km": 52340, "concern": "保养",
        "promised_at": in_hours(2)}) for _ in range(10)]
    opened, refused = [], []
    for reply in pending:
        try:
            opened.append(reply.result())
        except Conflict:
            refused.append(reply)
    assert (len(opened), len(refused)) == (1, 9)
    assert [v["visit_id"] for v in client.list_visits({})] == [opened[0]["visit_id"]]


def test_only_a_service_advisor_checks_in_and_delivers(client, rpc, publish_event):
    technician = Caller(user_id="u-zhao", username="zhao.tech", roles=frozenset({"technician"}),
                        sites=frozenset({SITE}))
    as_technician = rpc(caller=technician).reception
    with pytest.raises(Forbidden):
        check_in(as_technician, new_vehicle())
    visit = ready_for_delivery(client, publish_event, check_in(client, new_vehicle()))
    with pytest.raises(Forbidden):
        as_technician.deliver(visit["visit_id"], {})
    assert as_technician.get_visit(visit["visit_id"])["status"] == "ready_for_delivery"


def test_a_caller_only_sees_and_touches_visits_of_their_sites(client, system, publish_event):
    ours = check_in(client, new_vehicle())
    theirs = check_in(system, new_vehicle(), site_id=OTHER_SITE)
    ready_for_delivery(system, publish_event, theirs)

    with pytest.raises(Forbidden):
        check_in(client, new_vehicle(), site_id=OTHER_SITE)
    with pytest.raises(Forbidden):
        client.get_visit(theirs["visit_id"])
    with pytest.raises(Forbidden):
        client.list_visits({"site_id": OTHER_SITE})
    with pytest.raises(Forbidden):
        client.deliver(theirs["visit_id"], {})
    assert system.get_visit(theirs["visit_id"])["status"] == "ready_for_delivery"
    assert [v["visit_id"] for v in client.list_visits({})] == [ours["visit_id"]]
    assert {v["visit_id"] for v in system.list_visits({})} == {ours["visit_id"], theirs["visit_id"]}


def test_visits_are_listed_newest_first_and_filtered_by_status(client, publish_event):
    first, second, third = (check_in(client, new_vehicle()) for _ in range(3))
    ready_for_delivery(client, publish_event, second)

    assert [v["visit_id"] for v in client.list_visits({"site_id": SITE})] == [
        third["visit_id"], second["visit_id"], first["visit_id"]]
    assert [v["visit_id"] for v in client.list_visits({"status": "checked_in"})] == [
        third["visit_id"], first["visit_id"]]
    assert [v["visit_id"] for v in client.list_visits({"status": "ready_for_delivery"})] == [second["visit_id"]]
    with pytest.raises(InvalidInput) as refused:
        client.list_visits({"status": "lost"})
    assert "status" in refused.value.details


def test_an_unknown_visit_is_not_found(client):
    unknown = str(uuid.uuid4())
    for call in (lambda: client.get_visit(unknown), lambda: client.deliver(unknown, {})):
        with pytest.raises(NotFound) as refused:
            call()
        assert "visit_id" in refused.value.details


def test_repair_order_opened_is_recorded_once(client, reception, publish_event):
    visit = check_in(client, new_vehicle())
    repair_order_id, sent = open_repair_order(publish_event, visit)
    wait_until_handled(reception, sent["event_id"])
    assert client.get_visit(visit["visit_id"])["repair_order_id"] == repair_order_id

    # A redelivery is recognised by its event_id, whatever it carries.
    publish_event(REPAIR_ORDER_OPENED, {**sent["payload"], "repair_order_id": str(uuid.uuid4())},
                  site_id=SITE, event_id=sent["event_id"])
    eventlet.sleep(1.0)
    assert client.get_visit(visit["visit_id"])["repair_order_id"] == repair_order_id


def test_a_passed_inspection_makes_the_visit_ready_for_delivery_once(client, reception, publish_event):
    visit = check_in(client, new_vehicle())
    repair_order_id, opened = open_repair_order(publish_event, visit)
    wait_until_handled(reception, opened["event_id"])
    sent = pass_inspection(publish_event, visit, repair_order_id)
    wait_until_handled(reception, sent["event_id"])
    ready = client.get_visit(visit["visit_id"])
    assert ready["status"] == "ready_for_delivery" and ready["ready_at"] is not None

    publish_event(INSPECTION_PASSED, sent["payload"], site_id=SITE, event_id=sent["event_id"])  # redelivered
    eventlet.sleep(1.0)
    assert client.get_visit(visit["visit_id"])["ready_at"] == ready["ready_at"]


def test_a_passed_inspection_arriving_before_its_repair_order_still_names_the_repair_order(
        client, reception, publish_event):
    visit = check_in(client, new_vehicle())
    repair_order_id = str(uuid.uuid4())
    sent = pass_inspection(publish_event, visit, repair_order_id)
    wait_until_handled(reception, sent["event_id"])
    ready = client.get_visit(visit["visit_id"])
    assert (ready["status"], ready["repair_order_id"]) == ("ready_for_delivery", repair_order_id)


def test_delivery_records_the_bill_from_the_workshop_and_announces_it(client, publish_event, subscribe):
    events = subscribe(("reception.events", VEHICLE_DELIVERED.event_type))
    visit = check_in(client, new_vehicle())
    ready = ready_for_delivery(client, publish_event, visit, paid=False,
                               labour_total="400.00", parts_total="150.50", total="550.50")

    invoice = client.create_invoice(visit["visit_id"], {})
    assert invoice["total"] == "550.50"
    with pytest.raises(Conflict):  # not before the bill is paid
        client.deliver(visit["visit_id"], {"notes": "旧刹车片已交还客户"})
    client.record_payment(invoice["invoice_id"], {"method": "wechat_pay", "amount": "550.50"})
    delivered = client.deliver(visit["visit_id"], {"notes": "旧刹车片已交还客户"})

    assert delivered["status"] == "delivered"
    assert (delivered["labour_total"], delivered["parts_total"], delivered["total"]) == ("400.00", "150.50", "550.50")
    assert (delivered["promised_time_kept"], delivered["delivery_notes"]) == (True, "旧刹车片已交还客户")
    assert delivered["ready_at"] == ready["ready_at"]
    assert datetime.fromisoformat(ready["ready_at"]) <= datetime.fromisoformat(delivered["delivered_at"])
    assert client.get_visit(visit["visit_id"]) == delivered

    announced = events.wait_for("vehicle_delivered", lambda e: e["payload"]["visit_id"] == visit["visit_id"])
    assert announced["site_id"] == SITE
    assert announced["payload"] == {
        "visit_id": visit["visit_id"], "repair_order_id": ready["repair_order_id"],
        "customer_id": visit["customer_id"], "vehicle_id": visit["vehicle_id"],
        "delivered_at": delivered["delivered_at"], "promised_at": visit["promised_at"], "promised_time_kept": True,
        "labour_total": "400.00", "parts_total": "150.50", "total": "550.50", "currency": "CNY",
        "invoice_id": invoice["invoice_id"], "invoice_number": invoice["number"], "sublet_total": "0.00",
        "discount_total": "0.00", "vat": invoice["vat"],
    }


def test_only_a_visit_ready_for_delivery_is_delivered(client, publish_event):
    visit = check_in(client, new_vehicle())
    with pytest.raises(Conflict) as refused:
        client.deliver(visit["visit_id"], {})
    assert "checked_in" in str(refused.value)
    assert client.get_visit(visit["visit_id"])["status"] == "checked_in"

    ready_for_delivery(client, publish_event, visit)
    client.deliver(visit["visit_id"], {})
    with pytest.raises(Conflict) as refused:
        client.deliver(visit["visit_id"], {})
    assert "delivered" in str(refused.value)


def test_bad_delivery_input_names_the_field_and_delivers_nothing(client, publish_event):
    visit = ready_for_delivery(client, publish_event, check_in(client, new_vehicle()))
    with pytest.raises(InvalidInput) as refused:
        client.deliver(visit["visit_id"], {"notes": "x" * 2001})
    assert list(refused.value.details) == ["notes"]
    assert client.get_visit(visit["visit_id"])["status"] == "ready_for_delivery"


def test_five_advisors_delivering_one_car_at_once_deliver_it_once(client, publish_event, subscribe):
    events = subscribe(("reception.events", VEHICLE_DELIVERED.event_type))
    visit = ready_for_delivery(client, publish_event, check_in(client, new_vehicle()))
    pending = [client.deliver.call_async(visit["visit_id"], {}) for _ in range(5)]
    delivered, refused = [], []
    for reply in pending:
        try:
            delivered.append(reply.result())
        except Conflict:
            refused.append(reply)
    assert (len(delivered), len(refused)) == (1, 4)
    events.wait_for("vehicle_delivered", lambda e: e["payload"]["visit_id"] == visit["visit_id"])
    eventlet.sleep(1.0)
    assert len(events.events("vehicle_delivered")) == 1


def test_a_car_handed_back_after_the_promised_time_is_recorded_as_late(client, publish_event):
    visit = check_in(client, new_vehicle(), promised_at=in_hours(2 / 3600))  # promised in two seconds
    ready_for_delivery(client, publish_event, visit)
    wait_until(lambda: datetime.now(timezone.utc) > datetime.fromisoformat(visit["promised_at"]),
               message="promised time passed")
    assert client.deliver(visit["visit_id"], {})["promised_time_kept"] is False


def test_a_passed_inspection_after_delivery_is_ignored(client, reception, publish_event):
    visit = ready_for_delivery(client, publish_event, check_in(client, new_vehicle()))
    delivered = client.deliver(visit["visit_id"], {})
    sent = pass_inspection(publish_event, visit, visit["repair_order_id"])
    wait_until_handled(reception, sent["event_id"])
    assert client.get_visit(visit["visit_id"]) == delivered


def test_a_new_promised_time_from_the_workshop_replaces_the_old_one(client, reception, publish_event):
    visit = check_in(client, new_vehicle())
    later = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=30)
    sent = publish_event(PROMISED_TIME_CHANGED, {
        "repair_order_id": str(uuid.uuid4()), "visit_id": visit["visit_id"], "customer_id": visit["customer_id"],
        "vehicle_id": visit["vehicle_id"], "plate": visit["plate"], "previous_promised_at": visit["promised_at"],
        "promised_at": later.isoformat(), "reason": "配件明天上午到货", "by": "advisor1",
        "at": datetime.now(timezone.utc).isoformat()}, site_id=SITE)
    wait_until_handled(reception, sent["event_id"])
    assert datetime.fromisoformat(client.get_visit(visit["visit_id"])["promised_at"]) == later
