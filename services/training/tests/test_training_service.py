"""The training service on the real broker and PostgreSQL."""
import logging
import uuid

import eventlet
import pytest

from contracts.training import TECHNICIAN_JOB_CREDITED
from contracts.workshop import REPAIR_ORDER_CLOSED
from svckit.auth import Caller
from svckit.errors import Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until
from training.models import Base
from training.service import TrainingService

SITE = "SITE-1"
OTHER_SITE = "SITE-2"


def caller(*roles, sites=(SITE,)):
    return Caller(user_id=str(uuid.uuid4()), username="zhang.wei", roles=frozenset(roles), sites=frozenset(sites))


@pytest.fixture
def training(container_factory, service_config):
    container = container_factory(TrainingService, service_config("training"))
    container.start()
    return container


@pytest.fixture
def client(training, rpc):
    return rpc(caller=caller("trainer")).training


@pytest.fixture
def system(training, rpc):
    return rpc().training


def new_staff(client, name="王师傅", role="technician", grade="senior", site_id=SITE):
    return client.create_staff({"site_id": site_id, "name": name, "role": role, "grade": grade})


def test_migrations_build_what_the_models_describe(databases):
    assert differences("training:migrations", Base.metadata, databases.fresh_url("training_schema")) == []


def test_health(system):
    report = system.health()
    assert (report["service"], report["status"], report["database"]) == ("training", "ok", "ok")


# --- staff ---

def test_a_registered_technician_can_be_looked_up(client):
    created = new_staff(client, name="王师傅", role="technician", grade="senior")
    assert uuid.UUID(created["staff_id"])
    assert (created["site_id"], created["name"], created["role"], created["grade"], created["active"]) == (
        SITE, "王师傅", "technician", "senior", True)
    assert created["created_at"]
    assert client.get_staff(created["staff_id"]) == created
    assert client.get_staff(created["staff_id"].upper()) == created


def test_a_site_manager_may_register_staff_and_other_roles_may_not(training, rpc):
    manager = rpc(caller=caller("site_manager")).training
    assert new_staff(manager, name="李顾问", role="service_advisor", grade=None)["role"] == "service_advisor"
    technician = rpc(caller=caller("technician")).training
    with pytest.raises(Forbidden) as refused:
        new_staff(technician, name="自己")
    assert "roles" in refused.value.details
    assert [s["name"] for s in manager.list_staff({})] == ["李顾问"]


def test_only_a_technician_may_have_a_grade_and_nothing_is_registered(client):
    with pytest.raises(InvalidInput) as refused:
        new_staff(client, name="李顾问", role="service_advisor", grade="senior")
    assert set(refused.value.details) == {"grade"}
    assert client.list_staff({}) == []


def test_bad_input_names_each_field_and_registers_nobody(client):
    with pytest.raises(InvalidInput) as refused:
        client.create_staff({"site_id": "bad site!", "name": "", "role": "mechanic", "grade": "guru"})
    assert set(refused.value.details) == {"site_id", "name", "role", "grade"}
    with pytest.raises(InvalidInput) as refused:
        client.create_staff({"site_id": SITE, "name": "王师傅", "role": "technician", "salary": "9000"})
    assert set(refused.value.details) == {"salary"}
    with pytest.raises(InvalidInput) as refused:
        client.list_staff({"role": "mechanic"})
    assert set(refused.value.details) == {"role"}
    assert client.list_staff({}) == []


def test_unknown_staff_is_not_found(client):
    for staff_id in (str(uuid.uuid4()), "not-an-id", None):
        with pytest.raises(NotFound) as refused:
            client.get_staff(staff_id)
        assert set(refused.value.details) == {"staff_id"}


def test_staff_are_listed_by_name_filtered_by_site_and_role(system):
    new_staff(system, name="C-王", role="technician", grade="junior")
    new_staff(system, name="A-李", role="service_advisor", grade=None)
    new_staff(system, name="B-张", role="technician", grade=None)
    new_staff(system, name="D-赵", role="technician", grade="master", site_id=OTHER_SITE)
    assert [s["name"] for s in system.list_staff({})] == ["A-李", "B-张", "C-王", "D-赵"]
    assert [s["name"] for s in system.list_staff({"site_id": SITE})] == ["A-李", "B-张", "C-王"]
    assert [s["name"] for s in system.list_staff({"site_id": SITE, "role": "technician"})] == ["B-张", "C-王"]
    assert [s["name"] for s in system.list_staff({"role": "technician"})] == ["B-张", "C-王", "D-赵"]


def test_a_caller_sees_and_touches_only_staff_of_their_sites(system, rpc):
    ours = new_staff(system, name="王师傅", site_id=SITE)
    theirs = new_staff(system, name="赵师傅", site_id=OTHER_SITE)
    trainer = rpc(caller=caller("trainer", sites=(SITE,))).training
    assert [s["staff_id"] for s in trainer.list_staff({})] == [ours["staff_id"]]
    with pytest.raises(Forbidden) as refused:
        trainer.list_staff({"site_id": OTHER_SITE})
    assert "site_id" in refused.value.details
    with pytest.raises(Forbidden):
        trainer.get_staff(theirs["staff_id"])
    with pytest.raises(Forbidden):
        new_staff(trainer, name="钱师傅", site_id=OTHER_SITE)
    assert [s["name"] for s in system.list_staff({"site_id": OTHER_SITE})] == ["赵师傅"]


# --- job credits ---

def labour_line(technician_id, hours):
    return {"line_id": str(uuid.uuid4()), "operation_code": "OP-10", "description": "更换机油",
            "hours": hours, "technician_id": technician_id}


def closed_repair_order(labour_lines, repair_order_id=None):
    return {"repair_order_id": repair_order_id or str(uuid.uuid4()), "visit_id": str(uuid.uuid4()),
            "vehicle_id": str(uuid.uuid4()), "closed_at": "2026-11-26T10:00:00+00:00",
            "labour_lines": labour_lines, "labour_hours_sold": "0.00"}


def credits_of(client, staff_id, count):
    """The staff member's credits once there are `count` of them (the consumer runs asynchronously)."""
    def counted():
        try:
            found = client.list_job_credits(staff_id)
        except NotFound:  # a technician without a staff file is unknown until first credited
            return None
        return found if len(found["credits"]) == count else None

    return wait_until(counted, message=f"{count} credits for {staff_id}")


def test_a_closed_repair_order_credits_each_technician_once(system, publish_event, subscribe):
    events = subscribe(("training.events", TECHNICIAN_JOB_CREDITED.event_type))
    wang = new_staff(system, name="王师傅")["staff_id"]
    li = new_staff(system, name="李师傅", grade="junior")["staff_id"]
    payload = closed_repair_order([labour_line(wang, "1.50"), labour_line(li, "0.80"),
                                   labour_line(wang, "2.25"), labour_line(None, "3.00")])
    repair_order_id = payload["repair_order_id"]

    sent = publish_event(REPAIR_ORDER_CLOSED, payload, site_id=SITE)
    for staff_id, hours in ((wang, "3.75"), (li, "0.80")):
        credited = events.wait_for("technician_job_credited", lambda e, s=staff_id: e["payload"]["staff_id"] == s)
        assert credited["payload"]["repair_order_id"] == repair_order_id
        assert credited["payload"]["hours"] == hours
        assert credited["payload"]["credited_at"]
        assert credited["site_id"] == SITE
        assert credited["correlation_id"] == sent["correlation_id"]
    wang_credits = credits_of(system, wang, 1)
    assert wang_credits["staff_id"] == wang
    assert wang_credits["total_hours"] == "3.75"
    assert [(c["repair_order_id"], c["hours"]) for c in wang_credits["credits"]] == [(repair_order_id, "3.75")]
    assert credits_of(system, li, 1)["total_hours"] == "0.80"

    publish_event(REPAIR_ORDER_CLOSED, payload, site_id=SITE, event_id=sent["event_id"])  # redelivered
    publish_event(REPAIR_ORDER_CLOSED, payload, site_id=SITE)  # or sent again: each is credited once per RO
    eventlet.sleep(1.0)
    assert system.list_job_credits(wang)["total_hours"] == "3.75"
    assert len(system.list_job_credits(li)["credits"]) == 1
    assert len(events.events("technician_job_credited")) == 2


def test_credits_add_up_over_repair_orders(system, publish_event):
    wang = new_staff(system, name="王师傅")["staff_id"]
    assert system.list_job_credits(wang) == {"staff_id": wang, "total_hours": "0.00", "credits": []}
    first = closed_repair_order([labour_line(wang, "1.00")])
    second = closed_repair_order([labour_line(wang, "2.50")])
    publish_event(REPAIR_ORDER_CLOSED, first, site_id=SITE)
    credits_of(system, wang, 1)
    publish_event(REPAIR_ORDER_CLOSED, second, site_id=SITE)
    found = credits_of(system, wang, 2)
    assert found["total_hours"] == "3.50"
    assert [c["repair_order_id"] for c in found["credits"]] == [first["repair_order_id"], second["repair_order_id"]]


def test_a_technician_without_a_staff_file_is_credited_with_a_warning(system, publish_event, subscribe, caplog):
    events = subscribe(("training.events", TECHNICIAN_JOB_CREDITED.event_type))
    newcomer = str(uuid.uuid4())
    with caplog.at_level(logging.WARNING, logger="training.service"):
        publish_event(REPAIR_ORDER_CLOSED, closed_repair_order([labour_line(newcomer, "2.00")]), site_id=SITE)
        events.wait_for("technician_job_credited", lambda e: e["payload"]["staff_id"] == newcomer)
    assert any(newcomer in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    with pytest.raises(NotFound):
        system.get_staff(newcomer)
    assert credits_of(system, newcomer, 1)["total_hours"] == "2.00"


def test_job_credits_are_read_only_by_callers_of_the_staff_members_site(system, rpc, publish_event):
    wang = new_staff(system, name="王师傅", site_id=SITE)["staff_id"]
    newcomer = str(uuid.uuid4())
    publish_event(REPAIR_ORDER_CLOSED, closed_repair_order([labour_line(wang, "1.00"), labour_line(newcomer, "1.00")]),
                  site_id=SITE)
    credits_of(system, newcomer, 1)
    ours = rpc(caller=caller("trainer", sites=(SITE,))).training
    theirs = rpc(caller=caller("trainer", sites=(OTHER_SITE,))).training
    assert ours.list_job_credits(wang)["total_hours"] == "1.00"
    assert ours.list_job_credits(newcomer)["total_hours"] == "1.00"
    for staff_id in (wang, newcomer):
        with pytest.raises(Forbidden):
            theirs.list_job_credits(staff_id)
    for staff_id in (str(uuid.uuid4()), "not-an-id"):
        with pytest.raises(NotFound) as refused:
            ours.list_job_credits(staff_id)
        assert set(refused.value.details) == {"staff_id"}
