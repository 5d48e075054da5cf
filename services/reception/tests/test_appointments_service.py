"""Appointments on the real broker and PostgreSQL, with stand-ins for crm, workshop and training.

The fakes answer what booking asks: crm the vehicle, training the site's service advisors, the workshop the
day's free hours and the operation catalogue. Each test has its own database.
"""
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import eventlet
import pytest
from nameko.rpc import rpc as rpc_entrypoint
from sqlalchemy import text

from contracts.fields import vin_check_digit
from contracts.reception import (
    APPOINTMENT_ARRIVED, APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_NO_SHOW,
    APPOINTMENT_REMINDER_DUE,
)
from reception.models import Base
from reception.service import ReceptionService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE = "APPT-1"
OTHER_SITE = "APPT-2"
ADVISOR = Caller(user_id="u-zhao", username="zhao.advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
CARE_AGENT = Caller(user_id="u-qian", username="qian.care", roles=frozenset({"customer_care"}),
                    sites=frozenset({SITE}))
TECHNICIAN = Caller(user_id="u-sun", username="sun.tech", roles=frozenset({"technician"}), sites=frozenset({SITE}))

VEHICLES = {}
ADVISOR_COUNT = {SITE: 2}
FREE_HOURS = {}  # (site_id, "YYYY-MM-DD") -> free hours; 8.00 otherwise
OPERATIONS = [
    {"operation_id": str(uuid.uuid4()), "code": "OIL-01", "description": "更换机油机滤", "standard_hours": "1.00",
     "skill_code": None, "model": None, "active": True},
    {"operation_id": str(uuid.uuid4()), "code": "OIL-01", "description": "更换机油机滤（帕萨特）",
     "standard_hours": "1.50", "skill_code": None, "model": "帕萨特 330TSI", "active": True},
    {"operation_id": str(uuid.uuid4()), "code": "OIL-010", "description": "另一项", "standard_hours": "9.00",
     "skill_code": None, "model": None, "active": True},
]
SLOW_ANSWERS = {"seconds": 0}


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
    def get_capacity(self, payload):
        eventlet.sleep(SLOW_ANSWERS["seconds"])  # lets simultaneous bookings reach the lock together
        free = FREE_HOURS.get((payload["site_id"], payload["date"]), "8.00")
        return {"site_id": payload["site_id"], "date": payload["date"], "free_hours": free,
                "capacity_hours": free, "committed_hours": "0.00"}

    @rpc_entrypoint
    def list_operations(self, payload):
        return [entry for entry in OPERATIONS if entry["code"].startswith(payload["code_prefix"])
                and entry["model"] in (None, payload.get("model"))]


class FakeTraining:
    name = "training"

    @rpc_entrypoint
    def list_staff(self, payload):
        count = ADVISOR_COUNT.get(payload["site_id"], 0)
        staff = [{"staff_id": str(uuid.uuid4()), "site_id": payload["site_id"], "name": f"顾问{i}",
                  "role": "service_advisor", "active": True} for i in range(count)]
        return staff + [{"staff_id": str(uuid.uuid4()), "site_id": payload["site_id"], "name": "离职顾问",
                         "role": "service_advisor", "active": False}]


@pytest.fixture
def start_fakes(container_factory, broker):
    def start():
        for fake in (FakeCrm, FakeWorkshop, FakeTraining):
            container_factory(fake, {"AMQP_URI": broker.uri}).start()
    return start


@pytest.fixture
def reception(start_fakes, container_factory, service_config):
    start_fakes()
    container = container_factory(ReceptionService, service_config("reception"))
    container.start()
    return container


@pytest.fixture
def client(reception, rpc):
    return rpc(caller=ADVISOR).reception


@pytest.fixture
def system(reception, rpc):
    return rpc().reception


@pytest.fixture(autouse=True)
def default_capacity():
    ADVISOR_COUNT[SITE] = 2
    FREE_HOURS.clear()
    SLOW_ANSWERS["seconds"] = 0


def new_vehicle(site_id=SITE):
    vehicle_id = str(uuid.uuid4())
    vin = f"LSVAM4{uuid.UUID(vehicle_id).int % 10**11:011d}"
    VEHICLES[vehicle_id] = {
        "vehicle_id": vehicle_id, "site_id": site_id, "customer_id": str(uuid.uuid4()),
        "vin": vin[:8] + vin_check_digit(vin) + vin[9:], "plate": "粤B12345", "model": "帕萨特 330TSI",
        "mileage_km": 30000,
    }
    return vehicle_id


def today():
    return datetime.now(SHANGHAI).date()


def slot(days_ahead, hour, minute=0):
    return datetime.combine(today() + timedelta(days=days_ahead), time(hour, minute), tzinfo=SHANGHAI)


def at(iso):
    return datetime.fromisoformat(iso)


def book(client, when, hours="2.00", vehicle_id=None, **overrides):
    return client.book_appointment({
        "site_id": SITE, "vehicle_id": vehicle_id or new_vehicle(), "slot_start": when.isoformat(),
        "services": [{"description": "二万公里保养", "hours": hours}], "channel": "phone", **overrides})


def set_slot(reception, appointment_id, when):
    """Put an appointment's slot where booking may not (today or in the past), as time passing would."""
    engine = create_engine_for(reception.config["DATABASE_URL"])
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE appointments SET slot_start = :s, day = :d WHERE id = :i"),
                         {"s": when, "d": when.astimezone(SHANGHAI).date(), "i": appointment_id})
    finally:
        engine.dispose()


def test_migrations_build_the_appointment_tables_the_models_describe(databases):
    found = differences("reception:migrations", Base.metadata, databases.fresh_url("reception_appointments"))
    assert [d for d in found if "appointment" in repr(d)] == []


def test_booking_takes_hours_from_the_catalogue_and_announces_the_appointment(client, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_BOOKED.event_type))
    vehicle_id = new_vehicle()
    booked = client.book_appointment({
        "site_id": SITE, "vehicle_id": vehicle_id, "slot_start": slot(2, 9, 30).isoformat(), "channel": "wechat",
        "services": [{"operation_code": "OIL-01"}, {"description": "刹车异响检查", "hours": "0.5"}],
        "preferred_advisor": "zhao.advisor", "notes": "客户上午送车"})
    assert booked["status"] == "booked"
    assert (booked["customer_id"], booked["vehicle_id"]) == (VEHICLES[vehicle_id]["customer_id"], vehicle_id)
    assert booked["services"] == [
        {"operation_code": "OIL-01", "description": "更换机油机滤（帕萨特）", "hours": "1.50"},  # the car's model
        {"operation_code": None, "description": "刹车异响检查", "hours": "0.50"}]
    assert (booked["hours"], booked["date"]) == ("2.00", (today() + timedelta(days=2)).isoformat())
    assert datetime.fromisoformat(booked["slot_start"]) == slot(2, 9, 30)
    assert client.get_appointment(booked["appointment_id"]) == booked
    event = events.wait_for("appointment_booked", lambda e: e["payload"]["appointment_id"] == booked["appointment_id"])
    assert event["site_id"] == SITE
    assert set(event["payload"]) == {"appointment_id", "customer_id", "vehicle_id", "slot_start", "date", "hours",
                                     "services", "preferred_advisor", "status"}
    assert "phone" not in str(event["payload"])


def test_bad_bookings_are_refused_naming_the_field_and_nothing_is_kept(client):
    cases = [
        ({"slot_start": slot(2, 9, 10).isoformat()}, "slot_start"),
        ({"slot_start": slot(2, 7, 30).isoformat()}, "slot_start"),
        ({"slot_start": slot(-1, 9).isoformat()}, "slot_start"),
        ({"slot_start": "2026-12-01T09:00:00"}, "slot_start"),  # no time zone
        ({"channel": "fax"}, "channel"),
        ({"services": []}, "services"),
        ({"services": [{"description": "小检查", "hours": "0.25"}]}, "services"),
        ({"services": [{"operation_code": "NOPE-1"}]}, "services.0.operation_code"),
        ({"services": [{"hours": "1"}]}, "services.0.description"),
        ({"vehicle_id": new_vehicle(OTHER_SITE)}, "vehicle_id"),
        ({"colour": "red"}, "colour"),
    ]
    for overrides, field in cases:
        with pytest.raises(InvalidInput) as refused:
            book(client, slot(2, 9), **overrides)
        assert field in refused.value.details, (overrides, refused.value.details)
    with pytest.raises(NotFound):
        book(client, slot(2, 9), vehicle_id=str(uuid.uuid4()))
    assert client.list_appointments({"site_id": SITE}) == []


def test_only_advisors_and_care_agents_book_and_only_at_their_sites(reception, rpc):
    with pytest.raises(Forbidden):
        book(rpc(caller=TECHNICIAN).reception, slot(2, 9))
    with pytest.raises(Forbidden):
        book(rpc(caller=ADVISOR).reception, slot(2, 9), site_id=OTHER_SITE, vehicle_id=new_vehicle(OTHER_SITE))
    booked = book(rpc(caller=CARE_AGENT).reception, slot(2, 9))
    assert booked["booked_by"] == "qian.care"


def test_a_full_slot_or_a_full_workshop_day_is_refused_with_the_next_free_slots(client):
    ADVISOR_COUNT[SITE] = 1
    FREE_HOURS[(SITE, (today() + timedelta(days=3)).isoformat())] = "5.00"
    first = book(client, slot(3, 17), hours="3.00")

    with pytest.raises(Conflict) as advisors_full:
        book(client, slot(3, 17), hours="1.00")
    assert advisors_full.value.details["slot_start"] == [
        f"Advisors are full at {slot(3, 17):%Y-%m-%d} 17:00: 1 appointment(s) for 1 advisor(s)."]
    assert advisors_full.value.details["next_free_slots"] == [
        slot(3, 17, 30).isoformat(), slot(4, 8).isoformat(), slot(4, 8, 30).isoformat(), slot(4, 9).isoformat(),
        slot(4, 9, 30).isoformat()]

    with pytest.raises(Conflict) as workshop_full:
        book(client, slot(3, 10), hours="2.50")
    day = (today() + timedelta(days=3)).isoformat()
    assert workshop_full.value.details["slot_start"] == [f"Workshop is full on {day} (2.00 h free, 2.50 h asked)."]
    assert "Workshop is full" in str(workshop_full.value)
    assert workshop_full.value.details["next_free_slots"][0] == slot(4, 8).isoformat()
    assert len(workshop_full.value.details["next_free_slots"]) == 5

    assert book(client, slot(3, 10), hours="2.00")["status"] == "booked"  # exactly the rest of the day
    free = client.free_slots({"site_id": SITE, "date": day, "hours": "0.5"})
    assert (free["advisors"], free["workshop_free_hours"], free["booked_hours"], free["remaining_hours"],
            free["slots"]) == (1, "5.00", "5.00", "0.00", [])
    assert [a["appointment_id"] for a in client.list_appointments({"site_id": SITE, "date": day})][-1] == \
        first["appointment_id"]


def test_free_slots_list_the_slots_a_duration_fits_in(client):
    book(client, slot(2, 8), hours="1.00")
    book(client, slot(2, 8), hours="1.00")  # both advisors at 08:00
    day = (today() + timedelta(days=2)).isoformat()
    free = client.free_slots({"site_id": SITE, "date": day, "hours": "1.5"})
    assert (free["workshop_free_hours"], free["booked_hours"], free["remaining_hours"]) == ("8.00", "2.00", "6.00")
    assert free["slots"][0] == {"slot_start": slot(2, 8, 30).isoformat(), "advisors_free": 2}
    assert len(free["slots"]) == 19
    assert client.free_slots({"site_id": SITE, "date": day, "hours": "6.5"})["slots"] == []
    with pytest.raises(InvalidInput) as refused:
        client.free_slots({"site_id": SITE, "date": "tomorrow"})
    assert list(refused.value.details) == ["date"]


def test_a_preferred_advisor_takes_one_car_per_slot(client):
    ADVISOR_COUNT[SITE] = 3
    book(client, slot(2, 9), preferred_advisor="zhao.advisor")
    with pytest.raises(Conflict) as refused:
        book(client, slot(2, 9), preferred_advisor="zhao.advisor")
    assert refused.value.details["slot_start"] == [
        f"Advisor zhao.advisor already has an appointment at {slot(2, 9):%Y-%m-%d} 09:00."]
    assert refused.value.details["next_free_slots"][0] == slot(2, 9, 30).isoformat()
    assert book(client, slot(2, 9))["preferred_advisor"] is None


def test_two_replicas_booking_the_last_place_at_once_book_it_once(start_fakes, container_factory, service_config,
                                                                   rpc):
    start_fakes()
    config = service_config("reception")
    for _ in range(2):
        container_factory(ReceptionService, config).start()
    ADVISOR_COUNT[SITE] = 1
    SLOW_ANSWERS["seconds"] = 0.3
    clients = [rpc(caller=ADVISOR).reception for _ in range(3)]
    pending = [clients[i % 3].book_appointment.call_async({
        "site_id": SITE, "vehicle_id": new_vehicle(), "slot_start": slot(2, 11).isoformat(), "channel": "app",
        "services": [{"description": "保养", "hours": "1"}]}) for i in range(6)]
    booked, refused = [], []
    for reply in pending:
        try:
            booked.append(reply.result())
        except Conflict as exc:
            refused.append(exc)
    assert (len(booked), len(refused)) == (1, 5)
    assert all(exc.details["slot_start"][0].startswith("Advisors are full") for exc in refused)
    assert len(clients[0].list_appointments({"site_id": SITE})) == 1


def test_moving_rechecks_capacity_and_keeps_the_history(client, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_MOVED.event_type))
    ADVISOR_COUNT[SITE] = 1
    FREE_HOURS[(SITE, (today() + timedelta(days=3)).isoformat())] = "3.00"
    blocker = book(client, slot(3, 9), hours="2.00")
    appointment = book(client, slot(2, 9), hours="2.00")

    with pytest.raises(Conflict) as advisor_taken:
        client.move_appointment(appointment["appointment_id"], {"slot_start": slot(3, 9).isoformat()})
    assert advisor_taken.value.details["slot_start"][0].startswith("Advisors are full")
    with pytest.raises(Conflict) as workshop_full:
        client.move_appointment(appointment["appointment_id"], {"slot_start": slot(3, 10).isoformat()})
    assert workshop_full.value.details["slot_start"][0].startswith("Workshop is full")
    with pytest.raises(InvalidInput):
        client.move_appointment(appointment["appointment_id"], {"slot_start": slot(3, 10, 15).isoformat()})

    # within its own day it does not compete with itself
    moved = client.move_appointment(appointment["appointment_id"], {"slot_start": slot(2, 14).isoformat(),
                                                                     "reason": "客户下午有空"})
    moved = client.move_appointment(appointment["appointment_id"], {"slot_start": slot(4, 8).isoformat()})
    assert moved["status"] == "moved" and moved["date"] == (today() + timedelta(days=4)).isoformat()
    assert [(at(m["from_slot_start"]), at(m["to_slot_start"]), m["reason"]) for m in moved["moves"]] == [
        (slot(2, 9), slot(2, 14), "客户下午有空"), (slot(2, 14), slot(4, 8), "")]
    assert moved["moves"][0]["moved_by"] == "zhao.advisor"
    event = events.wait_for("appointment_moved", lambda e: at(e["payload"]["slot_start"]) == slot(4, 8))
    assert at(event["payload"]["from_slot_start"]) == slot(2, 14)
    # the place it left is free again
    assert book(client, slot(2, 9), hours="2.00")["status"] == "booked"
    assert client.get_appointment(blocker["appointment_id"])["moves"] == []


def test_cancelling_frees_the_place_and_needs_a_reason(client, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_CANCELLED.event_type))
    ADVISOR_COUNT[SITE] = 1
    appointment = book(client, slot(2, 9))
    with pytest.raises(InvalidInput) as no_reason:
        client.cancel_appointment(appointment["appointment_id"], {})
    assert list(no_reason.value.details) == ["reason"]
    cancelled = client.cancel_appointment(appointment["appointment_id"], {"reason": "客户出差"})
    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["cancelled_by"]) == (
        "cancelled", "客户出差", "zhao.advisor")
    assert events.wait_for("appointment_cancelled")["payload"]["reason"] == "客户出差"
    with pytest.raises(Conflict) as again:
        client.cancel_appointment(appointment["appointment_id"], {"reason": "again"})
    assert list(again.value.details) == ["status"]
    with pytest.raises(Conflict):
        client.move_appointment(appointment["appointment_id"], {"slot_start": slot(2, 10).isoformat()})
    assert book(client, slot(2, 9))["status"] == "booked"
    assert [a["status"] for a in client.list_appointments({"site_id": SITE, "status": "cancelled"})] == ["cancelled"]


def test_a_no_show_only_after_the_grace_period_and_the_regular_pass_marks_the_overdue(
        client, system, reception, rpc, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_NO_SHOW.event_type))
    waiting = book(client, slot(2, 9))
    with pytest.raises(Conflict) as too_early:
        client.mark_no_show(waiting["appointment_id"])
    assert "not late yet" in str(too_early.value)

    late = book(client, slot(2, 10))
    set_slot(reception, late["appointment_id"], datetime.now(SHANGHAI) - timedelta(minutes=31))
    assert client.mark_no_show(late["appointment_id"])["status"] == "no_show"
    with pytest.raises(Conflict):
        client.mark_no_show(late["appointment_id"])

    overdue = book(client, slot(2, 11))
    just_late = book(client, slot(2, 12))
    set_slot(reception, overdue["appointment_id"], datetime.now(SHANGHAI) - timedelta(hours=2))
    set_slot(reception, just_late["appointment_id"], datetime.now(SHANGHAI) - timedelta(minutes=10))
    assert system.mark_overdue_no_shows() == 1
    assert client.get_appointment(overdue["appointment_id"])["status"] == "no_show"
    assert client.get_appointment(just_late["appointment_id"])["status"] == "booked"
    assert system.mark_overdue_no_shows() == 0
    events.wait_for("appointment_no_show", lambda e: e["payload"]["appointment_id"] == overdue["appointment_id"])
    assert len(events.events("appointment_no_show")) == 2
    with pytest.raises(Forbidden):
        rpc(caller=CARE_AGENT).reception.mark_no_show(waiting["appointment_id"])


def test_reminders_go_out_once_for_tomorrows_appointments(client, system, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_REMINDER_DUE.event_type))
    tomorrow_morning = book(client, slot(1, 8))
    tomorrow_evening = book(client, slot(1, 17, 30))
    later = book(client, slot(2, 9))
    cancelled = book(client, slot(1, 9))
    client.cancel_appointment(cancelled["appointment_id"], {"reason": "不来了"})

    assert system.send_appointment_reminders() == 2
    assert system.send_appointment_reminders() == 0
    for appointment in (tomorrow_morning, tomorrow_evening):
        events.wait_for("appointment_reminder_due",
                        lambda e, a=appointment: e["payload"]["appointment_id"] == a["appointment_id"])
        assert client.get_appointment(appointment["appointment_id"])["reminder_sent_at"] is not None
    eventlet.sleep(1.0)
    assert len(events.events("appointment_reminder_due")) == 2
    assert client.get_appointment(later["appointment_id"])["reminder_sent_at"] is None
    reminder = events.events("appointment_reminder_due")[0]["payload"]
    assert reminder["date"] == (today() + timedelta(days=1)).isoformat() and "phone" not in str(reminder)


def test_arrival_through_check_in_marks_the_appointment_arrived(client, reception, subscribe):
    events = subscribe(("reception.events", APPOINTMENT_ARRIVED.event_type))
    vehicle_id = new_vehicle()
    appointment = book(client, slot(1, 9), vehicle_id=vehicle_id)
    set_slot(reception, appointment["appointment_id"], datetime.now(SHANGHAI).replace(second=0, microsecond=0))
    check_in = {"site_id": SITE, "vehicle_id": vehicle_id, "mileage_km": 31000, "concern": "保养",
                "promised_at": (datetime.now(SHANGHAI) + timedelta(hours=4)).isoformat()}

    other = book(client, slot(1, 10))  # another car's appointment
    set_slot(reception, other["appointment_id"], datetime.now(SHANGHAI).replace(second=0, microsecond=0))
    with pytest.raises(InvalidInput) as wrong_car:
        client.check_in({**check_in, "appointment_id": other["appointment_id"]})
    assert list(wrong_car.value.details) == ["appointment_id"]
    with pytest.raises(NotFound) as unknown:
        client.check_in({**check_in, "appointment_id": str(uuid.uuid4())})
    assert list(unknown.value.details) == ["appointment_id"]
    assert client.list_visits({"site_id": SITE}) == []  # nothing kept from the refused check-ins

    visit = client.check_in({**check_in, "appointment_id": appointment["appointment_id"]})
    arrived = client.get_appointment(appointment["appointment_id"])
    assert (arrived["status"], arrived["visit_id"]) == ("arrived", visit["visit_id"])
    event = events.wait_for("appointment_arrived")
    assert (event["payload"]["visit_id"], event["payload"]["appointment_id"]) == (
        visit["visit_id"], appointment["appointment_id"])


def test_an_appointment_for_another_day_cannot_arrive(client):
    vehicle_id = new_vehicle()
    appointment = book(client, slot(2, 9), vehicle_id=vehicle_id)
    with pytest.raises(InvalidInput) as refused:
        client.check_in({"site_id": SITE, "vehicle_id": vehicle_id, "mileage_km": 31000, "concern": "保养",
                         "promised_at": (datetime.now(SHANGHAI) + timedelta(hours=4)).isoformat(),
                         "appointment_id": appointment["appointment_id"]})
    assert "not today" in refused.value.details["appointment_id"][0]
    assert client.get_appointment(appointment["appointment_id"])["status"] == "booked"


def test_listing_narrows_by_vehicle_and_status_and_only_shows_your_sites(client, reception, rpc):
    vehicle_id = new_vehicle()
    mine = book(client, slot(2, 9), vehicle_id=vehicle_id)
    book(client, slot(2, 9))
    assert [a["appointment_id"] for a in client.list_appointments({"vehicle_id": vehicle_id})] == [
        mine["appointment_id"]]
    assert len(client.list_appointments({"status": "booked"})) == 2
    stranger = Caller(user_id="u-x", username="x", roles=frozenset({"service_advisor"}),
                      sites=frozenset({OTHER_SITE}))
    outsider = rpc(caller=stranger).reception
    assert outsider.list_appointments({}) == []
    with pytest.raises(Forbidden):
        outsider.get_appointment(mine["appointment_id"])
    with pytest.raises(NotFound):
        client.get_appointment(str(uuid.uuid4()))

