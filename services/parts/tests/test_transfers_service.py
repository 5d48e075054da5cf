"""Transfers between the sites of the group on the real broker and PostgreSQL: request, approve, ship,
stock in transit, receive (in full or short), cancel, and who may do each step."""
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from parts.models import Base
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SENDER, RECEIVER, ELSEWHERE = "SH01", "SZ02", "GZ03"
TRANSFER_TABLES = {"transfers", "transfer_lines"}


def person(name, role, *sites):
    return Caller(user_id=f"u-{name}", username=name, roles=frozenset({role}), sites=frozenset(sites))


SENDER_MANAGER = person("wang.manager", "site_manager", SENDER)
SENDER_CLERK = person("li.clerk", "parts_clerk", SENDER)
RECEIVER_CLERK = person("zhao.clerk", "parts_clerk", RECEIVER)
RECEIVER_MANAGER = person("chen.manager", "site_manager", RECEIVER)
OUTSIDER = person("sun.clerk", "parts_clerk", ELSEWHERE)


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def system(parts, rpc):
    return rpc().parts


@pytest.fixture
def as_(parts, rpc):
    """as_(caller): the parts service as that person."""
    return lambda caller: rpc(caller=caller).parts


def new_part(system, shelf_life_days=None):
    number = f"T-{uuid.uuid4().hex[:8].upper()}"
    system.create_part({"part_number": number, "name": "机油 5W-30", "name_en": "Engine oil 5W-30",
                        "category": "fluids", "unit": "litre", "cost_price": "40.00", "retail_price": "68.00",
                        "shelf_life_days": shelf_life_days})
    return number


def stocked_part(system, *receipts):
    """A part received at the sending site: receipts are (quantity, unit_cost)."""
    number = new_part(system)
    for quantity, unit_cost in receipts:
        system.receive_stock({"site_id": SENDER, "part_number": number, "quantity": quantity, "unit_cost": unit_cost})
    return number


def request(client, *lines, note=""):
    return client.request_transfer({"from_site_id": SENDER, "to_site_id": RECEIVER, "note": note,
                                    "lines": [{"part_number": n, "quantity": q} for n, q in lines]})


def totals(system, site, number):
    stock = system.get_stock(site, number)
    return stock["on_hand"], stock["reserved"], stock["average_cost"]


def test_migrations_build_the_transfer_tables_the_models_describe(databases):
    found = differences("parts:migrations", Base.metadata, databases.fresh_url("transfers_schema"))
    # other areas' tables may still be unfinished while they are built: only ours are checked
    assert [d for d in found if any(f"'{table}'" in repr(d) for table in TRANSFER_TABLES)] == []


def test_a_transfer_goes_from_request_to_receipt_with_stock_in_transit_between(parts, system, as_, subscribe):
    events = subscribe(("parts.events", "transfer_shipped"), ("parts.events", "transfer_received"))
    oil = stocked_part(system, ("10", "40.00"), ("10", "46.00"))  # average 43.00
    filter_ = stocked_part(system, ("5", "12.35"))
    system.create_warehouse({"site_id": RECEIVER, "code": "MAIN", "name": "Main store"})
    system.create_bin({"site_id": RECEIVER, "warehouse_code": "MAIN", "code": "B-01"})

    asked = request(as_(RECEIVER_CLERK), (oil, "6"), (filter_, "2"), note="for the weekend service event")
    assert (asked["status"], asked["from_site_id"], asked["to_site_id"], asked["requested_by"]) == (
        "requested", SENDER, RECEIVER, "zhao.clerk")
    assert asked["allowed_actions"] == ["approve", "cancel"]
    assert [(line["part_number"], line["quantity"], line["reservation_id"]) for line in asked["lines"]] == [
        (oil, "6.00", None), (filter_, "2.00", None)]
    transfer_id = asked["transfer_id"]
    assert totals(system, SENDER, oil) == ("20.00", "0.00", "43.00"), "a request reserves nothing"

    approved = as_(SENDER_MANAGER).approve_transfer(transfer_id)
    assert (approved["status"], approved["approved_by"], approved["allowed_actions"]) == (
        "approved", "wang.manager", ["ship", "cancel"])
    oil_line, _ = approved["lines"]
    reservation = system.get_reservation(oil_line["reservation_id"])
    assert (reservation["kind"], reservation["reference"], reservation["status"], reservation["quantity"]) == (
        "transfer", f"transfer-line:{oil_line['line_id']}", "reserved", "6.00")
    assert totals(system, SENDER, oil) == ("20.00", "6.00", "43.00")

    shipped = as_(SENDER_CLERK).ship_transfer(transfer_id)
    assert (shipped["status"], shipped["shipped_by"], shipped["allowed_actions"]) == (
        "shipped", "li.clerk", ["receive"])
    assert [(line["shipped_quantity"], line["unit_cost"]) for line in shipped["lines"]] == [
        ("6.00", "43.00"), ("2.00", "12.35")]
    assert totals(system, SENDER, oil) == ("14.00", "0.00", "43.00")
    [out] = system.list_movements({"site_id": SENDER, "part_number": oil,
                                   "reference": f"transfer-line:{oil_line['line_id']}"})
    assert (out["kind"], out["quantity"], out["unit_cost"]) == ("transfer_out", "-6.00", "43.00")
    assert system.get_reservation(oil_line["reservation_id"])["status"] == "issued"

    outbound = as_(SENDER_CLERK).stock_in_transit(SENDER)
    inbound = as_(RECEIVER_CLERK).stock_in_transit(RECEIVER)
    assert sorted((r["part_number"], r["outbound_quantity"], r["outbound_value"], r["inbound_quantity"])
                  for r in outbound) == sorted([(oil, "6.00", "258.00", "0.00"), (filter_, "2.00", "24.70", "0.00")])
    assert sorted((r["part_number"], r["inbound_quantity"], r["inbound_value"], r["outbound_quantity"],
                   r["transfer_ids"]) for r in inbound) == sorted([
        (oil, "6.00", "258.00", "0.00", [transfer_id]), (filter_, "2.00", "24.70", "0.00", [transfer_id])])
    sent = events.wait_for("transfer_shipped", lambda e: e["payload"]["transfer_id"] == transfer_id)
    assert sent["site_id"] == SENDER
    assert sent["payload"]["from_site_id"] == SENDER and sent["payload"]["to_site_id"] == RECEIVER
    assert sent["payload"]["value"] == "282.70"
    assert [(line["part_number"], line["quantity"], line["unit_cost"]) for line in sent["payload"]["lines"]] == [
        (oil, "6.00", "43.00"), (filter_, "2.00", "12.35")]

    received = as_(RECEIVER_CLERK).receive_transfer(transfer_id, {
        "warehouse_code": "MAIN", "bin_code": "B-01",
        "lines": [{"line_id": oil_line["line_id"], "received_quantity": "5", "discrepancy_reason": "one can crushed"}]})
    assert (received["status"], received["received_by"], received["allowed_actions"]) == (
        "received", "zhao.clerk", [])
    assert [(line["received_quantity"], line["lost_quantity"], line["discrepancy_reason"])
            for line in received["lines"]] == [("5.00", "1.00", "one can crushed"), ("2.00", "0.00", "")]
    assert totals(system, RECEIVER, oil) == ("5.00", "0.00", "43.00"), "received at the sender's average cost"
    assert totals(system, RECEIVER, filter_) == ("2.00", "0.00", "12.35")
    [arrived] = system.list_movements({"site_id": RECEIVER, "part_number": oil})
    assert (arrived["kind"], arrived["quantity"], arrived["unit_cost"], arrived["reference"]) == (
        "transfer_in", "5.00", "43.00", f"transfer-line:{oil_line['line_id']}")
    [lot] = system.list_lots({"site_id": RECEIVER, "part_number": oil})
    assert (lot["warehouse_code"], lot["bin_code"], lot["quantity"]) == ("MAIN", "B-01", "5.00")
    assert system.stock_in_transit(SENDER) == [] and system.stock_in_transit(RECEIVER) == []
    assert totals(system, SENDER, oil) == ("14.00", "0.00", "43.00"), "the sender's books do not move on receipt"

    arrived_event = events.wait_for("transfer_received", lambda e: e["payload"]["transfer_id"] == transfer_id)
    assert arrived_event["site_id"] == RECEIVER
    assert arrived_event["payload"]["lost_value"] == "43.00"
    assert [(line["part_number"], line["shipped_quantity"], line["received_quantity"], line["lost_quantity"],
             line["unit_cost"], line["discrepancy_reason"]) for line in arrived_event["payload"]["lines"]] == [
        (oil, "6.00", "5.00", "1.00", "43.00", "one can crushed"), (filter_, "2.00", "2.00", "0.00", "12.35", "")]

    with pytest.raises(Conflict) as refused:
        as_(SENDER_MANAGER).approve_transfer(transfer_id)
    assert "allowed now: nothing (the transfer is closed)" in str(refused.value)
    assert system.get_transfer(transfer_id)["status"] == "received"


def test_each_step_is_done_by_its_own_site_and_role(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    with pytest.raises(Forbidden):
        request(as_(OUTSIDER), (oil, "1"))
    transfer_id = request(as_(SENDER_CLERK), (oil, "3"))["transfer_id"]  # the sender may offer stock too

    with pytest.raises(Forbidden) as refused:
        as_(RECEIVER_MANAGER).approve_transfer(transfer_id)
    assert "the sending site (SH01)" in str(refused.value)
    with pytest.raises(Forbidden) as refused:
        as_(SENDER_CLERK).approve_transfer(transfer_id)
    assert refused.value.details == {"roles": ["Requires one of: site_manager."]}
    assert totals(system, SENDER, oil) == ("10.00", "0.00", "40.00")
    as_(SENDER_MANAGER).approve_transfer(transfer_id)

    with pytest.raises(Forbidden):
        as_(RECEIVER_CLERK).ship_transfer(transfer_id)
    as_(SENDER_CLERK).ship_transfer(transfer_id)

    with pytest.raises(Forbidden) as refused:
        as_(SENDER_CLERK).receive_transfer(transfer_id, {})
    assert "the receiving site (SZ02)" in str(refused.value)
    with pytest.raises(Forbidden):
        as_(OUTSIDER).get_transfer(transfer_id)
    with pytest.raises(Forbidden):
        as_(OUTSIDER).stock_in_transit(SENDER)
    assert as_(OUTSIDER).list_transfers({}) == []
    assert system.get_transfer(transfer_id)["status"] == "shipped"
    as_(RECEIVER_CLERK).receive_transfer(transfer_id, {})
    assert totals(system, RECEIVER, oil) == ("3.00", "0.00", "40.00")


def test_steps_out_of_order_are_refused_with_the_steps_allowed(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    transfer_id = request(as_(RECEIVER_CLERK), (oil, "2"))["transfer_id"]
    with pytest.raises(Conflict) as refused:
        as_(SENDER_CLERK).ship_transfer(transfer_id)
    assert str(refused.value) == "A transfer that is requested cannot ship; allowed now: approve, cancel."
    with pytest.raises(Conflict) as refused:
        as_(RECEIVER_CLERK).receive_transfer(transfer_id, {})
    assert refused.value.details == {"status": ["Is requested; allowed: approve, cancel."]}
    as_(SENDER_MANAGER).approve_transfer(transfer_id)
    with pytest.raises(Conflict) as refused:
        as_(SENDER_MANAGER).approve_transfer(transfer_id)
    assert "allowed now: ship, cancel" in str(refused.value)
    assert totals(system, SENDER, oil) == ("10.00", "2.00", "40.00"), "approving twice does not reserve twice"
    as_(SENDER_CLERK).ship_transfer(transfer_id)
    with pytest.raises(Conflict) as refused:
        as_(RECEIVER_CLERK).cancel_transfer(transfer_id, {"reason": "changed our mind"})
    assert "cannot cancel; allowed now: receive" in str(refused.value)
    assert system.get_transfer(transfer_id)["status"] == "shipped"


def test_a_sender_short_of_stock_cannot_approve_and_nothing_is_reserved(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    filter_ = stocked_part(system, ("1", "12.00"))
    transfer_id = request(as_(RECEIVER_CLERK), (oil, "4"), (filter_, "3"))["transfer_id"]
    with pytest.raises(Conflict) as refused:
        as_(SENDER_MANAGER).approve_transfer(transfer_id)
    assert refused.value.details == {"lines": {"1": {"quantity": [
        f"{filter_}: 1.00 available at {SENDER}, 3.00 asked."]}}}
    assert totals(system, SENDER, oil) == ("10.00", "0.00", "40.00"), "the line that fitted is not reserved either"
    transfer = system.get_transfer(transfer_id)
    assert transfer["status"] == "requested"
    assert [line["reservation_id"] for line in transfer["lines"]] == [None, None]


def test_cancelling_an_approved_transfer_releases_its_reservations(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    transfer = request(as_(RECEIVER_CLERK), (oil, "4"))
    approved = as_(SENDER_MANAGER).approve_transfer(transfer["transfer_id"])
    assert totals(system, SENDER, oil) == ("10.00", "4.00", "40.00")
    with pytest.raises(InvalidInput) as refused:
        as_(RECEIVER_CLERK).cancel_transfer(transfer["transfer_id"], {"reason": ""})
    assert set(refused.value.details) == {"reason"}
    with pytest.raises(Forbidden):
        as_(OUTSIDER).cancel_transfer(transfer["transfer_id"], {"reason": "not needed"})
    cancelled = as_(RECEIVER_CLERK).cancel_transfer(transfer["transfer_id"], {"reason": "customer postponed"})
    assert (cancelled["status"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        "cancelled", "zhao.clerk", "customer postponed")
    assert totals(system, SENDER, oil) == ("10.00", "0.00", "40.00")
    assert system.get_reservation(approved["lines"][0]["reservation_id"])["status"] == "released"
    with pytest.raises(Conflict):
        as_(SENDER_CLERK).ship_transfer(transfer["transfer_id"])


def test_bad_requests_are_refused_naming_the_field_and_nothing_is_kept(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    clerk = as_(RECEIVER_CLERK)
    with pytest.raises(InvalidInput) as refused:
        clerk.request_transfer({"from_site_id": RECEIVER, "to_site_id": RECEIVER,
                                "lines": [{"part_number": oil, "quantity": "1"}]})
    assert refused.value.details == {"to_site_id": ["Must differ from from_site_id."]}
    with pytest.raises(InvalidInput) as refused:
        request(clerk, (oil, "1.234"))
    assert set(refused.value.details["lines"]["0"]) == {"quantity"}
    with pytest.raises(InvalidInput) as refused:
        request(clerk, (oil, "1"), (oil, "2"))
    assert set(refused.value.details) == {"lines"}
    with pytest.raises(InvalidInput) as refused:
        clerk.request_transfer({"from_site_id": SENDER, "to_site_id": RECEIVER, "lines": []})
    assert set(refused.value.details) == {"lines"}
    with pytest.raises(NotFound) as refused:
        request(clerk, (oil, "1"), ("NO-SUCH-PART", "1"))
    assert refused.value.details == {"lines": {"1": {"part_number": ["Unknown part."]}}}
    with pytest.raises(NotFound) as refused:
        clerk.get_transfer(str(uuid.uuid4()))
    assert set(refused.value.details) == {"transfer_id"}
    assert system.list_transfers({}) == []


def test_a_receipt_that_does_not_match_the_shipment_changes_nothing(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    transfer_id = request(as_(RECEIVER_CLERK), (oil, "4"))["transfer_id"]
    as_(SENDER_MANAGER).approve_transfer(transfer_id)
    [line] = as_(SENDER_CLERK).ship_transfer(transfer_id)["lines"]
    receiver = as_(RECEIVER_CLERK)
    with pytest.raises(InvalidInput) as refused:
        receiver.receive_transfer(transfer_id, {"lines": [{"line_id": line["line_id"], "received_quantity": "3"}]})
    assert refused.value.details == {"lines": {"0": {"discrepancy_reason": ["Required: 1.00 of 4.00 did not arrive."]}}}
    with pytest.raises(InvalidInput) as refused:
        receiver.receive_transfer(transfer_id, {"lines": [{"line_id": line["line_id"], "received_quantity": "5"}]})
    assert refused.value.details == {"lines": {"0": {"received_quantity": ["At most 4.00: that is what was shipped."]}}}
    with pytest.raises(NotFound) as refused:
        receiver.receive_transfer(transfer_id, {"bin_code": "NOWHERE", "warehouse_code": "MAIN"})
    assert system.get_transfer(transfer_id)["status"] == "shipped"
    assert Decimal(system.get_stock(RECEIVER, oil)["on_hand"]) == 0
    assert [r["inbound_quantity"] for r in system.stock_in_transit(RECEIVER)] == ["4.00"]

    received = receiver.receive_transfer(transfer_id, {"lines": [
        {"line_id": line["line_id"], "received_quantity": "0", "discrepancy_reason": "lost by the courier"}]})
    assert [(l["received_quantity"], l["lost_quantity"]) for l in received["lines"]] == [("0.00", "4.00")]
    assert Decimal(system.get_stock(RECEIVER, oil)["on_hand"]) == 0
    assert system.stock_in_transit(RECEIVER) == []


def test_batches_travel_with_their_expiry_dates_and_a_shortfall_is_charged_to_the_last_picked(parts, system, as_):
    coolant = new_part(system, shelf_life_days=730)
    soon, late = date.today() + timedelta(days=60), date.today() + timedelta(days=400)
    for batch, expiry, quantity in (("B-LATE", late, "5"), ("B-SOON", soon, "2")):
        system.receive_stock({"site_id": SENDER, "part_number": coolant, "quantity": quantity, "unit_cost": "30.00",
                              "batch": batch, "expiry_date": expiry.isoformat()})
    transfer_id = request(as_(RECEIVER_CLERK), (coolant, "4"))["transfer_id"]
    as_(SENDER_MANAGER).approve_transfer(transfer_id)
    [line] = as_(SENDER_CLERK).ship_transfer(transfer_id)["lines"]
    assert line["batches"] == [{"batch": "B-SOON", "expiry_date": soon.isoformat(), "quantity": "2.00"},
                               {"batch": "B-LATE", "expiry_date": late.isoformat(), "quantity": "2.00"}]
    as_(RECEIVER_CLERK).receive_transfer(transfer_id, {"lines": [
        {"line_id": line["line_id"], "received_quantity": "3", "discrepancy_reason": "one bottle leaked"}]})
    lots = {lot["batch"]: (lot["expiry_date"], lot["quantity"])
            for lot in system.list_lots({"site_id": RECEIVER, "part_number": coolant})}
    assert lots == {"B-SOON": (soon.isoformat(), "2.00"), "B-LATE": (late.isoformat(), "1.00")}


def test_transfers_are_listed_by_direction_for_a_site(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    system.receive_stock({"site_id": RECEIVER, "part_number": oil, "quantity": "5", "unit_cost": "41.00"})
    inbound = request(as_(RECEIVER_CLERK), (oil, "1"))
    outbound = system.request_transfer({"from_site_id": RECEIVER, "to_site_id": ELSEWHERE,
                                        "lines": [{"part_number": oil, "quantity": "2"}]})
    clerk = as_(RECEIVER_CLERK)
    assert [t["transfer_id"] for t in clerk.list_transfers({"site_id": RECEIVER, "direction": "inbound"})] == [
        inbound["transfer_id"]]
    assert [t["transfer_id"] for t in clerk.list_transfers({"site_id": RECEIVER, "direction": "outbound"})] == [
        outbound["transfer_id"]]
    assert {t["transfer_id"] for t in clerk.list_transfers({})} == {inbound["transfer_id"], outbound["transfer_id"]}
    assert clerk.list_transfers({"status": "shipped"}) == []
    assert [t["transfer_id"] for t in as_(OUTSIDER).list_transfers({})] == [outbound["transfer_id"]]
    with pytest.raises(Forbidden):
        as_(OUTSIDER).list_transfers({"site_id": SENDER})
    with pytest.raises(InvalidInput) as refused:
        clerk.list_transfers({"direction": "sideways"})
    assert set(refused.value.details) == {"direction"}


def test_two_managers_approving_at_once_reserve_the_stock_once(parts, system, rpc):
    oil = stocked_part(system, ("10", "40.00"))
    transfer_id = request(rpc(caller=RECEIVER_CLERK).parts, (oil, "6"))["transfer_id"]
    managers = [rpc(caller=SENDER_MANAGER).parts for _ in range(4)]
    replies = [manager.approve_transfer.call_async(transfer_id) for manager in managers]
    outcomes = []
    for reply in replies:
        try:
            outcomes.append(reply.result()["status"])
        except Conflict:
            outcomes.append("refused")
    assert sorted(outcomes) == ["approved", "refused", "refused", "refused"]
    assert totals(system, SENDER, oil) == ("10.00", "6.00", "40.00")


def test_a_superseded_number_is_transferred_as_the_part_that_replaces_it(parts, system, as_):
    oil = stocked_part(system, ("10", "40.00"))
    old = new_part(system)
    system.update_part(old, {"superseded_by": oil})
    [line] = request(as_(RECEIVER_CLERK), (old, "2"))["lines"]
    assert line["part_number"] == oil
    with pytest.raises(InvalidInput) as refused:
        request(as_(RECEIVER_CLERK), (oil, "1"), (old, "2"))
    assert refused.value.details == {"lines": {"1": {"part_number": [f"Same part as {oil}."]}}}
