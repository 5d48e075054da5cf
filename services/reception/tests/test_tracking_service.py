"""The customer's tracking link on the real broker and PostgreSQL, with stand-ins for crm and workshop.

The link's calls come in as the platform itself (no user: the gateway's public routes), as here through `rpc()`.
"""
import hashlib
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from nameko.rpc import rpc as rpc_entrypoint
from sqlalchemy import text

from contracts.fields import vin_check_digit
from contracts.reception import TRACKING_LINK_ISSUED
from contracts.workshop import REPAIR_ORDER_OPENED
from reception.models import Base
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

from reception.service import ReceptionService

SITE = "TRK-1"
BASE_URL = "https://track.example.cn/t/"
ADVISOR = Caller(user_id="u-zhao", username="zhao.advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
OTHER_ADVISOR = Caller(user_id="u-qian", username="qian.advisor", roles=frozenset({"service_advisor"}),
                       sites=frozenset({"TRK-2"}))
TECHNICIAN = Caller(user_id="u-sun", username="sun.tech", roles=frozenset({"technician"}), sites=frozenset({SITE}))

VEHICLES = {}
REPAIR_ORDERS = {}
APPROVALS = []  # (repair_order_id, payload, caller user id) as the fake workshop received them


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
        if repair_order_id not in REPAIR_ORDERS:
            raise NotFound(f"No repair order {repair_order_id}.", {"repair_order_id": ["Unknown."]})
        return REPAIR_ORDERS[repair_order_id]

    @rpc_entrypoint
    def approve(self, repair_order_id, payload):
        APPROVALS.append((repair_order_id, payload))
        order = REPAIR_ORDERS[repair_order_id]
        for key in ("labour_lines", "part_lines", "sublet_lines"):
            for line in order[key]:
                if line["line_id"] in payload["approved_line_ids"]:
                    line["approval"] = "approved"
                elif line["line_id"] in payload["declined_line_ids"]:
                    line["approval"] = "declined"
        order["status"] = "approved"
        order["customer_total"] = "300.00"
        return order


@pytest.fixture
def reception(container_factory, service_config, broker):
    for fake in (FakeCrm, FakeWorkshop):
        container_factory(fake, {"AMQP_URI": broker.uri}).start()
    container = container_factory(ReceptionService, service_config(
        "reception", TRACKING_BASE_URL=BASE_URL, TRACKING_LINK_DAYS=7))
    container.start()
    return container


@pytest.fixture
def advisor(reception, rpc):
    return rpc(caller=ADVISOR).reception


@pytest.fixture
def public(reception, rpc):
    """Reception as the gateway's public routes call it: no user, the platform's SYSTEM caller."""
    return rpc().reception


@pytest.fixture
def database(reception):
    engine = create_engine_for(reception.config["DATABASE_URL"])
    yield engine
    engine.dispose()


def valid_vin(seed):
    vin = f"LFV3A2{seed % 10**11:011d}"
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def check_in(advisor, plate="沪A12345"):
    vehicle_id = str(uuid.uuid4())
    VEHICLES[vehicle_id] = {
        "vehicle_id": vehicle_id, "site_id": SITE, "customer_id": str(uuid.uuid4()),
        "vin": valid_vin(uuid.UUID(vehicle_id).int), "plate": plate, "model": "迈腾 380TSI", "mileage_km": 30000,
    }
    return advisor.check_in({
        "site_id": SITE, "vehicle_id": vehicle_id, "mileage_km": 30500, "concern": "空调不制冷",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=6)).isoformat()})


def token_of(link):
    assert link["url"].startswith(BASE_URL)
    return link["url"][len(BASE_URL):]


def quoted_order(visit):
    repair_order_id = str(uuid.uuid4())
    line = lambda **kw: {"line_id": str(uuid.uuid4()), "approval": "pending", "pay_type": "customer", **kw}  # noqa: E731
    REPAIR_ORDERS[repair_order_id] = {
        "repair_order_id": repair_order_id, "visit_id": visit["visit_id"], "customer_id": visit["customer_id"],
        "status": "awaiting_approval", "customer_total": "0.00",
        "labour_lines": [line(description="检修空调系统", amount="300.00", technician_id=str(uuid.uuid4()))],
        "part_lines": [line(description="空调滤芯", quantity="1.00", amount="88.00", part_number="AC-1")],
        "sublet_lines": [],
    }
    return REPAIR_ORDERS[repair_order_id]


def open_quoted_order(advisor, publish_event, visit):
    order = quoted_order(visit)
    publish_event(REPAIR_ORDER_OPENED, {
        "repair_order_id": order["repair_order_id"], "visit_id": visit["visit_id"],
        "customer_id": visit["customer_id"], "vehicle_id": visit["vehicle_id"], "concern": visit["concern"],
        "promised_at": visit["promised_at"]}, site_id=SITE)
    wait_until(lambda: advisor.get_visit(visit["visit_id"])["repair_order_id"] == order["repair_order_id"],
               message="repair order recorded")
    return order


def deliver_in_the_past(database, visit, days_ago):
    with database.begin() as conn:
        conn.execute(text("UPDATE visits SET status = 'delivered', delivered_at = :at WHERE id = :id"),
                     {"at": datetime.now(timezone.utc) - timedelta(days=days_ago), "id": visit["visit_id"]})


def test_the_tracking_links_migration_builds_what_the_model_describes(databases):
    found = differences("reception:migrations", Base.metadata, databases.fresh_url("reception_tracking_schema"))
    assert [d for d in found if "tracking_links" in repr(d)] == []


def test_check_in_issues_a_link_kept_only_as_a_digest_and_announced_without_it(
        advisor, public, subscribe, database):
    events = subscribe(("reception.events", TRACKING_LINK_ISSUED.event_type))
    visit = check_in(advisor, plate="沪A88888")

    token = token_of(visit["tracking_link"])  # the check-in answer shows the first link, once
    assert (visit["tracking_link"]["visit_id"], visit["tracking_link"]["expires_at"]) == (visit["visit_id"], None)
    assert public.track_visit(token)["plate"] == "沪A88888"

    issued = events.wait_for("tracking_link_issued", lambda e: e["payload"]["visit_id"] == visit["visit_id"])
    assert issued["site_id"] == SITE
    assert set(issued["payload"]) == {"visit_id", "customer_id", "issued_at", "expires_at", "reissued"}
    assert (issued["payload"]["customer_id"], issued["payload"]["expires_at"], issued["payload"]["reissued"]) == (
        visit["customer_id"], None, False)
    with database.connect() as conn:
        row = conn.execute(text("SELECT token_sha256, issued_by, times_issued FROM tracking_links "
                                "WHERE visit_id = :v"), {"v": visit["visit_id"]}).one()
    assert row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert (row.issued_by, row.times_issued) == ("zhao.advisor", 1)
    assert token not in repr(issued)


def test_the_advisor_gets_a_new_link_and_the_one_before_stops_working(advisor, public, subscribe, database):
    events = subscribe(("reception.events", TRACKING_LINK_ISSUED.event_type))
    visit = check_in(advisor, plate="沪B6789D")

    first = advisor.reissue_tracking_link(visit["visit_id"])
    assert (first["visit_id"], first["expires_at"]) == (visit["visit_id"], None)
    first_token = token_of(first)
    assert len(first_token) == 43
    assert public.track_visit(first_token)["plate"] == "沪B6789D"

    second = advisor.reissue_tracking_link(visit["visit_id"])
    second_token = token_of(second)
    assert second_token != first_token
    assert public.track_visit(second_token)["plate"] == "沪B6789D"
    with pytest.raises(NotFound):
        public.track_visit(first_token)

    reissued = wait_until(lambda: [e for e in events.events("tracking_link_issued")
                                   if e["payload"]["visit_id"] == visit["visit_id"] and e["payload"]["reissued"]
                                   ][1:], message="two re-issues announced")
    assert len(reissued) == 1
    with database.connect() as conn:
        digest = conn.execute(text("SELECT token_sha256 FROM tracking_links WHERE visit_id = :v"),
                              {"v": visit["visit_id"]}).scalar_one()
        outbox = " ".join(conn.execute(text("SELECT body FROM outbox")).scalars())
    assert digest == hashlib.sha256(second_token.encode()).hexdigest()
    assert first_token not in outbox and second_token not in outbox


def test_only_an_advisor_of_the_visits_site_gets_its_link(advisor, rpc):
    visit = check_in(advisor)
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_ADVISOR).reception.reissue_tracking_link(visit["visit_id"])
    with pytest.raises(Forbidden):
        rpc(caller=TECHNICIAN).reception.reissue_tracking_link(visit["visit_id"])
    with pytest.raises(NotFound):
        advisor.reissue_tracking_link(str(uuid.uuid4()))


def test_the_customer_sees_status_promised_time_and_the_quote_and_nothing_else(advisor, public, publish_event):
    visit = check_in(advisor, plate="沪C54321")
    token = token_of(advisor.reissue_tracking_link(visit["visit_id"]))
    before = public.track_visit(token)
    assert before["repair_order"] is None and before["status_text"] == "车辆已接收，正在维修服务中"

    order = open_quoted_order(advisor, publish_event, visit)
    seen = public.track_visit(token)

    assert set(seen) == {"plate", "status", "status_text", "checked_in_at", "promised_at", "delivered_at",
                         "expires_at", "currency", "repair_order"}
    assert (seen["plate"], seen["status"], seen["promised_at"], seen["currency"]) == (
        "沪C54321", "checked_in", visit["promised_at"], "CNY")
    ro = seen["repair_order"]
    assert (ro["status"], ro["status_text"], ro["awaiting_answer"]) == ("awaiting_approval", "报价已出，等待您确认", True)
    assert [(line["kind"], line["line_id"], line["amount"], line["approval"]) for line in ro["lines"]] == [
        ("labour", order["labour_lines"][0]["line_id"], "300.00", "pending"),
        ("part", order["part_lines"][0]["line_id"], "88.00", "pending")]
    assert (ro["customer_total"], ro["pending_customer_total"]) == ("0.00", "388.00")
    shown = repr(seen)
    for internal in (visit["visit_id"], visit["customer_id"], visit["vehicle_id"], order["repair_order_id"],
                     order["labour_lines"][0]["technician_id"], "zhao.advisor", visit["vin"]):
        assert internal not in shown


def test_unknown_malformed_and_expired_links_are_all_the_same_not_found(advisor, public, database):
    visit = check_in(advisor)
    token = token_of(advisor.reissue_tracking_link(visit["visit_id"]))

    deliver_in_the_past(database, visit, days_ago=2)  # delivered two days ago: still open to the customer
    still = public.track_visit(token)
    assert still["status"] == "delivered" and still["status_text"] == "车辆已交付"
    assert datetime.fromisoformat(still["expires_at"]) - datetime.fromisoformat(still["delivered_at"]) == \
        timedelta(days=7)

    deliver_in_the_past(database, visit, days_ago=8)
    answers = []
    for bad in (token, "A" * 43, "nonsense", token + "x"):
        with pytest.raises(NotFound) as refused:
            public.track_visit(bad)
        answers.append((refused.value.message, refused.value.details))
        assert bad not in refused.value.message
    assert len(set(map(repr, answers))) == 1
    with pytest.raises(NotFound):
        public.answer_quote_by_tracking_link(token, {"approved_line_ids": [str(uuid.uuid4())]})
    with pytest.raises(Conflict) as ended:
        advisor.reissue_tracking_link(visit["visit_id"])
    assert list(ended.value.details) == ["visit_id"]


def test_the_customers_answer_goes_to_the_workshop_with_channel_tracking_link(advisor, public, publish_event):
    visit = check_in(advisor)
    token = token_of(advisor.reissue_tracking_link(visit["visit_id"]))
    order = open_quoted_order(advisor, publish_event, visit)
    labour, part = order["labour_lines"][0]["line_id"], order["part_lines"][0]["line_id"]

    answered = public.answer_quote_by_tracking_link(token, {"approved_line_ids": [labour],
                                                            "declined_line_ids": [part]})

    assert [call for call in APPROVALS if call[0] == order["repair_order_id"]] == [
        (order["repair_order_id"], {"approved_line_ids": [labour], "declined_line_ids": [part],
                                    "channel": "tracking_link"})]
    assert answered["repair_order"]["status"] == "approved"
    assert [line["approval"] for line in answered["repair_order"]["lines"]] == ["approved", "declined"]
    assert answered["repair_order"]["awaiting_answer"] is False
    with pytest.raises(Conflict):  # answered once: the quote takes no second answer through the link
        public.answer_quote_by_tracking_link(token, {"approved_line_ids": [labour]})


def test_a_line_of_another_order_or_bad_input_is_refused_and_nothing_reaches_the_workshop(
        advisor, public, publish_event):
    visit = check_in(advisor)
    token = token_of(advisor.reissue_tracking_link(visit["visit_id"]))
    order = open_quoted_order(advisor, publish_event, visit)
    other_visit = check_in(advisor)
    other = open_quoted_order(advisor, publish_event, other_visit)
    mine, theirs = order["labour_lines"][0]["line_id"], other["labour_lines"][0]["line_id"]

    with pytest.raises(InvalidInput) as refused:
        public.answer_quote_by_tracking_link(token, {"approved_line_ids": [mine, theirs]})
    assert list(refused.value.details) == ["approved_line_ids"] and theirs in refused.value.details[
        "approved_line_ids"][0]
    with pytest.raises(InvalidInput) as refused:
        public.answer_quote_by_tracking_link(token, {"approved_line_ids": [mine], "declined_line_ids": [theirs]})
    assert list(refused.value.details) == ["declined_line_ids"]
    with pytest.raises(InvalidInput) as refused:
        public.answer_quote_by_tracking_link(token, {"approved_line_ids": ["not-an-id"], "repair_order_id": "x"})
    assert set(refused.value.details) == {"approved_line_ids", "repair_order_id"}

    assert [call for call in APPROVALS if call[0] in (order["repair_order_id"], other["repair_order_id"])] == []
    assert all(line["approval"] == "pending" for line in other["labour_lines"] + other["part_lines"])
