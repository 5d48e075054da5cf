"""Stock in bins and batches, backorders, issues, returns, write-offs and expiry alerts,
on the real broker and PostgreSQL."""
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from parts.service import PartsService
from svckit.db import create_engine_for
from svckit.errors import Conflict, InvalidInput
from svckit.testing.subscriber import wait_until

SITE = "SITE-1"


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def client(parts, rpc):
    return rpc().parts


def new_part(client, shelf_life_days=None, reorder_point="0", **extra):
    number = f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": number, "name": "机油 5W-30", "name_en": "Engine oil 5W-30",
                        "category": "fluids", "unit": "litre", "cost_price": "40.00", "retail_price": "68.00",
                        "shelf_life_days": shelf_life_days, **extra})
    client.set_stock_policy({"site_id": SITE, "part_number": number, "reorder_point": reorder_point,
                             "reorder_quantity": "20"})
    return number


def receive(client, number, quantity, **extra):
    return client.receive_stock({"site_id": SITE, "part_number": number, "quantity": quantity, **extra})


def reserve(client, number, quantity, reference=None, backorder=True):
    return client.reserve({"site_id": SITE, "part_number": number, "quantity": quantity,
                           "reference": reference or str(uuid.uuid4()), "backorder": backorder})


def lots_total_equals_on_hand(parts, number):
    engine = create_engine_for(parts.config["DATABASE_URL"])
    with engine.connect() as conn:
        lots = conn.execute(text("SELECT COALESCE(SUM(quantity), 0) FROM lots WHERE site_id = :s AND "
                                 "part_number = :p"), {"s": SITE, "p": number}).scalar()
        on_hand = conn.execute(text("SELECT on_hand FROM stock WHERE site_id = :s AND part_number = :p"),
                               {"s": SITE, "p": number}).scalar()
    engine.dispose()
    return Decimal(lots) == Decimal(on_hand)


def test_a_part_with_a_shelf_life_is_received_by_batch_into_a_bin(parts, client):
    number = new_part(client, shelf_life_days=730)
    with pytest.raises(InvalidInput) as refused:
        receive(client, number, "10")
    assert set(refused.value.details) == {"batch", "expiry_date"}
    client.create_warehouse({"site_id": SITE, "code": "OIL", "name": "Oil store"})
    client.create_bin({"site_id": SITE, "warehouse_code": "OIL", "code": "A-01"})
    expiry = (date.today() + timedelta(days=400)).isoformat()
    stock = receive(client, number, "10", warehouse_code="OIL", bin_code="A-01", batch="B2026-11", expiry_date=expiry,
                    unit_cost="42.00", reference="DN-7781")
    assert (stock["on_hand"], stock["average_cost"]) == ("10.00", "42.00")
    [lot] = client.list_lots({"site_id": SITE, "part_number": number})
    assert (lot["warehouse_code"], lot["bin_code"], lot["batch"], lot["expiry_date"], lot["quantity"]) == (
        "OIL", "A-01", "B2026-11", expiry, "10.00")
    [movement] = client.list_movements({"site_id": SITE, "part_number": number})
    assert (movement["kind"], movement["quantity"], movement["reference"]) == ("receipt", "10.00", "DN-7781")
    assert lots_total_equals_on_hand(parts, number)


def test_issue_takes_the_batch_that_expires_first_and_never_an_expired_one(parts, client):
    number = new_part(client, shelf_life_days=365)
    soon, late = date.today() + timedelta(days=5), date.today() + timedelta(days=200)
    receive(client, number, "4", batch="LATE", expiry_date=late.isoformat())
    receive(client, number, "2", batch="SOON", expiry_date=soon.isoformat())
    receive(client, number, "9", batch="GONE", expiry_date=(date.today() - timedelta(days=1)).isoformat())
    reservation = reserve(client, number, "3")
    issued = client.issue_reservation({"reservation_id": reservation["reservation_id"]})
    assert issued["status"] == "issued"
    issues = [m for m in client.list_movements({"site_id": SITE, "part_number": number}) if m["kind"] == "issue"]
    lots = {lot["batch"]: lot for lot in client.list_lots({"site_id": SITE, "part_number": number})}
    assert "SOON" not in lots, "the batch expiring first is used up first"
    assert (lots["LATE"]["quantity"], lots["GONE"]["quantity"]) == ("3.00", "9.00")
    assert sorted((m["quantity"], m["lot_id"] == lots["LATE"]["lot_id"]) for m in issues) == [
        ("-1.00", True), ("-2.00", False)]
    assert {m["lot_id"] for m in issues}.isdisjoint({lots["GONE"]["lot_id"]})

    too_much = reserve(client, number, "5")  # 12 on hand, but 9 of it expired
    with pytest.raises(Conflict, match="expired"):
        client.issue_reservation({"reservation_id": too_much["reservation_id"]})
    assert lots_total_equals_on_hand(parts, number)


def test_fifty_concurrent_requests_against_ten_then_arrivals_serve_the_oldest_waiting_first(parts, rpc, subscribe):
    events = subscribe(("parts.events", "part_reserved"))
    client = rpc().parts
    number = new_part(client)
    receive(client, number, "10")
    pending = [client.reserve.call_async({"site_id": SITE, "part_number": number, "quantity": "1",
                                          "reference": f"line-{i}"}) for i in range(50)]
    results = [reply.result() for reply in pending]
    assert sorted(r["status"] for r in results).count("reserved") == 10
    assert sorted(r["status"] for r in results).count("backordered") == 40
    stock = client.get_stock(SITE, number)
    assert (stock["on_hand"], stock["reserved"], stock["backordered"]) == ("10.00", "10.00", "40.00")

    waiting = [client.get_reservation(r["reservation_id"]) for r in results if r["status"] == "backordered"]
    receive(client, number, "5")
    now_reserved = [r for r in waiting if client.get_reservation(r["reservation_id"])["status"] == "reserved"]
    assert len(now_reserved) == 5
    assert lots_total_equals_on_hand(parts, number)
    served = {r["reservation_id"] for r in now_reserved}
    filled = wait_until(lambda: [e for e in events.events("part_reserved") if e["payload"]["was_backordered"]]
                        if len([e for e in events.events("part_reserved") if e["payload"]["was_backordered"]]) == 5
                        else None, message="five backorders served")
    assert {e["payload"]["reservation_id"] for e in filled} == served
    assert client.get_stock(SITE, number)["backordered"] == "35.00"


def test_a_backordered_request_is_served_before_a_later_one_and_released_stock_serves_the_queue(client):
    number = new_part(client)
    receive(client, number, "2")
    first = reserve(client, number, "2")
    waiting = reserve(client, number, "3")
    later = reserve(client, number, "1")
    assert (first["status"], waiting["status"], later["status"]) == ("reserved", "backordered", "backordered")
    receive(client, number, "2")  # 2 arrive: the 3 asked first do not fit yet, and the later 1 must wait behind
    assert client.get_reservation(later["reservation_id"])["status"] == "backordered"
    client.release_reservation(first["reservation_id"])  # 2 more free: 4 available now
    assert client.get_reservation(waiting["reservation_id"])["status"] == "reserved"
    assert client.get_reservation(later["reservation_id"])["status"] == "reserved"


def test_issued_parts_come_back_to_their_bin(parts, client, subscribe):
    events = subscribe(("parts.events", "parts_returned"))
    number = new_part(client)
    receive(client, number, "4")
    reservation = reserve(client, number, "3")
    client.issue_reservation({"reservation_id": reservation["reservation_id"]})
    with pytest.raises(InvalidInput) as refused:
        client.return_to_stock({"reservation_id": reservation["reservation_id"], "quantity": "4"})
    assert refused.value.details == {"quantity": ["At most 3.00."]}
    back = client.return_to_stock({"reservation_id": reservation["reservation_id"], "quantity": "2",
                                   "reason": "Customer declined the second set"})
    assert back["status"] == "returned"
    assert client.get_stock(SITE, number)["on_hand"] == "3.00"
    returned = events.wait_for("parts_returned", lambda e: e["payload"]["reservation_id"] == reservation["reservation_id"])
    assert returned["payload"]["quantity"] == "2.00"
    assert lots_total_equals_on_hand(parts, number)


def test_write_off_takes_only_unreserved_stock_and_reports_its_value(parts, client, subscribe):
    events = subscribe(("parts.events", "stock_written_off"), ("parts.events", "low_stock"))
    number = new_part(client, reorder_point="5")
    receive(client, number, "6")
    reserve(client, number, "4")
    [lot] = client.list_lots({"site_id": SITE, "part_number": number})
    with pytest.raises(Conflict) as refused:
        client.write_off({"lot_id": lot["lot_id"], "quantity": "3", "reason": "damaged"})
    assert refused.value.details == {"quantity": ["At most 2.00: the rest is reserved."]}
    stock = client.write_off({"lot_id": lot["lot_id"], "quantity": "2", "reason": "damaged", "note": "Dropped"})
    assert (stock["on_hand"], stock["reserved"]) == ("4.00", "4.00")
    written_off = events.wait_for("stock_written_off", lambda e: e["payload"]["part_number"] == number)
    assert (written_off["payload"]["value"], written_off["payload"]["reason"]) == ("80.00", "damaged")
    events.wait_for("low_stock", lambda e: e["payload"]["part_number"] == number)
    with pytest.raises(InvalidInput):
        client.write_off({"lot_id": lot["lot_id"], "quantity": "1", "reason": "stolen"})
    assert lots_total_equals_on_hand(parts, number)


def test_expiring_batches_are_alerted_once(client, subscribe):
    events = subscribe(("parts.events", "batch_expiring"))
    number = new_part(client, shelf_life_days=365)
    receive(client, number, "3", batch="SOON", expiry_date=(date.today() + timedelta(days=10)).isoformat())
    receive(client, number, "3", batch="LATER", expiry_date=(date.today() + timedelta(days=100)).isoformat())
    assert client.alert_expiring_batches() >= 1
    alert = events.wait_for("batch_expiring", lambda e: e["payload"]["part_number"] == number)
    assert (alert["payload"]["batch"], alert["payload"]["days_left"]) == ("SOON", 10)
    assert client.alert_expiring_batches() == 0
    assert [e["payload"]["batch"] for e in events.events("batch_expiring") if e["payload"]["part_number"] == number] \
        == ["SOON"]


def test_demand_for_a_superseded_number_goes_to_the_new_part(client):
    old, new = new_part(client), new_part(client)
    receive(client, new, "5")
    with pytest.raises(InvalidInput):
        client.update_part(old, {"superseded_by": old})
    client.update_part(old, {"superseded_by": new})
    with pytest.raises(InvalidInput) as refused:
        client.update_part(new, {"superseded_by": old})
    assert refused.value.details == {"superseded_by": ["Would make a loop."]}
    assert client.current_part(old)["part_number"] == new
    reservation = reserve(client, old, "2")
    assert (reservation["part_number"], reservation["status"]) == (new, "reserved")


def test_parts_are_found_by_name_category_and_the_models_they_fit(client):
    number = new_part(client, fitment=["Passat", "朗逸 Lavida"], brand="Castrol")
    found = client.search_parts({"text": "5w-30", "model": "朗逸 Lavida"})
    assert number in [p["part_number"] for p in found]
    assert number not in [p["part_number"] for p in client.search_parts({"text": "5w-30", "model": "Tiguan"})]
    assert number in [p["part_number"] for p in client.search_parts({"category": "fluids", "brand": "Castrol",
                                                                    "limit": 500})]
