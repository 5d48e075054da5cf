"""The quality service on the real broker and PostgreSQL."""
import uuid

import eventlet
import pytest

from contracts.quality import INSPECTION_FAILED, INSPECTION_PASSED
from contracts.workshop import REPAIR_COMPLETED
from quality.checklist import FINAL_INSPECTION_CHECKLIST
from quality.models import Base
from quality.service import QualityService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences
from svckit.testing.subscriber import wait_until

SITE = "SITE-1"
OTHER_SITE = "SITE-2"

INSPECTOR = Caller(user_id="u-qc", username="wang.qc", roles=frozenset({"qc_inspector"}), sites=frozenset({SITE}))
FOREMAN = Caller(user_id="u-fm", username="li.foreman", roles=frozenset({"foreman"}), sites=frozenset({SITE}))
ADVISOR = Caller(user_id="u-sa", username="zhao.sa", roles=frozenset({"service_advisor"}), sites=frozenset({SITE}))
OTHER_INSPECTOR = Caller(user_id="u-qc2", username="chen.qc", roles=frozenset({"qc_inspector"}),
                         sites=frozenset({OTHER_SITE}))


@pytest.fixture
def quality(container_factory, service_config):
    container = container_factory(QualityService, service_config("quality"))
    container.start()
    return container


@pytest.fixture
def client(quality, rpc):
    return rpc().quality


def completed_repair(repair_order_id=None, **overrides):
    return {
        "repair_order_id": repair_order_id or str(uuid.uuid4()), "visit_id": str(uuid.uuid4()),
        "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()), "technician_id": str(uuid.uuid4()),
        "concern": "异响 noise from front axle", "completed_at": "2026-11-26T10:00:00+00:00",
        "labour_lines": [], "part_lines": [], "labour_total": "0.00", "parts_total": "0.00", **overrides,
    }


def inspections_of(client, repair_order_id, count=1):
    """The repair order's inspections, once `count` of them exist."""
    return wait_until(lambda: (found := client.list_inspections({"repair_order_id": repair_order_id}))
                      and len(found) >= count and found, message=f"{count} inspection(s) of {repair_order_id}")


def hand_over(client, publish_event, site_id=SITE, repair_order_id=None):
    """The workshop completes a repair; returns the pending inspection quality opens for it."""
    payload = completed_repair(repair_order_id)
    publish_event(REPAIR_COMPLETED, payload, site_id=site_id)
    return inspections_of(client, payload["repair_order_id"])[0]


def all_passed(**changes):
    items = [{"item": item, "passed": True} for item in FINAL_INSPECTION_CHECKLIST]
    for item, note in changes.items():
        items[FINAL_INSPECTION_CHECKLIST.index(item)] = {"item": item, "passed": False, "note": note}
    return {"items": items, "remarks": "Checked with the customer present."}


def test_migrations_build_what_the_models_describe(databases):
    assert differences("quality:migrations", Base.metadata, databases.fresh_url("quality_schema")) == []


def test_health(client):
    report = client.health()
    assert (report["service"], report["status"], report["database"]) == ("quality", "ok", "ok")


def test_a_completed_repair_waits_for_its_final_inspection(client, publish_event):
    payload = completed_repair()
    publish_event(REPAIR_COMPLETED, payload, site_id=SITE)
    [inspection] = inspections_of(client, payload["repair_order_id"])
    assert inspection["status"] == "pending"
    assert inspection["site_id"] == SITE
    assert (inspection["repair_order_id"], inspection["visit_id"], inspection["vehicle_id"],
            inspection["technician_id"]) == (payload["repair_order_id"], payload["visit_id"],
                                             payload["vehicle_id"], payload["technician_id"])
    assert inspection["checklist"] == [{"item": item, "passed": None, "note": ""}
                                       for item in FINAL_INSPECTION_CHECKLIST]
    assert (inspection["inspector"], inspection["inspected_at"]) == (None, None)
    assert client.get_inspection(inspection["inspection_id"]) == inspection


def test_a_redelivered_or_repeated_handover_opens_one_inspection(client, publish_event):
    payload = completed_repair()
    sent = publish_event(REPAIR_COMPLETED, payload, site_id=SITE)
    inspections_of(client, payload["repair_order_id"])
    publish_event(REPAIR_COMPLETED, payload, site_id=SITE, event_id=sent["event_id"])  # redelivered
    publish_event(REPAIR_COMPLETED, payload, site_id=SITE)  # or sent twice while still pending
    marker = completed_repair()  # handled after the duplicates: the queue is in order
    publish_event(REPAIR_COMPLETED, marker, site_id=SITE)
    inspections_of(client, marker["repair_order_id"])
    eventlet.sleep(0.5)
    assert len(client.list_inspections({"repair_order_id": payload["repair_order_id"]})) == 1


def test_all_items_passed_passes_the_inspection(quality, rpc, client, publish_event, subscribe):
    events = subscribe(("quality.events", INSPECTION_PASSED.event_type),
                       ("quality.events", INSPECTION_FAILED.event_type))
    pending = hand_over(client, publish_event)

    recorded = rpc(caller=INSPECTOR).quality.record_inspection(pending["inspection_id"], all_passed())

    assert recorded["status"] == "passed"
    assert recorded["inspector"] == "wang.qc"
    assert recorded["inspected_at"] is not None
    assert recorded["remarks"] == "Checked with the customer present."
    assert recorded["checklist"] == [{"item": item, "passed": True, "note": ""} for item in FINAL_INSPECTION_CHECKLIST]
    assert client.get_inspection(pending["inspection_id"]) == recorded
    passed = events.wait_for("inspection_passed",
                             lambda e: e["payload"]["inspection_id"] == pending["inspection_id"])
    assert passed["site_id"] == SITE
    assert passed["payload"] == {
        "inspection_id": pending["inspection_id"], "repair_order_id": pending["repair_order_id"],
        "visit_id": pending["visit_id"], "vehicle_id": pending["vehicle_id"],
        "inspector": "wang.qc", "inspected_at": passed["payload"]["inspected_at"],
    }
    assert passed["payload"]["inspected_at"][:19] == recorded["inspected_at"][:19]
    eventlet.sleep(0.5)
    assert events.events("inspection_failed") == []


def test_a_failed_item_sends_the_car_back_and_rework_brings_a_new_inspection(rpc, client, publish_event, subscribe):
    events = subscribe(("quality.events", INSPECTION_FAILED.event_type))
    first = hand_over(client, publish_event)
    foreman = rpc(caller=FOREMAN).quality

    failed = foreman.record_inspection(first["inspection_id"], all_passed(**{
        "No fluid leaks": "机油渗漏 oil seeping at the sump plug", "Road test": "Pulls to the left"}))

    assert failed["status"] == "failed"
    assert failed["inspector"] == "li.foreman"
    by_item = {entry["item"]: entry for entry in failed["checklist"]}
    assert by_item["No fluid leaks"] == {"item": "No fluid leaks", "passed": False,
                                         "note": "机油渗漏 oil seeping at the sump plug"}
    assert by_item["Warning lights off"]["passed"] is True
    sent_back = events.wait_for("inspection_failed",
                                lambda e: e["payload"]["inspection_id"] == first["inspection_id"])
    assert sent_back["site_id"] == SITE
    assert sent_back["payload"]["repair_order_id"] == first["repair_order_id"]
    assert sent_back["payload"]["inspector"] == "li.foreman"
    assert sent_back["payload"]["failed_items"] == [  # in checklist order
        {"item": "Road test", "note": "Pulls to the left"},
        {"item": "No fluid leaks", "note": "机油渗漏 oil seeping at the sump plug"},
    ]

    with pytest.raises(Conflict) as refused:
        foreman.record_inspection(first["inspection_id"], all_passed())
    assert "status" in refused.value.details
    assert client.get_inspection(first["inspection_id"])["status"] == "failed"

    publish_event(REPAIR_COMPLETED, completed_repair(first["repair_order_id"]), site_id=SITE)  # after rework
    newest, oldest = inspections_of(client, first["repair_order_id"], count=2)
    assert (newest["status"], oldest["inspection_id"]) == ("pending", first["inspection_id"])
    assert foreman.record_inspection(newest["inspection_id"], all_passed())["status"] == "passed"


def test_bad_answers_name_the_field_and_change_nothing(rpc, client, publish_event):
    pending = hand_over(client, publish_event)
    inspector = rpc(caller=INSPECTOR).quality
    complete = all_passed()["items"]
    attempts = {
        "unknown item": {"items": complete + [{"item": "Tyre pressure", "passed": True}]},
        "missing items": {"items": complete[:2]},
        "failure without note": all_passed(**{"Road test": "  "}),
        "no items": {"items": []},
        "not a boolean": {"items": [{**complete[0], "passed": "maybe"}] + complete[1:]},
        "unknown field": {"items": complete, "verdict": "ok"},
    }
    for reason, payload in attempts.items():
        with pytest.raises(InvalidInput) as refused:
            inspector.record_inspection(pending["inspection_id"], payload)
        assert set(refused.value.details) == ({"verdict"} if reason == "unknown field" else {"items"}), reason
    with pytest.raises(InvalidInput) as refused:
        inspector.record_inspection(pending["inspection_id"], attempts["unknown item"])
    assert refused.value.details["items"] == ["Not on this inspection's checklist: Tyre pressure."]
    with pytest.raises(InvalidInput) as refused:
        inspector.record_inspection(pending["inspection_id"], attempts["missing items"])
    assert all(item in refused.value.details["items"][0] for item in FINAL_INSPECTION_CHECKLIST[2:])
    assert client.get_inspection(pending["inspection_id"]) == pending
    with pytest.raises(InvalidInput) as refused:
        client.list_inspections({"status": "approved", "site_id": "bad site!"})
    assert set(refused.value.details) == {"status", "site_id"}


def test_unknown_inspection_is_not_found(rpc, client):
    with pytest.raises(NotFound) as refused:
        client.get_inspection(str(uuid.uuid4()))
    assert "inspection_id" in refused.value.details
    with pytest.raises(NotFound):
        rpc(caller=INSPECTOR).quality.record_inspection(str(uuid.uuid4()), all_passed())


def test_only_inspectors_and_foremen_record_inspections(rpc, client, publish_event):
    pending = hand_over(client, publish_event)
    with pytest.raises(Forbidden) as refused:
        rpc(caller=ADVISOR).quality.record_inspection(pending["inspection_id"], all_passed())
    assert "roles" in refused.value.details
    assert client.get_inspection(pending["inspection_id"])["status"] == "pending"


def test_a_caller_sees_and_inspects_only_their_sites(rpc, client, publish_event):
    ours = hand_over(client, publish_event, site_id=SITE)
    theirs = hand_over(client, publish_event, site_id=OTHER_SITE)
    outsider = rpc(caller=OTHER_INSPECTOR).quality

    with pytest.raises(Forbidden):
        outsider.get_inspection(ours["inspection_id"])
    with pytest.raises(Forbidden):
        outsider.record_inspection(ours["inspection_id"], all_passed())
    with pytest.raises(Forbidden):
        outsider.list_inspections({"site_id": SITE})
    assert client.get_inspection(ours["inspection_id"])["status"] == "pending"

    visible = {i["inspection_id"] for i in outsider.list_inspections({})}
    assert theirs["inspection_id"] in visible and ours["inspection_id"] not in visible
    assert {i["site_id"] for i in rpc(caller=INSPECTOR).quality.list_inspections({"status": "pending"})} == {SITE}


def test_list_is_newest_first_and_filtered_by_status(rpc, client, publish_event):
    older = hand_over(client, publish_event)
    newer = hand_over(client, publish_event)
    rpc(caller=INSPECTOR).quality.record_inspection(older["inspection_id"], all_passed())

    listed = [i["inspection_id"] for i in client.list_inspections({"site_id": SITE})]
    assert listed.index(newer["inspection_id"]) < listed.index(older["inspection_id"])
    pending = {i["inspection_id"] for i in client.list_inspections({"site_id": SITE, "status": "pending"})}
    passed = {i["inspection_id"] for i in client.list_inspections({"site_id": SITE, "status": "passed"})}
    assert newer["inspection_id"] in pending and older["inspection_id"] not in pending
    assert older["inspection_id"] in passed and newer["inspection_id"] not in passed
