"""The progress board, delay alerts, rework items and comebacks on the real broker and PostgreSQL,
with the real parts service and a fake training."""
import uuid
from datetime import datetime, timedelta, timezone

import eventlet
import pytest
from nameko.rpc import rpc as rpc_entrypoint

from contracts.quality import INSPECTION_FAILED, INSPECTION_PASSED
from contracts.reception import VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.subscriber import wait_until
from workshop.service import WorkshopService

SITE = "PRG-1"
CHINA = timezone(timedelta(hours=8))
WANG = "44444444-4444-4444-8444-444444444444"
ADVISOR = Caller(user_id="u-adv", username="advisor.zhou", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
FOREMAN = Caller(user_id="u-fm", username="foreman.qian", roles=frozenset({"foreman"}), sites=frozenset({SITE}))


class FakeTraining:
    name = "training"

    @rpc_entrypoint
    def get_staff(self, staff_id):
        if staff_id != WANG:
            raise NotFound(f"No staff member {staff_id}.", {"staff_id": ["Unknown."]})
        return {"staff_id": WANG, "role": "technician", "site_id": SITE, "active": True, "name": "Wang",
                "grade": "senior"}


@pytest.fixture
def workshop(container_factory, service_config, rpc):
    for service in (WorkshopService, PartsService, FakeTraining):
        container_factory(service, service_config(service.name)).start()
    return rpc().workshop


def now():
    return datetime.now(timezone.utc)


def open_order(workshop, publish_event, promised_in=timedelta(hours=4), vehicle_id=None, concern="Brakes squeal"):
    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": vehicle_id or str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪A12345", "mileage_km": 42000, "concern": concern,
        "walk_around_notes": "", "promised_at": (now() + promised_in).isoformat(), "checked_in_at": now().isoformat(),
        "advisor": "advisor1"}, site_id=SITE)
    return wait_until(lambda: next(iter(workshop.list_repair_orders({"visit_id": visit_id})), None),
                      message="repair order opened")


def approved_order(workshop, publish_event, hours="3", promised_in=timedelta(hours=4), **visit):
    order = open_order(workshop, publish_event, promised_in, **visit)
    workshop.add_labour_line(order["repair_order_id"], {"operation_code": "BRK-PAD", "description": "Replace pads",
                                                        "hours": hours})
    return workshop.approve(order["repair_order_id"], {})


def inspection(order):
    return {"inspection_id": str(uuid.uuid4()), "repair_order_id": order["repair_order_id"],
            "visit_id": order["visit_id"], "vehicle_id": order["vehicle_id"], "inspector": "qc.sun",
            "inspected_at": now().isoformat()}


def delivered_order(workshop, publish_event, vehicle_id, concern, delivered_at):
    order = approved_order(workshop, publish_event, hours="1", vehicle_id=vehicle_id, concern=concern)
    ro_id = order["repair_order_id"]
    workshop.start_job(ro_id, {"technician_id": WANG})
    workshop.complete_job(ro_id)
    publish_event(INSPECTION_PASSED, inspection(order), site_id=SITE)
    wait_until(lambda: workshop.get_repair_order(ro_id)["status"] == "ready_for_delivery", message="ready")
    publish_event(VEHICLE_DELIVERED, {
        "visit_id": order["visit_id"], "repair_order_id": ro_id, "customer_id": order["customer_id"],
        "vehicle_id": vehicle_id, "delivered_at": delivered_at.isoformat(), "promised_at": order["promised_at"],
        "promised_time_kept": True, "labour_total": "300.00", "parts_total": "0.00", "total": "300.00",
        "currency": "CNY"}, site_id=SITE)
    return wait_until(lambda: (o := workshop.get_repair_order(ro_id))["status"] == "closed" and o, message="closed")


# --- delay alerts ---

def test_a_delay_alert_is_raised_before_the_promised_time_passes_and_only_once(workshop, publish_event, subscribe,
                                                                             rpc):
    alerts = subscribe(("workshop.events", "repair_order_delay_risk"))
    order = approved_order(workshop, publish_event, hours="3", promised_in=timedelta(hours=1))
    ro_id = order["repair_order_id"]
    promised_at = datetime.fromisoformat(order["promised_at"])

    raised = workshop.check_delays()
    assert [(a["repair_order_id"], a["kind"]) for a in raised] == [(ro_id, "labour")]
    alert = alerts.wait_for("repair_order_delay_risk", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert now() < promised_at  # raised early, not after the fact
    payload = alert["payload"]
    assert (payload["visit_id"], payload["plate"], payload["promised_at"]) == (
        order["visit_id"], "沪A12345", order["promised_at"])
    assert [reason["kind"] for reason in payload["reasons"]] == ["labour"]
    assert datetime.fromisoformat(payload["expected_ready_at"]) > promised_at + timedelta(hours=2)

    assert workshop.check_delays() == []  # a second pass raises nothing new
    eventlet.sleep(1.0)
    assert len([e for e in alerts.events() if e["payload"]["repair_order_id"] == ro_id]) == 1
    assert [a["kind"] for a in workshop.list_delay_alerts({"repair_order_id": ro_id})] == ["labour"]

    # the advisor promises a time that holds: nothing to raise; a new time that does not hold raises again
    advisor = rpc(caller=ADVISOR).workshop
    later = workshop.change_promised_time(ro_id, {"promised_at": (now() + timedelta(hours=5)).isoformat(),
                                                  "reason": "Customer agreed to collect it this evening"})
    assert datetime.fromisoformat(later["promised_at"]) > promised_at
    assert workshop.check_delays() == []
    advisor.change_promised_time(ro_id, {"promised_at": (now() + timedelta(hours=2)).isoformat(),
                                         "reason": "Customer needs it earlier after all"})
    assert [a["kind"] for a in workshop.check_delays()] == ["labour"]
    wait_until(lambda: len([e for e in alerts.events() if e["payload"]["repair_order_id"] == ro_id]) == 2,
               message="a second alert for the new promised time")


def test_a_re_promise_is_announced_for_crm_and_bad_ones_are_refused(workshop, publish_event, subscribe, rpc):
    changes = subscribe(("workshop.events", "promised_time_changed"))
    order = approved_order(workshop, publish_event)
    ro_id = order["repair_order_id"]
    advisor = rpc(caller=ADVISOR).workshop
    new_time = (now() + timedelta(hours=8)).astimezone(CHINA)
    advisor.change_promised_time(ro_id, {"promised_at": new_time.isoformat(), "reason": "Waiting for the insurer"})
    told = changes.wait_for("promised_time_changed", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert (told["payload"]["previous_promised_at"], told["payload"]["reason"], told["payload"]["by"]) == (
        order["promised_at"], "Waiting for the insurer", "advisor.zhou")
    assert datetime.fromisoformat(told["payload"]["promised_at"]) == new_time

    with pytest.raises(InvalidInput) as refused:
        advisor.change_promised_time(ro_id, {"promised_at": "tomorrow", "reason": "x"})
    assert set(refused.value.details) == {"promised_at", "reason"}
    with pytest.raises(InvalidInput) as refused:
        advisor.change_promised_time(ro_id, {"promised_at": (now() - timedelta(hours=1)).isoformat(),
                                             "reason": "Too late anyway"})
    assert "promised_at" in refused.value.details
    with pytest.raises(Forbidden):
        rpc(caller=FOREMAN).workshop.change_promised_time(ro_id, {"promised_at": new_time.isoformat(),
                                                                  "reason": "Not mine to promise"})
    assert datetime.fromisoformat(workshop.get_repair_order(ro_id)["promised_at"]) == new_time


def test_the_timer_raises_the_alert_by_itself(container_factory, service_config, publish_event, subscribe, rpc):
    container_factory(WorkshopService, service_config("workshop", DELAY_CHECK_SECONDS=0.5)).start()
    container_factory(PartsService, service_config("parts")).start()
    workshop = rpc().workshop
    alerts = subscribe(("workshop.events", "repair_order_delay_risk"))
    order = approved_order(workshop, publish_event, hours="2", promised_in=timedelta(hours=1))
    alert = alerts.wait_for("repair_order_delay_risk",
                            lambda e: e["payload"]["repair_order_id"] == order["repair_order_id"])
    assert now() < datetime.fromisoformat(alert["payload"]["promised_at"])


# --- the board ---

def test_the_board_lists_open_orders_by_promised_time_with_what_they_wait_for(workshop, publish_event, rpc):
    parts = rpc().parts
    number = f"P-{uuid.uuid4().hex[:6].upper()}"
    parts.create_part({"part_number": number, "name": "刹车片", "cost_price": "100.00", "retail_price": "180.00"})
    supplier = parts.create_supplier({"name": f"看板供应商 {uuid.uuid4().hex[:6]}", "lead_time_days": 2})
    expected_date = datetime.now(CHINA).date() + timedelta(days=2)
    po = parts.create_purchase_order({"site_id": SITE, "supplier_id": supplier["supplier_id"],
                                      "expected_date": expected_date.isoformat(),
                                      "lines": [{"part_number": number, "quantity": "4", "unit_price": "100.00"}]})
    parts.send_purchase_order(po["purchase_order_id"])

    waiting = open_order(workshop, publish_event, promised_in=timedelta(hours=6))
    workshop.add_labour_line(waiting["repair_order_id"], {"operation_code": "BRK-PAD", "description": "Pads",
                                                          "hours": "1"})
    workshop.add_part_line(waiting["repair_order_id"], {"part_number": number, "quantity": "1"})
    assert workshop.approve(waiting["repair_order_id"], {})["status"] == "waiting_for_parts"
    running = approved_order(workshop, publish_event, hours="2", promised_in=timedelta(hours=3))
    workshop.start_job(running["repair_order_id"], {"technician_id": WANG})
    held = approved_order(workshop, publish_event, hours="1", promised_in=timedelta(hours=5))
    workshop.put_on_hold(held["repair_order_id"], {"reason": "Customer is away until Monday"})
    quoted = open_order(workshop, publish_event, promised_in=timedelta(hours=2))
    workshop.add_labour_line(quoted["repair_order_id"], {"operation_code": "AC-CHK", "description": "A/C check",
                                                         "hours": "0.5"})
    cancelled = open_order(workshop, publish_event, promised_in=timedelta(hours=1))
    workshop.cancel(cancelled["repair_order_id"], {"reason": "Customer changed his mind"})

    board = {entry["repair_order_id"]: entry for entry in workshop.progress_board({"site_id": SITE})}
    assert list(board) == [quoted["repair_order_id"], running["repair_order_id"], held["repair_order_id"],
                           waiting["repair_order_id"]]  # by promised time; the cancelled one is gone
    entry = board[waiting["repair_order_id"]]
    assert (entry["status"], entry["plate"], entry["standard_hours"], entry["progress_percent"]) == (
        "waiting_for_parts", "沪A12345", "1.00", 0)
    eta = datetime.combine(expected_date + timedelta(days=1), datetime.min.time(), tzinfo=CHINA)  # end of that day
    expected_by = eta.astimezone(timezone.utc).isoformat()
    assert entry["waiting_reason"] == f"Waiting for parts: {number} (expected by {expected_by})."
    assert 355 <= entry["minutes_left"] <= 360
    assert entry["delay_risk"]["at_risk"] and entry["delay_risk"]["reasons"][0]["kind"] == "parts"
    assert board[running["repair_order_id"]]["technicians"] == [WANG]
    assert board[running["repair_order_id"]]["waiting_reason"] is None
    assert board[running["repair_order_id"]]["delay_risk"]["at_risk"] is False
    assert board[held["repair_order_id"]]["waiting_reason"] == "On hold: Customer is away until Monday"
    assert (board[quoted["repair_order_id"]]["status"], board[quoted["repair_order_id"]]["progress_percent"]) == (
        "opened", None)  # nothing approved yet

    with pytest.raises(Forbidden):
        rpc(caller=ADVISOR).workshop.progress_board({"site_id": "PRG-2"})
    assert [e["repair_order_id"] for e in rpc(caller=ADVISOR).workshop.progress_board({})] == list(board)


# --- rework ---

def test_the_items_of_a_failed_inspection_are_kept_and_shown(workshop, publish_event):
    order = approved_order(workshop, publish_event, hours="1")
    ro_id = order["repair_order_id"]
    workshop.start_job(ro_id, {"technician_id": WANG})
    workshop.complete_job(ro_id)
    failed = inspection(order)
    publish_event(INSPECTION_FAILED, {**failed, "failed_items": [
        {"item": "Road test", "note": "Still squeals"}, {"item": "Wheel nuts", "note": "Torque not marked"}]},
        site_id=SITE)
    reworked = wait_until(lambda: (o := workshop.get_repair_order(ro_id))["status"] == "rework" and o,
                          message="rework")
    assert [(i["item"], i["note"], i["inspector"], i["inspection_id"]) for i in reworked["rework_items"]] == [
        ("Road test", "Still squeals", "qc.sun", failed["inspection_id"]),
        ("Wheel nuts", "Torque not marked", "qc.sun", failed["inspection_id"])]
    assert datetime.fromisoformat(reworked["rework_items"][0]["failed_at"]) == datetime.fromisoformat(
        failed["inspected_at"])
    entry = next(e for e in workshop.progress_board({"site_id": SITE}) if e["repair_order_id"] == ro_id)
    assert entry["waiting_reason"] == ("Rework after the failed final inspection: Road test: Still squeals; "
                                       "Wheel nuts: Torque not marked.")
    assert len(entry["rework_items"]) == 2


# --- comebacks ---

def test_a_second_visit_with_the_same_concern_within_30_days_is_a_comeback(workshop, publish_event, subscribe):
    flagged = subscribe(("workshop.events", "comeback_flagged"))
    vehicle, old_vehicle = str(uuid.uuid4()), str(uuid.uuid4())
    first = delivered_order(workshop, publish_event, vehicle, "左前轮刹车异响", now() - timedelta(days=3))
    delivered_order(workshop, publish_event, old_vehicle, "左前轮刹车异响", now() - timedelta(days=31))

    again = open_order(workshop, publish_event, vehicle_id=vehicle, concern="左前轮刹车有异响")
    assert again["comeback_of"] == first["repair_order_id"]
    event = flagged.wait_for("comeback_flagged", lambda e: e["payload"]["repair_order_id"] == again["repair_order_id"])
    assert (event["payload"]["comeback_of"], event["payload"]["earlier_concern"], event["payload"]["by"]) == (
        first["repair_order_id"], "左前轮刹车异响", "workshop")

    assert open_order(workshop, publish_event, vehicle_id=vehicle, concern="空调不制冷")["comeback_of"] is None
    assert open_order(workshop, publish_event, vehicle_id=old_vehicle, concern="左前轮刹车异响")["comeback_of"] is None
    assert open_order(workshop, publish_event, concern="左前轮刹车异响")["comeback_of"] is None  # another car
    eventlet.sleep(0.5)
    assert len(flagged.events("comeback_flagged")) == 1


def test_a_foreman_flags_and_unflags_by_hand_and_the_report_gives_the_rate(workshop, publish_event, subscribe, rpc):
    events = subscribe(("workshop.events", "comeback_flagged"), ("workshop.events", "comeback_unflagged"))
    foreman = rpc(caller=FOREMAN).workshop
    vehicle = str(uuid.uuid4())
    first = delivered_order(workshop, publish_event, vehicle, "Engine light on", now() - timedelta(days=40))
    second = open_order(workshop, publish_event, vehicle_id=vehicle, concern="Engine light on again")
    assert second["comeback_of"] is None  # 40 days: outside the window
    other = delivered_order(workshop, publish_event, str(uuid.uuid4()), "Oil change", now())

    with pytest.raises(InvalidInput) as refused:
        foreman.flag_comeback(second["repair_order_id"], {"comeback_of": other["repair_order_id"],
                                                          "reason": "Looks the same"})
    assert refused.value.details == {"comeback_of": ["That order is for another vehicle."]}
    with pytest.raises(Forbidden):
        rpc(caller=ADVISOR).workshop.flag_comeback(second["repair_order_id"], {
            "comeback_of": first["repair_order_id"], "reason": "Looks the same"})
    assert workshop.get_repair_order(second["repair_order_id"])["comeback_of"] is None

    reason = "Same sensor fault the last visit did not fix"
    flagged = foreman.flag_comeback(second["repair_order_id"], {"comeback_of": first["repair_order_id"],
                                                                "reason": reason})
    assert flagged["comeback_of"] == first["repair_order_id"]
    event = events.wait_for("comeback_flagged", lambda e: e["payload"]["repair_order_id"] == second["repair_order_id"])
    assert (event["payload"]["by"], event["payload"]["reason"]) == ("foreman.qian", reason)

    today = datetime.now(CHINA).date()
    report = workshop.comeback_report({"site_id": SITE, "from": today.isoformat(), "to": today.isoformat()})
    assert (report["comeback_count"], report["orders_closed"]) == (1, 2)  # both delivered orders closed today
    assert (report["comeback_rate_percent"], report["first_time_fix_rate_percent"]) == ("50.00", "50.00")
    assert [(c["repair_order_id"], c["earlier_concern"], c["flagged_by"], c["reason"])
            for c in report["comebacks"]] == [(second["repair_order_id"], "Engine light on", "foreman.qian", reason)]

    cleared = foreman.clear_comeback(second["repair_order_id"], {"reason": "A different sensor this time"})
    assert cleared["comeback_of"] is None
    events.wait_for("comeback_unflagged", lambda e: e["payload"]["was_comeback_of"] == first["repair_order_id"])
    with pytest.raises(Conflict):
        foreman.clear_comeback(second["repair_order_id"], {"reason": "Again"})
    report = workshop.comeback_report({"site_id": SITE, "from": today.isoformat(), "to": today.isoformat()})
    assert (report["comeback_count"], report["comeback_rate_percent"]) == (0, "0.00")

    with pytest.raises(InvalidInput) as refused:
        workshop.comeback_report({"from": today.isoformat(), "to": (today - timedelta(days=1)).isoformat()})
    assert refused.value.details == {"to": ["Must not be before from."]}
