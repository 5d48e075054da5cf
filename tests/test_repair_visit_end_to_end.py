"""One repair visit through the HTTP gateway, every service running on the real broker and PostgreSQL.

The demo (deploy/demo.py) drives the visit and checks every state on the way; this test
also listens as an outside integrator would and checks every event and its envelope.
"""
import uuid

import requests

EXCHANGES = ("reception", "workshop", "parts", "quality", "crm", "training")
ENVELOPE_FIELDS = {"event_id", "event_type", "version", "source", "occurred_at", "site_id", "correlation_id",
                   "payload"}


def test_one_visit_from_check_in_to_follow_up(platform, subscribe, demo, admin_password):
    integrator = subscribe(("workshop.events", "repair_completed"))
    everything = subscribe(*[(f"{name}.events", "#") for name in EXCHANGES])

    seen = demo.play(platform, "admin", admin_password, site="SH01", say=lambda line: None)

    visit, order = seen["visit"], seen["order"]
    ro_id, visit_id = order["repair_order_id"], visit["visit_id"]

    handover = integrator.wait_for("repair_completed", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert set(handover) == ENVELOPE_FIELDS
    assert (handover["source"], handover["version"], handover["site_id"]) == ("workshop", 1, "SH01")
    uuid.UUID(handover["event_id"])
    assert handover["payload"]["visit_id"] == visit_id
    assert handover["payload"]["technician_id"] == seen["technician"]["staff_id"]
    assert handover["payload"]["part_lines"][0]["part_number"] == seen["part_number"]
    assert (handover["payload"]["labour_total"], handover["payload"]["parts_total"]) == ("360.00", "320.00")
    message = integrator.received[0]
    assert message["exchange"] == "workshop.events" and message["content_type"] == "application/json"

    expected = [
        ("reception", "vehicle_checked_in", lambda p: p["visit_id"] == visit_id),
        ("workshop", "repair_order_opened", lambda p: p["visit_id"] == visit_id),
        ("parts", "part_reserved", lambda p: p["repair_order_id"] == ro_id),
        ("workshop", "repair_order_approved", lambda p: p["repair_order_id"] == ro_id),
        ("workshop", "repair_started", lambda p: p["repair_order_id"] == ro_id),
        ("workshop", "repair_completed", lambda p: p["repair_order_id"] == ro_id),
        ("parts", "parts_issued", lambda p: p["repair_order_id"] == ro_id),
        ("parts", "low_stock", lambda p: p["part_number"] == seen["part_number"]),
        ("quality", "inspection_passed", lambda p: p["repair_order_id"] == ro_id),
        ("reception", "vehicle_delivered", lambda p: p["visit_id"] == visit_id),
        ("crm", "follow_up_scheduled", lambda p: p["visit_id"] == visit_id),
        ("workshop", "repair_order_closed", lambda p: p["repair_order_id"] == ro_id),
        ("training", "technician_job_credited", lambda p: p["repair_order_id"] == ro_id),
        ("crm", "customer_message_queued",
         lambda p: p["repair_order_id"] == ro_id and p["topic"] == "status:in_progress"),
        ("crm", "customer_message_queued",
         lambda p: p["repair_order_id"] == ro_id and p["topic"] == "status:ready_for_delivery"),
    ]
    for source, event_type, belongs in expected:
        event = everything.wait_for(event_type, lambda e, belongs=belongs: belongs(e["payload"]))
        assert set(event) == ENVELOPE_FIELDS, event_type
        assert (event["source"], event["site_id"]) == (source, "SH01"), event_type
        matching = [e for e in everything.events(event_type) if belongs(e["payload"])]
        assert len(matching) == 1, f"{event_type} published {len(matching)} times"
    told = [e["payload"]["topic"] for e in everything.events("customer_message_queued")
            if e["payload"]["repair_order_id"] == ro_id]
    assert told == ["status:in_progress", "status:ready_for_delivery"]  # nothing about internal steps

    low = everything.wait_for("low_stock", lambda e: e["payload"]["part_number"] == seen["part_number"])
    assert (low["payload"]["on_hand"], low["payload"]["reorder_point"]) == ("2.00", "3.00")
    delivered = everything.wait_for("vehicle_delivered", lambda e: e["payload"]["visit_id"] == visit_id)
    assert (delivered["payload"]["labour_total"], delivered["payload"]["parts_total"],
            delivered["payload"]["total"]) == ("360.00", "320.00", "680.00")
    assert delivered["payload"]["promised_time_kept"] is True
    credited = everything.wait_for("technician_job_credited", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert credited["payload"]["hours"] == "1.20"

    checked_in = everything.wait_for("vehicle_checked_in", lambda e: e["payload"]["visit_id"] == visit_id)
    opened = everything.wait_for("repair_order_opened", lambda e: e["payload"]["visit_id"] == visit_id)
    assert opened["correlation_id"] == checked_in["correlation_id"]  # one chain, followed across services

    assert [c["to_status"] for c in order["history"]] == [
        "opened", "awaiting_approval", "approved", "in_progress", "completed", "ready_for_delivery", "delivered", "closed"]
    assert seen["inspection"]["status"] == "passed"
    assert seen["follow_up"]["status"] == "scheduled"
    assert (seen["stock"]["on_hand"], seen["stock"]["reserved"]) == ("2.00", "0.00")


def test_every_service_is_healthy_behind_the_gateway(platform):
    answer = requests.get(f"{platform}/health", timeout=10)
    assert answer.status_code == 200, answer.text
    services = answer.json()["services"]
    assert {name: report["status"] for name, report in services.items()} == {
        name: "ok" for name in (*EXCHANGES, "gateway")}
    assert all(report["database"] == "ok" for report in services.values())
