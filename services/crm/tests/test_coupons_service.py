"""crm's coupons and reminders of declined work, on the real broker and PostgreSQL."""
import random
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from contracts.crm import CUSTOMER_MESSAGE_QUEUED
from contracts.fields import vin_check_digit
from contracts.reception import VEHICLE_DELIVERED
from contracts.workshop import WORK_DECLINED
from crm.models import Base
from crm.service import CrmService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

SITE = "COUPON-1"
ADVISOR = Caller(user_id="u-advisor", username="advisor", roles=frozenset({"service_advisor"}), sites=frozenset({SITE}))
OTHER_ADVISOR = Caller(user_id="u-other", username="other", roles=frozenset({"service_advisor"}),
                       sites=frozenset({"COUPON-2"}))
TECHNICIAN = Caller(user_id="u-tech", username="tech", roles=frozenset({"technician"}), sites=frozenset({SITE}))
AMOUNTS = {"labour": "300.00", "parts": "200.00", "sublet": "0.00"}


@pytest.fixture
def crm(container_factory, service_config):
    container = container_factory(CrmService, service_config("crm", RECOMMENDATION_REMINDER_DAYS=0))
    container.start()
    return container


@pytest.fixture
def advisor(crm, rpc):
    return rpc(caller=ADVISOR).crm


def in_days(days):
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


def new_customer(client):
    return client.create_customer({"site_id": SITE, "name": "王芳",
                                   "phone": "139" + "".join(random.choice("0123456789") for _ in range(8))})


def new_vehicle(client, customer):
    body = "LSV" + "".join(random.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14))
    return client.register_vehicle({"site_id": SITE, "customer_id": customer["customer_id"],
                                    "vin": body[:8] + vin_check_digit(body) + body[9:],
                                    "plate": "沪A" + "".join(random.choice("0123456789") for _ in range(5)),
                                    "model": "帕萨特", "mileage_km": 40_000})


def issue(client, **overrides):
    return client.issue_coupon({"site_id": SITE, "kind": "amount_off", "value": "50.00", "applies_to": "all",
                                "valid_until": in_days(30), **overrides})


def check(client, coupon, customer, amounts=AMOUNTS, invoice_id=None):
    return client.check_coupon({"code": coupon["code"], "customer_id": customer["customer_id"], "site_id": SITE,
                                "invoice_id": invoice_id, "amounts": amounts})


def redeem(client, coupon, customer, invoice_id):
    return client.redeem_coupon({"code": coupon["code"], "invoice_id": invoice_id,
                                 "customer_id": customer["customer_id"], "site_id": SITE})


def test_migrations_build_the_coupon_and_reminder_tables_the_models_describe(databases):
    ours = {"coupons", "recommendation_reminders"}

    def table_of(difference):
        """The table an Alembic difference is about: ("add_table", Table), ("add_index", Index), or a list of
        ("modify_...", schema, table name, column name, ...)."""
        for item in (difference if isinstance(difference, list) else [difference]):
            for part in item:
                table = getattr(part, "table", None)
                name = part if isinstance(part, str) else getattr(table, "name", None) or getattr(part, "name", None)
                if name in ours:
                    return name
        return None

    found = differences("crm:migrations", Base.metadata, databases.fresh_url("crm_coupons_schema"))
    assert [d for d in found if table_of(d)] == []


def test_a_coupon_is_issued_checked_and_redeemed_once(advisor):
    customer = new_customer(advisor)
    coupon = issue(advisor, customer_id=customer["customer_id"], code="spring-50", description="春季保养券")
    assert (coupon["code"], coupon["status"], coupon["issued_by"]) == ("SPRING-50", "issued", "advisor")

    assert check(advisor, coupon, customer)["discount"] == "50.00"
    invoice_id, other_invoice = str(uuid.uuid4()), str(uuid.uuid4())
    used = redeem(advisor, coupon, customer, invoice_id)
    assert (used["status"], used["redeemed_invoice_id"]) == ("redeemed", invoice_id)
    assert redeem(advisor, coupon, customer, invoice_id)["redeemed_invoice_id"] == invoice_id  # harmless again
    with pytest.raises(Conflict) as refused:
        redeem(advisor, coupon, customer, other_invoice)
    assert list(refused.value.details) == ["code"]
    with pytest.raises(InvalidInput):  # used elsewhere: not usable on another invoice
        check(advisor, coupon, customer, invoice_id=other_invoice)
    assert check(advisor, coupon, customer, invoice_id=invoice_id)["discount"] == "50.00"  # its own invoice may

    assert advisor.release_coupon({"code": coupon["code"], "invoice_id": other_invoice})["status"] == "redeemed"
    released = advisor.release_coupon({"code": coupon["code"], "invoice_id": invoice_id})
    assert (released["status"], released["redeemed_invoice_id"]) == ("issued", None)
    assert redeem(advisor, coupon, customer, other_invoice)["redeemed_invoice_id"] == other_invoice


def test_percent_off_labour_only_and_the_minimum_spend(advisor):
    customer = new_customer(advisor)
    labour_coupon = issue(advisor, kind="percent_off", value="15", applies_to="labour")
    assert check(advisor, labour_coupon, customer, {"labour": "333.33", "parts": "200.00"})["discount"] == "50.00"
    demanding = issue(advisor, applies_to="parts", minimum_spend="300.00")
    with pytest.raises(InvalidInput) as refused:
        check(advisor, demanding, customer)
    assert "300.00" in refused.value.details["code"][0]


def test_a_coupon_outside_its_dates_or_for_someone_else_is_refused_naming_the_code(advisor):
    customer, someone_else = new_customer(advisor), new_customer(advisor)
    for coupon, reason in (
            (issue(advisor, valid_from=in_days(1), valid_until=in_days(5)), "Not valid before"),
            (issue(advisor, customer_id=someone_else["customer_id"]), "another customer")):
        with pytest.raises(InvalidInput) as refused:
            check(advisor, coupon, customer)
        assert reason in refused.value.details["code"][0]
    with pytest.raises(InvalidInput) as refused:
        check(advisor, {"code": "NO-SUCH"}, customer)
    assert list(refused.value.details) == ["code"]


def test_bad_coupons_are_refused_and_nothing_is_issued(advisor):
    customer = new_customer(advisor)
    for overrides, field in (({"kind": "percent_off", "value": "120"}, "value"),
                             ({"valid_until": in_days(-1)}, "valid_until"),
                             ({"kind": "half_price"}, "kind"), ({"value": "0"}, "value"),
                             ({"applies_to": "tyres"}, "applies_to")):
        with pytest.raises(InvalidInput) as refused:
            issue(advisor, customer_id=customer["customer_id"], **overrides)
        assert field in refused.value.details
    assert [c for c in advisor.list_coupons({"customer_id": customer["customer_id"]}) if c["customer_id"]] == []
    issue(advisor, code="ONCE-ONLY")
    with pytest.raises(Conflict):
        issue(advisor, code="once-only")


def test_a_customers_coupons_are_their_own_and_the_sites_general_ones(advisor, rpc):
    customer, other = new_customer(advisor), new_customer(advisor)
    own = issue(advisor, customer_id=customer["customer_id"])
    general = issue(advisor)
    theirs = issue(advisor, customer_id=other["customer_id"])
    listed = {c["coupon_id"] for c in advisor.list_coupons({"customer_id": customer["customer_id"]})}
    assert {own["coupon_id"], general["coupon_id"]} <= listed and theirs["coupon_id"] not in listed
    with pytest.raises(Forbidden):
        rpc(caller=TECHNICIAN).crm.issue_coupon({"site_id": SITE, "kind": "amount_off", "value": "5.00",
                                                 "valid_until": in_days(3)})
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_ADVISOR).crm.list_coupons({"customer_id": customer["customer_id"]})


def declined(vehicle, description):
    return {"repair_order_id": str(uuid.uuid4()), "visit_id": str(uuid.uuid4()), "customer_id": vehicle["customer_id"],
            "vehicle_id": vehicle["vehicle_id"], "mileage_km": 40_000,
            "declined_at": datetime.now(timezone.utc).isoformat(),
            "lines": [{"line_id": str(uuid.uuid4()), "kind": "part", "code": "WB-600", "description": description,
                       "amount": "120.00", "pay_type": "customer"}]}


def delivered(vehicle, visit_id):
    now = datetime.now(timezone.utc).isoformat()
    return {"visit_id": visit_id, "repair_order_id": str(uuid.uuid4()), "customer_id": vehicle["customer_id"],
            "vehicle_id": vehicle["vehicle_id"], "delivered_at": now, "promised_at": now, "promised_time_kept": True,
            "labour_total": "300.00", "parts_total": "0.00", "total": "300.00", "currency": "CNY"}


def handled(crm, event_id):
    engine = create_engine_for(crm.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM processed_events WHERE event_id = :e"), {"e": event_id}).first()
    finally:
        engine.dispose()


def test_declined_work_is_reminded_of_once_per_delivered_visit(crm, advisor, rpc, publish_event, subscribe):
    messages = subscribe(("crm.events", CUSTOMER_MESSAGE_QUEUED.event_type))
    vehicle = new_vehicle(advisor, new_customer(advisor))
    sent = publish_event(WORK_DECLINED, declined(vehicle, "雨刮片"), site_id=SITE)
    wait_until(lambda: handled(crm, sent["event_id"]), message="declined work kept")
    visit_id = str(uuid.uuid4())
    first = publish_event(VEHICLE_DELIVERED, delivered(vehicle, visit_id), site_id=SITE)
    again = publish_event(VEHICLE_DELIVERED, delivered(vehicle, visit_id), site_id=SITE)  # announced twice
    wait_until(lambda: handled(crm, first["event_id"]) and handled(crm, again["event_id"]), message="deliveries")

    [reminder] = advisor.list_recommendation_reminders({"vehicle_id": vehicle["vehicle_id"]})
    assert (reminder["visit_id"], reminder["status"]) == (visit_id, "scheduled")
    assert "雨刮片" in reminder["text"] and len(reminder["recommendation_ids"]) == 1

    plain = new_vehicle(advisor, new_customer(advisor))  # nothing declined: nothing to remind of
    quiet = publish_event(VEHICLE_DELIVERED, delivered(plain, str(uuid.uuid4())), site_id=SITE)
    wait_until(lambda: handled(crm, quiet["event_id"]), message="delivery without declined work")
    assert advisor.list_recommendation_reminders({"vehicle_id": plain["vehicle_id"]}) == []

    with pytest.raises(Forbidden):
        advisor.send_due_reminders()
    assert rpc().crm.send_due_reminders()["sent"] >= 1  # due at once: RECOMMENDATION_REMINDER_DAYS is 0 here
    [reminder] = advisor.list_recommendation_reminders({"vehicle_id": vehicle["vehicle_id"]})
    assert reminder["status"] == "sent" and reminder["sent_at"] is not None
    told = messages.wait_for("customer_message_queued", lambda e: e["payload"]["vehicle_id"] == vehicle["vehicle_id"])
    assert told["payload"]["topic"] == "recommendation_reminder" and "雨刮片" in told["payload"]["text"]
