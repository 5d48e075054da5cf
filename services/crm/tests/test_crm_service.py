"""The crm service on the real broker and PostgreSQL."""
import random
import uuid
from datetime import datetime, timedelta, timezone

import eventlet
import pytest
from sqlalchemy import select

from contracts.crm import CUSTOMER_MESSAGE_QUEUED, CUSTOMER_REGISTERED, FOLLOW_UP_SCHEDULED, VEHICLE_REGISTERED
from contracts.fields import vin_check_digit
from contracts.reception import APPOINTMENT_REMINDER_DUE, VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from contracts.workshop import REPAIR_ORDER_STATUS_CHANGED, WORK_DECLINED
from crm.models import Base
from crm.service import CrmService
from svckit.auth import Caller
from svckit.db import PROCESSED_EVENTS, create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

SITE = "SITE-1"
OTHER_SITE = "SITE-2"
VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

ADVISOR = Caller(user_id="u-advisor", username="advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
CARE_AGENT = Caller(user_id="u-care", username="care", roles=frozenset({"customer_care"}), sites=frozenset({SITE}))
OTHER_SITE_ADVISOR = Caller(user_id="u-other", username="other", roles=frozenset({"service_advisor"}),
                            sites=frozenset({OTHER_SITE}))
TECHNICIAN = Caller(user_id="u-tech", username="tech", roles=frozenset({"technician"}), sites=frozenset({SITE}))


def new_vin():
    body = "LSV" + "".join(random.choice(VIN_CHARACTERS) for _ in range(14))
    return body[:8] + vin_check_digit(body) + body[9:]


def new_phone():
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


def new_plate():
    return "沪A" + "".join(random.choice("0123456789") for _ in range(5))


@pytest.fixture
def crm(container_factory, service_config):
    container = container_factory(CrmService, service_config("crm"))
    container.start()
    return container


@pytest.fixture
def system(crm, rpc):
    return rpc().crm


@pytest.fixture
def advisor(crm, rpc):
    return rpc(caller=ADVISOR).crm


def new_customer(client, site_id=SITE, phone=None, contact_consent=True):
    return client.create_customer({"site_id": site_id, "name": "王芳", "phone": phone or new_phone(),
                                   "email": "wang.fang@example.cn", "contact_consent": contact_consent})


def new_vehicle(client, customer, vin=None, plate=None, mileage_km=42_000):
    return client.register_vehicle({"site_id": customer["site_id"], "customer_id": customer["customer_id"],
                                    "vin": vin or new_vin(), "plate": plate or new_plate(), "model": "帕萨特 330TSI",
                                    "mileage_km": mileage_km})


def handled(container, event_id):
    """Whether crm has handled the event (its consumer claimed it in crm's database)."""
    engine = create_engine_for(container.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            table = Base.metadata.tables[PROCESSED_EVENTS]
            return conn.execute(select(table.c.event_id).where(table.c.event_id == event_id)).first() is not None
    finally:
        engine.dispose()


def checked_in(vehicle, mileage_km):
    now = datetime.now(timezone.utc)
    return {
        "visit_id": str(uuid.uuid4()), "customer_id": vehicle["customer_id"], "vehicle_id": vehicle["vehicle_id"],
        "vin": vehicle["vin"], "plate": vehicle["plate"], "mileage_km": mileage_km, "concern": "刹车异响",
        "walk_around_notes": "", "promised_at": (now + timedelta(hours=4)).isoformat(),
        "checked_in_at": now.isoformat(), "advisor": "advisor",
    }


def delivered(vehicle, delivered_at, visit_id=None):
    return {
        "visit_id": visit_id or str(uuid.uuid4()), "repair_order_id": str(uuid.uuid4()),
        "customer_id": vehicle["customer_id"], "vehicle_id": vehicle["vehicle_id"],
        "delivered_at": delivered_at.isoformat(), "promised_at": delivered_at.isoformat(),
        "promised_time_kept": True, "labour_total": "300.00", "parts_total": "120.00", "total": "420.00",
        "currency": "CNY",
    }


def test_migrations_build_what_the_models_describe(databases):
    assert differences("crm:migrations", Base.metadata, databases.fresh_url("crm_schema")) == []


# --- customers ---

def test_customer_registered_and_announced_without_contact_details(advisor, subscribe):
    events = subscribe(("crm.events", CUSTOMER_REGISTERED.event_type))
    phone = new_phone()
    customer = new_customer(advisor, phone=phone)
    assert customer["site_id"] == SITE
    assert customer["phone"] == phone
    assert customer["contact_consent"] is True
    assert advisor.get_customer(customer["customer_id"]) == customer

    announced = events.wait_for("customer_registered", lambda e: e["payload"]["customer_id"] == customer["customer_id"])
    assert announced["payload"] == {"customer_id": customer["customer_id"], "name": "王芳"}
    assert announced["site_id"] == SITE
    assert phone not in str(announced) and "example.cn" not in str(announced)


def test_customer_care_may_register_customers(crm, rpc):
    customer = new_customer(rpc(caller=CARE_AGENT).crm, contact_consent=False)
    assert customer["contact_consent"] is False


def test_one_phone_number_is_one_customer_per_site(advisor, system):
    phone = new_phone()
    first = new_customer(advisor, phone=phone)
    with pytest.raises(Conflict) as refused:
        new_customer(advisor, phone="+86 " + phone)  # the same number, written differently
    assert set(refused.value.details) == {"phone"}
    assert phone not in refused.value.message

    elsewhere = new_customer(system, site_id=OTHER_SITE, phone=phone)
    assert elsewhere["customer_id"] != first["customer_id"]


def test_bad_customer_input_names_each_field_and_changes_nothing(advisor):
    with pytest.raises(InvalidInput) as refused:
        advisor.create_customer({"site_id": SITE, "name": "", "phone": "12345", "email": "not-an-address"})
    assert set(refused.value.details) == {"name", "phone", "email"}

    phone = new_phone()
    with pytest.raises(InvalidInput) as refused:
        advisor.create_customer({"site_id": SITE, "name": "王芳", "phone": phone, "email": "not-an-address"})
    assert set(refused.value.details) == {"email"}
    new_customer(advisor, phone=phone)  # no Conflict: the refused customer was not stored


def test_customers_are_seen_and_registered_only_by_their_sites_staff(advisor, crm, rpc):
    customer = new_customer(advisor)
    other = rpc(caller=OTHER_SITE_ADVISOR).crm
    with pytest.raises(Forbidden):
        other.get_customer(customer["customer_id"])
    with pytest.raises(Forbidden):
        new_customer(other, site_id=SITE)
    with pytest.raises(Forbidden) as refused:
        new_customer(rpc(caller=TECHNICIAN).crm)
    assert "roles" in refused.value.details


def test_unknown_customer_is_not_found(advisor):
    with pytest.raises(NotFound) as refused:
        advisor.get_customer(str(uuid.uuid4()))
    assert set(refused.value.details) == {"customer_id"}


# --- vehicles ---

def test_vehicle_registered_and_announced(advisor, subscribe):
    events = subscribe(("crm.events", VEHICLE_REGISTERED.event_type))
    customer = new_customer(advisor)
    vin = new_vin()
    vehicle = new_vehicle(advisor, customer, vin=vin.lower(), plate="粤B D12345", mileage_km=15_300)
    assert (vehicle["vin"], vehicle["plate"], vehicle["mileage_km"]) == (vin, "粤BD12345", 15_300)
    assert vehicle["customer_id"] == customer["customer_id"]
    assert advisor.get_vehicle(vehicle["vehicle_id"]) == vehicle

    announced = events.wait_for("vehicle_registered", lambda e: e["payload"]["vehicle_id"] == vehicle["vehicle_id"])
    assert announced["payload"] == {"vehicle_id": vehicle["vehicle_id"], "customer_id": customer["customer_id"],
                                    "vin": vin, "plate": "粤BD12345", "model": "帕萨特 330TSI", "mileage_km": 15_300}
    assert announced["site_id"] == SITE


def test_a_vin_is_registered_once_in_the_whole_group(advisor, system):
    vin = new_vin()
    new_vehicle(advisor, new_customer(advisor), vin=vin)
    with pytest.raises(Conflict) as refused:
        new_vehicle(system, new_customer(system, site_id=OTHER_SITE), vin=vin)
    assert set(refused.value.details) == {"vin"}


def test_a_vehicle_needs_a_known_customer_of_the_callers_sites(advisor, crm, rpc):
    with pytest.raises(NotFound) as refused:
        advisor.register_vehicle({"site_id": SITE, "customer_id": str(uuid.uuid4()), "vin": new_vin(),
                                  "plate": new_plate(), "model": "Model Y", "mileage_km": 0})
    assert set(refused.value.details) == {"customer_id"}

    customer = new_customer(advisor)
    other = rpc(caller=OTHER_SITE_ADVISOR).crm
    with pytest.raises(Forbidden):
        other.register_vehicle({"site_id": OTHER_SITE, "customer_id": customer["customer_id"], "vin": new_vin(),
                                "plate": new_plate(), "model": "Model Y", "mileage_km": 0})
    with pytest.raises(Forbidden):
        new_vehicle(rpc(caller=TECHNICIAN).crm, customer)


def test_bad_vehicle_input_names_each_field_and_changes_nothing(advisor):
    customer = new_customer(advisor)
    vin = new_vin()
    wrong_check_digit = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
    with pytest.raises(InvalidInput) as refused:
        advisor.register_vehicle({"site_id": SITE, "customer_id": customer["customer_id"], "vin": wrong_check_digit,
                                  "plate": "AB12345", "model": "", "mileage_km": -1})
    assert set(refused.value.details) == {"vin", "plate", "model", "mileage_km"}

    plate = new_plate()
    with pytest.raises(InvalidInput) as refused:
        new_vehicle(advisor, customer, vin=wrong_check_digit, plate=plate)
    assert set(refused.value.details) == {"vin"}
    assert advisor.search_vehicles({"plate": plate}) == []


def test_vehicles_of_other_sites_stay_hidden(advisor, system, crm, rpc):
    vehicle = new_vehicle(advisor, new_customer(advisor))
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_SITE_ADVISOR).crm.get_vehicle(vehicle["vehicle_id"])
    with pytest.raises(NotFound) as refused:
        advisor.get_vehicle(str(uuid.uuid4()))
    assert set(refused.value.details) == {"vehicle_id"}


def test_search_vehicles_by_plate_vin_or_both_on_the_callers_sites(advisor, system):
    plate = new_plate()
    mine = new_vehicle(advisor, new_customer(advisor), plate=plate)
    theirs = new_vehicle(system, new_customer(system, site_id=OTHER_SITE), plate=plate)  # the plate moved on

    assert advisor.search_vehicles({"plate": plate}) == [mine]
    assert advisor.search_vehicles({"vin": mine["vin"]}) == [mine]
    assert advisor.search_vehicles({"plate": plate, "vin": mine["vin"]}) == [mine]
    assert advisor.search_vehicles({"plate": plate, "vin": theirs["vin"]}) == []
    assert advisor.search_vehicles({"vin": theirs["vin"]}) == []
    assert [v["vehicle_id"] for v in system.search_vehicles({"plate": plate})] == [mine["vehicle_id"],
                                                                                   theirs["vehicle_id"]]


def test_search_vehicles_needs_a_plate_or_a_vin(advisor):
    with pytest.raises(InvalidInput) as refused:
        advisor.search_vehicles({})
    assert set(refused.value.details) == {"_schema"}
    with pytest.raises(InvalidInput) as refused:
        advisor.search_vehicles({"plate": "沪A1234"})
    assert set(refused.value.details) == {"plate"}


def test_check_in_raises_the_recorded_mileage_but_never_lowers_it(crm, advisor, publish_event):
    vehicle = new_vehicle(advisor, new_customer(advisor), mileage_km=42_000)

    sent = publish_event(VEHICLE_CHECKED_IN, checked_in(vehicle, 45_310), site_id=SITE)
    wait_until(lambda: advisor.get_vehicle(vehicle["vehicle_id"])["mileage_km"] == 45_310,
               message="mileage raised")

    lower = publish_event(VEHICLE_CHECKED_IN, checked_in(vehicle, 4_531), site_id=SITE)  # a typo at the desk
    wait_until(lambda: handled(crm, lower["event_id"]), message="lower reading handled")
    assert advisor.get_vehicle(vehicle["vehicle_id"])["mileage_km"] == 45_310

    publish_event(VEHICLE_CHECKED_IN, checked_in(vehicle, 45_310), site_id=SITE, event_id=sent["event_id"])
    eventlet.sleep(0.5)
    assert advisor.get_vehicle(vehicle["vehicle_id"])["mileage_km"] == 45_310


# --- follow-up calls ---

def test_delivery_schedules_one_follow_up_call_three_days_later(crm, advisor, publish_event, subscribe):
    events = subscribe(("crm.events", FOLLOW_UP_SCHEDULED.event_type))
    vehicle = new_vehicle(advisor, new_customer(advisor))
    delivered_at = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
    payload = delivered(vehicle, delivered_at)

    sent = publish_event(VEHICLE_DELIVERED, payload, site_id=SITE)
    announced = events.wait_for("follow_up_scheduled", lambda e: e["payload"]["visit_id"] == payload["visit_id"])
    assert announced["correlation_id"] == sent["correlation_id"]
    assert announced["site_id"] == SITE
    scheduled = announced["payload"]
    assert datetime.fromisoformat(scheduled.pop("due_at")) == delivered_at + timedelta(days=3)
    assert scheduled == {"follow_up_id": scheduled["follow_up_id"], "customer_id": vehicle["customer_id"],
                         "vehicle_id": vehicle["vehicle_id"], "visit_id": payload["visit_id"], "channel": "phone",
                         "reason": "Post-service follow-up call"}

    [follow_up] = advisor.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]})
    assert follow_up["follow_up_id"] == scheduled["follow_up_id"]
    assert (follow_up["status"], follow_up["site_id"], follow_up["channel"]) == ("scheduled", SITE, "phone")
    assert datetime.fromisoformat(follow_up["due_at"]) == delivered_at + timedelta(days=3)

    publish_event(VEHICLE_DELIVERED, payload, site_id=SITE, event_id=sent["event_id"])  # redelivered
    again = publish_event(VEHICLE_DELIVERED, payload, site_id=SITE)  # or announced twice
    wait_until(lambda: handled(crm, again["event_id"]), message="second announcement handled")
    eventlet.sleep(0.5)
    assert len(advisor.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]})) == 1
    assert len(events.events("follow_up_scheduled")) == 1


def test_follow_up_delay_comes_from_the_config(container_factory, service_config, rpc, publish_event):
    container_factory(CrmService, service_config("crm", FOLLOW_UP_DELAY_DAYS=7)).start()
    client = rpc().crm
    vehicle = new_vehicle(client, new_customer(client))
    delivered_at = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
    publish_event(VEHICLE_DELIVERED, delivered(vehicle, delivered_at), site_id=SITE)
    [follow_up] = wait_until(lambda: client.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]}),
                             message="follow-up recorded")
    assert datetime.fromisoformat(follow_up["due_at"]) == delivered_at + timedelta(days=7)


def test_a_customer_who_declined_calls_gets_a_cancelled_follow_up_and_no_call(
        crm, advisor, publish_event, subscribe):
    events = subscribe(("crm.events", FOLLOW_UP_SCHEDULED.event_type))
    vehicle = new_vehicle(advisor, new_customer(advisor, contact_consent=False))
    sent = publish_event(VEHICLE_DELIVERED, delivered(vehicle, datetime.now(timezone.utc)), site_id=SITE)
    wait_until(lambda: handled(crm, sent["event_id"]), message="delivery handled")

    [follow_up] = advisor.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]})
    assert follow_up["status"] == "cancelled"
    eventlet.sleep(0.5)  # the outbox relay would have published by now
    assert events.events("follow_up_scheduled") == []


def test_follow_ups_are_listed_newest_due_first_filtered_and_only_for_the_callers_sites(
        crm, advisor, system, rpc, publish_event):
    vehicle = new_vehicle(advisor, new_customer(advisor))
    declined = new_vehicle(advisor, new_customer(advisor, contact_consent=False))
    elsewhere = new_vehicle(system, new_customer(system, site_id=OTHER_SITE))
    first = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
    sent = [
        publish_event(VEHICLE_DELIVERED, delivered(vehicle, first), site_id=SITE),
        publish_event(VEHICLE_DELIVERED, delivered(vehicle, first + timedelta(days=30)), site_id=SITE),
        publish_event(VEHICLE_DELIVERED, delivered(declined, first + timedelta(days=10)), site_id=SITE),
        publish_event(VEHICLE_DELIVERED, delivered(elsewhere, first + timedelta(days=20)), site_id=OTHER_SITE),
    ]
    wait_until(lambda: all(handled(crm, s["event_id"]) for s in sent), message="deliveries handled")

    def visits(follow_ups):
        return [f["visit_id"] for f in follow_ups]

    visit = [s["payload"]["visit_id"] for s in sent]
    assert visits(advisor.list_follow_ups({})) == [visit[1], visit[2], visit[0]]
    assert visits(advisor.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]})) == [visit[1], visit[0]]
    assert visits(advisor.list_follow_ups({"status": "cancelled"})) == [visit[2]]
    assert visits(advisor.list_follow_ups({"site_id": SITE, "status": "scheduled"})) == [visit[1], visit[0]]
    assert visits(system.list_follow_ups({})) == [visit[1], visit[3], visit[2], visit[0]]

    other = rpc(caller=OTHER_SITE_ADVISOR).crm
    assert visits(other.list_follow_ups({})) == [visit[3]]
    assert other.list_follow_ups({"vehicle_id": vehicle["vehicle_id"]}) == []
    with pytest.raises(Forbidden):
        other.list_follow_ups({"site_id": SITE})
    with pytest.raises(InvalidInput) as refused:
        advisor.list_follow_ups({"status": "forgotten", "vehicle_id": "42"})
    assert set(refused.value.details) == {"status", "vehicle_id"}


# --- messages to customers ---

PROMISED = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)  # 17:30 in China


def status_changed(vehicle, to_status, reason=None):
    return {"repair_order_id": str(uuid.uuid4()), "visit_id": str(uuid.uuid4()), "vehicle_id": vehicle["vehicle_id"],
            "from_status": "approved", "to_status": to_status, "by": "tech1", "reason": reason,
            "at": datetime.now(timezone.utc).isoformat(), "promised_at": PROMISED.isoformat()}


def test_a_status_change_queues_one_message_for_the_sms_gateway_even_when_delivered_twice(
        crm, rpc, publish_event, subscribe):
    events = subscribe(("crm.events", CUSTOMER_MESSAGE_QUEUED.event_type))
    advisor = rpc(caller=ADVISOR).crm
    vehicle = new_vehicle(advisor, new_customer(advisor))
    payload = status_changed(vehicle, "in_progress")
    sent = publish_event(REPAIR_ORDER_STATUS_CHANGED, payload, site_id=SITE)
    publish_event(REPAIR_ORDER_STATUS_CHANGED, payload, site_id=SITE, event_id=sent["event_id"])  # redelivered

    queued = events.wait_for("customer_message_queued",
                             lambda e: e["payload"]["repair_order_id"] == payload["repair_order_id"])
    assert queued["payload"]["customer_id"] == vehicle["customer_id"]
    assert queued["payload"]["text"] == f"您的爱车{vehicle['plate']}已开始维修，预计11-26 17:30完工。"
    assert "phone" not in queued["payload"]
    eventlet.sleep(0.5)
    [message] = advisor.list_customer_messages({"repair_order_id": payload["repair_order_id"]})
    assert (message["topic"], message["status"], message["channel"]) == ("status:in_progress", "queued", "sms")


def test_no_message_for_internal_steps_refused_consent_or_an_unknown_car(
        crm, rpc, publish_event, subscribe):
    events = subscribe(("crm.events", CUSTOMER_MESSAGE_QUEUED.event_type))
    advisor = rpc(caller=ADVISOR).crm
    vehicle = new_vehicle(advisor, new_customer(advisor))
    quiet = new_vehicle(advisor, new_customer(advisor, contact_consent=False))
    internal = publish_event(REPAIR_ORDER_STATUS_CHANGED, status_changed(vehicle, "completed"), site_id=SITE)
    refused = status_changed(quiet, "ready_for_delivery")
    suppressed = publish_event(REPAIR_ORDER_STATUS_CHANGED, refused, site_id=SITE)
    unknown = publish_event(REPAIR_ORDER_STATUS_CHANGED, status_changed({"vehicle_id": str(uuid.uuid4())},
                                                                       "in_progress"), site_id=SITE)
    wait_until(lambda: all(handled(crm, e["event_id"]) for e in (internal, suppressed, unknown)),
               message="status changes handled")
    eventlet.sleep(0.5)
    assert events.events("customer_message_queued") == []
    assert advisor.list_customer_messages({"vehicle_id": vehicle["vehicle_id"]}) == []
    [kept] = advisor.list_customer_messages({"vehicle_id": quiet["vehicle_id"]})
    assert (kept["status"], kept["repair_order_id"]) == ("suppressed", refused["repair_order_id"])


# --- declined work kept as recommendations ---

def declined_work(vehicle, lines):
    return {"repair_order_id": str(uuid.uuid4()), "visit_id": str(uuid.uuid4()), "customer_id": vehicle["customer_id"],
            "vehicle_id": vehicle["vehicle_id"], "mileage_km": 52_000, "declined_at": datetime.now(timezone.utc).isoformat(),
            "lines": lines}


def declined_line(kind, code, description, amount):
    return {"line_id": str(uuid.uuid4()), "kind": kind, "code": code, "description": description,
            "amount": amount, "pay_type": "customer"}


def test_declined_work_is_kept_on_the_vehicle_once_even_when_declined_again(crm, rpc, publish_event):
    advisor = rpc(caller=ADVISOR).crm
    vehicle = new_vehicle(advisor, new_customer(advisor))
    brakes = declined_line("labour", "BRK-PAD-F", "更换前刹车片", "450.00")
    wipers = declined_line("part", "WB-600", "雨刮片", "120.00")
    first = publish_event(WORK_DECLINED, declined_work(vehicle, [brakes, wipers]), site_id=SITE)
    again = publish_event(WORK_DECLINED, declined_work(vehicle, [brakes]), site_id=SITE)
    wait_until(lambda: handled(crm, first["event_id"]) and handled(crm, again["event_id"]),
               message="declined work handled")

    kept = advisor.list_recommendations({"vehicle_id": vehicle["vehicle_id"]})
    assert sorted((r["kind"], r["code"], r["amount"], r["mileage_km"], r["status"]) for r in kept) == [
        ("labour", "BRK-PAD-F", "450.00", 52_000, "open"), ("part", "WB-600", "120.00", 52_000, "open")]
    assert {r["customer_id"] for r in kept} == {vehicle["customer_id"]}


def test_recommendations_of_another_sites_vehicle_are_refused(crm, rpc, system):
    elsewhere = new_vehicle(system, new_customer(system, site_id=OTHER_SITE))
    with pytest.raises(Forbidden):
        rpc(caller=ADVISOR).crm.list_recommendations({"vehicle_id": elsewhere["vehicle_id"]})


def test_an_appointment_reminder_is_queued_as_a_message_to_the_customer(crm, rpc, publish_event):
    advisor = rpc(caller=ADVISOR).crm
    vehicle = new_vehicle(advisor, new_customer(advisor))
    appointment_id = str(uuid.uuid4())
    sent = publish_event(APPOINTMENT_REMINDER_DUE, {
        "appointment_id": appointment_id, "customer_id": vehicle["customer_id"], "vehicle_id": vehicle["vehicle_id"],
        "slot_start": PROMISED.isoformat(), "date": "2026-11-26", "hours": "1.5",
        "services": [{"operation_code": None, "description": "小保养", "hours": "1.5"}], "preferred_advisor": None,
        "status": "booked"}, site_id=SITE)
    wait_until(lambda: handled(crm, sent["event_id"]), message="reminder handled")
    [message] = advisor.list_customer_messages({"vehicle_id": vehicle["vehicle_id"]})
    assert message["topic"] == "appointment_reminder"
    assert "明天11-26 17:30" in message["text"] and "小保养" in message["text"]
