"""The parts service on the real broker and PostgreSQL."""
import uuid
from decimal import Decimal

import eventlet
import pytest

from contracts.parts import LOW_STOCK, PARTS_ISSUED
from contracts.workshop import REPAIR_COMPLETED
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Forbidden, InvalidInput, NotFound

SITE = "SITE-1"


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def client(parts, rpc):
    return rpc().parts


def new_part(client, part_number=None, on_hand="10", reorder_point="0"):
    part_number = part_number or f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": part_number, "name": "机油滤清器", "name_en": "Oil filter",
                        "cost_price": "20.00", "retail_price": "35.00"})
    if Decimal(on_hand):
        client.receive_stock({"site_id": SITE, "part_number": part_number, "quantity": on_hand})
    client.set_stock_policy({"site_id": SITE, "part_number": part_number, "reorder_point": reorder_point,
                             "reorder_quantity": "10"})
    return part_number


def reserve(client, part_number, quantity="1", reference=None, repair_order_id=None, backorder=True):
    return client.reserve({"site_id": SITE, "part_number": part_number, "quantity": quantity,
                           "reference": reference or str(uuid.uuid4()), "repair_order_id": repair_order_id,
                           "backorder": backorder})



def test_stock_received_and_reserved(client):
    part_number = new_part(client, on_hand="10")
    reservation = reserve(client, part_number, quantity="4")
    assert reservation["status"] == "reserved"
    assert reservation["available"] == "6.00"
    stock = client.get_stock(SITE, part_number)
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == ("10.00", "4.00", "6.00")
    assert stock["average_cost"] == "20.00"


def test_reserving_more_than_available_without_backorder_is_short_and_reserves_nothing(client):
    part_number = new_part(client, on_hand="3")
    short = reserve(client, part_number, quantity="5", backorder=False)
    assert short["status"] == "short"
    assert short["reservation_id"] is None
    assert client.get_stock(SITE, part_number)["reserved"] == "0.00"


def test_asking_again_with_the_same_reference_returns_the_same_reservation(client):
    part_number = new_part(client, on_hand="10")
    first = reserve(client, part_number, quantity="2", reference="ro-line-1")
    again = reserve(client, part_number, quantity="2", reference="ro-line-1")
    assert again["reservation_id"] == first["reservation_id"]
    assert client.get_stock(SITE, part_number)["reserved"] == "2.00"


def test_fifty_concurrent_reservations_against_ten_in_stock_exactly_ten_win(
        parts, container_factory, service_config, rpc):
    second_replica = container_factory(PartsService, service_config("parts", database=parts.config["DATABASE_URL"]))
    second_replica.start()
    client = rpc().parts
    part_number = new_part(client, on_hand="10")
    pending = [client.reserve.call_async({"site_id": SITE, "part_number": part_number, "quantity": "1",
                                          "reference": f"line-{i}", "backorder": False}) for i in range(50)]
    results = [reply.result() for reply in pending]
    assert sum(r["status"] == "reserved" for r in results) == 10
    assert sum(r["status"] == "short" for r in results) == 40
    stock = client.get_stock(SITE, part_number)
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == ("10.00", "10.00", "0.00")


def test_bad_input_names_the_field_and_changes_nothing(client):
    with pytest.raises(InvalidInput) as refused:
        client.create_part({"part_number": "bad number!", "name": "", "cost_price": "-1", "retail_price": "x"})
    assert set(refused.value.details) == {"part_number", "name", "cost_price", "retail_price"}
    with pytest.raises(NotFound):
        client.get_part("BAD NUMBER!")
    with pytest.raises(InvalidInput) as refused:
        reserve(client, "P-NONE", quantity="0")
    assert "quantity" in refused.value.details


def test_a_caller_may_only_touch_stock_of_their_sites(parts, rpc):
    part_number = new_part(rpc().parts, on_hand="5")
    clerk = Caller(user_id="u1", username="clerk", roles=frozenset({"parts_clerk"}), sites=frozenset({"OTHER"}))
    with pytest.raises(Forbidden):
        rpc(caller=clerk).parts.reserve({"site_id": SITE, "part_number": part_number, "quantity": "1",
                                         "reference": "x"})


def completed_repair(repair_order_id, part_lines):
    return {
        "repair_order_id": repair_order_id, "visit_id": str(uuid.uuid4()), "customer_id": str(uuid.uuid4()),
        "vehicle_id": str(uuid.uuid4()), "technician_id": str(uuid.uuid4()), "concern": "noise",
        "completed_at": "2026-11-26T10:00:00+00:00", "labour_lines": [], "part_lines": part_lines,
        "labour_total": "0.00", "parts_total": "0.00",
    }


def test_completed_repair_issues_its_parts_once_and_raises_low_stock(client, publish_event, subscribe):
    events = subscribe(("parts.events", PARTS_ISSUED.event_type), ("parts.events", LOW_STOCK.event_type))
    part_number = new_part(client, on_hand="5", reorder_point="4")
    repair_order_id = str(uuid.uuid4())
    reservation = reserve(client, part_number, quantity="2", repair_order_id=repair_order_id)
    payload = completed_repair(repair_order_id, [{
        "line_id": str(uuid.uuid4()), "part_number": part_number, "quantity": "2.00",
        "reservation_id": reservation["reservation_id"]}])

    sent = publish_event(REPAIR_COMPLETED, payload, site_id=SITE)
    issued = events.wait_for("parts_issued", lambda e: e["payload"]["repair_order_id"] == repair_order_id)
    assert issued["payload"]["lines"] == [{"reservation_id": reservation["reservation_id"],
                                           "part_number": part_number, "quantity": "2.00", "unit_cost": "20.00"}]
    assert issued["correlation_id"] == sent["correlation_id"]
    low = events.wait_for("low_stock", lambda e: e["payload"]["part_number"] == part_number)
    assert (low["payload"]["on_hand"], low["payload"]["reorder_point"]) == ("3.00", "4.00")
    assert low["site_id"] == SITE

    publish_event(REPAIR_COMPLETED, payload, site_id=SITE, event_id=sent["event_id"])  # redelivered
    publish_event(REPAIR_COMPLETED, payload, site_id=SITE)  # or sent twice: the reservation is issued already
    eventlet.sleep(1.0)
    stock = client.get_stock(SITE, part_number)
    assert (stock["on_hand"], stock["reserved"]) == ("3.00", "0.00")
    assert len(events.events("parts_issued")) == 1
