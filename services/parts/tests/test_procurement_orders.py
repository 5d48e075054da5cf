"""Suppliers, purchase orders, receiving with incoming inspection, overdue alerts and supplier scorecards,
on the real broker and PostgreSQL."""
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from parts.models import Base
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SITE, OTHER_SITE = "SITE-1", "SITE-2"
CHINA = timezone(timedelta(hours=8))
PROCUREMENT_TABLES = {"suppliers", "rfqs", "rfq_lines", "rfq_invitations", "rfq_bids", "rfq_bid_lines",
                      "purchase_orders", "purchase_order_lines", "goods_receipts", "goods_receipt_lines",
                      "purchase_plans", "purchase_plan_lines"}
CLERK = Caller(user_id="u-clerk", username="clerk.li", roles=frozenset({"parts_clerk"}), sites=frozenset({SITE}))
OTHER_CLERK = Caller(user_id="u-other", username="clerk.wang", roles=frozenset({"parts_clerk"}),
                     sites=frozenset({OTHER_SITE}))
TECHNICIAN = Caller(user_id="u-tech", username="tech.zhao", roles=frozenset({"technician"}), sites=frozenset({SITE}))


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def client(parts, rpc):
    return rpc().parts


@pytest.fixture
def clerk(parts, rpc):
    return rpc(caller=CLERK).parts


def local_today():
    return datetime.now(CHINA).date()


def new_part(client, cost_price="40.00", shelf_life_days=None):
    number = f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": number, "name": "刹车片", "name_en": "Brake pads", "category": "brakes",
                        "cost_price": cost_price, "retail_price": "90.00", "shelf_life_days": shelf_life_days})
    return number


def new_supplier(client, lead_time_days=5, **extra):
    return client.create_supplier({"name": f"广州汽配 {uuid.uuid4().hex[:6]}", "lead_time_days": lead_time_days,
                                   "payment_terms": "月结30天", **extra})


def sent_order(client, supplier, lines, expected_date=None, site_id=SITE):
    order = client.create_purchase_order({
        "site_id": site_id, "supplier_id": supplier["supplier_id"],
        "expected_date": expected_date.isoformat() if expected_date else None,
        "lines": [{"part_number": number, "quantity": quantity, "unit_price": price}
                  for number, quantity, price in lines]})
    return client.send_purchase_order(order["purchase_order_id"])


def line_of(order, number):
    return next(line for line in order["lines"] if line["part_number"] == number)


def test_migrations_build_the_procurement_tables_the_models_describe(databases):
    found = differences("parts:migrations", Base.metadata, databases.fresh_url("procurement_schema"))
    assert [d for d in found if PROCUREMENT_TABLES & set(_tables_named(d))] == []


def _tables_named(difference):
    """The table names a difference from alembic's compare_metadata touches."""
    if isinstance(difference, (list, tuple)):
        return [name for item in difference for name in _tables_named(item)]
    if isinstance(difference, str):
        return [difference]
    table = getattr(difference, "table", None)
    return [getattr(table, "name", None) or getattr(difference, "name", None)]


# --- suppliers ---

def test_a_supplier_is_kept_with_contacts_terms_and_lead_time(client, clerk):
    supplier = new_supplier(clerk, lead_time_days=3, contacts=[
        {"name": "陈经理", "role": "sales", "phone": "+86 138 1234 5678", "email": "chen@example.cn"}])
    assert (supplier["lead_time_days"], supplier["payment_terms"], supplier["active"]) == (3, "月结30天", True)
    assert supplier["contacts"] == [{"name": "陈经理", "role": "sales", "phone": "13812345678",
                                     "email": "chen@example.cn"}]
    with pytest.raises(Conflict) as taken:
        clerk.create_supplier({"name": supplier["name"].upper(), "lead_time_days": 2})
    assert taken.value.details == {"name": ["Already taken."]}
    changed = clerk.update_supplier(supplier["supplier_id"], {"lead_time_days": 7, "active": False})
    assert (changed["lead_time_days"], changed["active"]) == (7, False)
    assert [s["supplier_id"] for s in client.list_suppliers({"text": supplier["name"][-6:]})] == [
        supplier["supplier_id"]]
    assert client.list_suppliers({"text": supplier["name"][-6:], "active": True}) == []


def test_bad_supplier_input_is_refused_field_by_field_and_nothing_is_kept(client, rpc):
    name = f"Bad {uuid.uuid4().hex[:6]}"
    with pytest.raises(InvalidInput) as refused:
        client.create_supplier({"name": name, "lead_time_days": -1,
                                "contacts": [{"name": "X", "phone": "12345"}]})
    assert set(refused.value.details) == {"lead_time_days", "contacts"}
    assert client.list_suppliers({"text": name}) == []
    with pytest.raises(Forbidden):
        rpc(caller=TECHNICIAN).parts.create_supplier({"name": name, "lead_time_days": 1})
    with pytest.raises(NotFound):
        client.get_supplier(str(uuid.uuid4()))


# --- purchase orders ---

def test_an_order_is_drafted_then_sent_and_announced_once(client, clerk, rpc, subscribe):
    events = subscribe(("parts.events", "purchase_order_placed"))
    number, supplier = new_part(client), new_supplier(client, lead_time_days=6)
    draft = clerk.create_purchase_order({"site_id": SITE, "supplier_id": supplier["supplier_id"],
                                         "lines": [{"part_number": number, "quantity": "10", "unit_price": "42.50"}]})
    assert (draft["status"], draft["total"], draft["expected_date"]) == (
        "draft", "425.00", (local_today() + timedelta(days=6)).isoformat())
    assert draft["number"].startswith(f"PO-{SITE}-")
    sent = clerk.send_purchase_order(draft["purchase_order_id"])
    assert sent["status"] == "sent" and sent["sent_at"]
    with pytest.raises(Conflict):
        clerk.send_purchase_order(draft["purchase_order_id"])
    placed = events.wait_for("purchase_order_placed",
                             lambda e: e["payload"]["purchase_order_id"] == draft["purchase_order_id"])
    assert placed["site_id"] == SITE
    assert (placed["payload"]["number"], placed["payload"]["total"], placed["payload"]["supplier_name"]) == (
        draft["number"], "425.00", supplier["name"])
    assert [(l["part_number"], l["quantity"], l["unit_price"]) for l in placed["payload"]["lines"]] == [
        (number, "10.00", "42.50")]
    assert len([e for e in events.events("purchase_order_placed")
                if e["payload"]["purchase_order_id"] == draft["purchase_order_id"]]) == 1

    other = rpc(caller=OTHER_CLERK).parts
    with pytest.raises(Forbidden):
        other.get_purchase_order(draft["purchase_order_id"])
    assert draft["purchase_order_id"] not in {o["purchase_order_id"] for o in other.list_purchase_orders({})}
    assert draft["purchase_order_id"] in {o["purchase_order_id"] for o in clerk.list_purchase_orders(
        {"supplier_id": supplier["supplier_id"], "status": "sent"})}


def test_an_order_with_bad_lines_is_refused_naming_the_line(client, clerk, rpc):
    number, supplier = new_part(client), new_supplier(client)
    base = {"site_id": SITE, "supplier_id": supplier["supplier_id"]}
    with pytest.raises(InvalidInput) as refused:
        clerk.create_purchase_order({**base, "lines": [{"part_number": number, "quantity": "0", "unit_price": "1.005"}]})
    assert set(refused.value.details["lines"]["0"]) == {"quantity", "unit_price"}
    with pytest.raises(NotFound) as unknown:
        clerk.create_purchase_order({**base, "lines": [{"part_number": number, "quantity": "1", "unit_price": "1"},
                                                       {"part_number": "NO-SUCH", "quantity": "1", "unit_price": "1"}]})
    assert unknown.value.details == {"lines": {"1": {"part_number": ["Unknown part."]}}}
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.create_purchase_order(
            {**base, "lines": [{"part_number": number, "quantity": "1", "unit_price": "1"}]})
    assert clerk.list_purchase_orders({"supplier_id": supplier["supplier_id"]}) == []
    client.update_supplier(supplier["supplier_id"], {"active": False})
    with pytest.raises(Conflict):
        clerk.create_purchase_order({**base, "lines": [{"part_number": number, "quantity": "1", "unit_price": "1"}]})


# --- receiving ---

def test_a_partial_delivery_with_rejected_parts_books_only_what_passed_inspection(parts, client, clerk, subscribe):
    events = subscribe(("parts.events", "goods_received"), ("parts.events", "stock_received"))
    pads, discs = new_part(client, cost_price="40.00"), new_part(client, cost_price="100.00")
    supplier = new_supplier(client)
    order = sent_order(clerk, supplier, [(pads, "10", "42.00"), (discs, "2", "95.00")],
                       expected_date=local_today() + timedelta(days=3))
    client.create_warehouse({"site_id": SITE, "code": "MAIN", "name": "Main store"})
    client.create_bin({"site_id": SITE, "warehouse_code": "MAIN", "code": "B-07"})

    receipt = clerk.receive_purchase_order(order["purchase_order_id"], {"delivery_note": "DN-001", "lines": [
        {"line_id": line_of(order, pads)["line_id"], "delivered": "6", "accepted": "4", "rejected": "2",
         "reject_reason": "Friction material cracked", "warehouse_code": "MAIN", "bin_code": "B-07"}]})
    assert (receipt["on_time"], receipt["delivery_note"]) == (True, "DN-001")
    [booked] = receipt["lines"]
    assert (booked["delivered_quantity"], booked["accepted_quantity"], booked["rejected_quantity"]) == (
        "6.00", "4.00", "2.00")

    stock = client.get_stock(SITE, pads)
    assert (stock["on_hand"], stock["average_cost"]) == ("4.00", "42.00")
    [lot] = client.list_lots({"site_id": SITE, "part_number": pads})
    assert (lot["bin_code"], lot["quantity"], lot["lot_id"]) == ("B-07", "4.00", booked["lot_id"])
    [movement] = client.list_movements({"site_id": SITE, "part_number": pads})
    assert (movement["kind"], movement["quantity"], movement["unit_cost"], movement["reference"]) == (
        "receipt", "4.00", "42.00", order["number"])

    after = client.get_purchase_order(order["purchase_order_id"])
    assert after["status"] == "partially_received"
    line = line_of(after, pads)
    assert (line["delivered_quantity"], line["accepted_quantity"], line["rejected_quantity"],
            line["outstanding_quantity"]) == ("6.00", "4.00", "2.00", "6.00")  # the 2 rejected are still owed

    received = events.wait_for("goods_received", lambda e: e["payload"]["receipt_id"] == receipt["receipt_id"])
    assert (received["payload"]["number"], received["payload"]["status"], received["site_id"]) == (
        order["number"], "partially_received", SITE)
    assert received["payload"]["lines"] == [{
        "line_id": line["line_id"], "part_number": pads, "delivered": "6.00", "accepted": "4.00",
        "rejected": "2.00", "reject_reason": "Friction material cracked"}]
    events.wait_for("stock_received", lambda e: e["payload"]["part_number"] == pads
                    and e["payload"]["reference"] == order["number"])

    with pytest.raises(Conflict) as again:
        clerk.receive_purchase_order(order["purchase_order_id"], {"delivery_note": "DN-001", "lines": [
            {"line_id": line["line_id"], "delivered": "1", "accepted": "1"}]})
    assert again.value.details == {"delivery_note": ["Already booked on this order."]}

    clerk.receive_purchase_order(order["purchase_order_id"], {"delivery_note": "DN-002", "lines": [
        {"line_id": line["line_id"], "delivered": "6", "accepted": "6"},
        {"line_id": line_of(order, discs)["line_id"], "delivered": "2", "accepted": "2"}]})
    done = client.get_purchase_order(order["purchase_order_id"])
    assert done["status"] == "received"
    assert [l["outstanding_quantity"] for l in done["lines"]] == ["0.00", "0.00"]
    assert client.get_stock(SITE, pads)["on_hand"] == "10.00"
    assert len(client.list_goods_receipts(order["purchase_order_id"])) == 2
    with pytest.raises(Conflict):
        clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": line["line_id"], "delivered": "1", "accepted": "0", "rejected": "1", "reject_reason": "x"}]})


def test_a_delivery_that_does_not_add_up_is_refused_line_by_line_and_changes_nothing(client, clerk, rpc):
    pads, discs = new_part(client), new_part(client)
    order = sent_order(clerk, new_supplier(client), [(pads, "5", "42.00"), (discs, "2", "95.00")])
    with pytest.raises(InvalidInput) as refused:
        clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": line_of(order, pads)["line_id"], "delivered": "6", "accepted": "6"},
            {"line_id": line_of(order, discs)["line_id"], "delivered": "2", "accepted": "1", "rejected": "1"}]})
    assert refused.value.details == {"lines": {
        "0": {"accepted": ["At most 5.00: only that much is still owed on the line."]},
        "1": {"reject_reason": ["Say why parts were rejected."]}}}
    with pytest.raises(InvalidInput) as unknown_line:
        clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": str(uuid.uuid4()), "delivered": "1", "accepted": "1"}]})
    assert unknown_line.value.details == {"lines": {"0": {"line_id": ["Not a line of this order."]}}}
    with pytest.raises(NotFound) as no_bin:
        clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": line_of(order, pads)["line_id"], "delivered": "1", "accepted": "1", "bin_code": "NOPE"}]})
    assert no_bin.value.details == {"lines": {"0": {"bin_code": ["Unknown bin."]}}}
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": line_of(order, pads)["line_id"], "delivered": "1", "accepted": "1"}]})
    assert Decimal(client.get_stock(SITE, pads)["on_hand"]) == 0
    unchanged = client.get_purchase_order(order["purchase_order_id"])
    assert (unchanged["status"], line_of(unchanged, pads)["delivered_quantity"]) == ("sent", "0.00")
    assert client.list_goods_receipts(order["purchase_order_id"]) == []


def test_a_draft_order_cannot_be_received(client, clerk):
    number = new_part(client)
    draft = clerk.create_purchase_order({"site_id": SITE, "supplier_id": new_supplier(client)["supplier_id"],
                                         "lines": [{"part_number": number, "quantity": "1", "unit_price": "1.00"}]})
    with pytest.raises(Conflict) as refused:
        clerk.receive_purchase_order(draft["purchase_order_id"], {"lines": [
            {"line_id": draft["lines"][0]["line_id"], "delivered": "1", "accepted": "1"}]})
    assert refused.value.details == {"status": ["Is draft."]}


def test_parts_with_a_shelf_life_are_received_by_batch(client, clerk):
    oil = new_part(client, shelf_life_days=730)
    order = sent_order(clerk, new_supplier(client), [(oil, "20", "38.00")])
    line_id = order["lines"][0]["line_id"]
    with pytest.raises(InvalidInput) as refused:
        clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
            {"line_id": line_id, "delivered": "20", "accepted": "20"}]})
    assert set(refused.value.details["lines"]["0"]) == {"batch", "expiry_date"}
    expiry = (local_today() + timedelta(days=700)).isoformat()
    clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
        {"line_id": line_id, "delivered": "20", "accepted": "20", "batch": "OIL-2611", "expiry_date": expiry}]})
    [lot] = client.list_lots({"site_id": SITE, "part_number": oil})
    assert (lot["batch"], lot["expiry_date"], lot["quantity"]) == ("OIL-2611", expiry, "20.00")


def test_backordered_repair_order_lines_are_reserved_on_receipt_in_the_order_they_were_asked(
        client, clerk, subscribe):
    events = subscribe(("parts.events", "part_reserved"))
    pads = new_part(client)
    first_ro, second_ro = str(uuid.uuid4()), str(uuid.uuid4())
    first = client.reserve({"site_id": SITE, "part_number": pads, "quantity": "3", "reference": f"ro-line:{first_ro}",
                            "repair_order_id": first_ro})
    second = client.reserve({"site_id": SITE, "part_number": pads, "quantity": "2",
                             "reference": f"ro-line:{second_ro}", "repair_order_id": second_ro})
    assert (first["status"], second["status"]) == ("backordered", "backordered")
    order = sent_order(clerk, new_supplier(client), [(pads, "8", "42.00")])
    line_id = order["lines"][0]["line_id"]

    # 4 pass inspection: enough for the first RO line (3); the second (2) must wait for the rest
    clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
        {"line_id": line_id, "delivered": "5", "accepted": "4", "rejected": "1", "reject_reason": "Wrong size"}]})
    assert client.get_reservation(first["reservation_id"])["status"] == "reserved"
    assert client.get_reservation(second["reservation_id"])["status"] == "backordered"
    reserved = events.wait_for("part_reserved", lambda e: e["payload"]["reservation_id"] == first["reservation_id"])
    assert (reserved["payload"]["was_backordered"], reserved["payload"]["repair_order_id"],
            reserved["payload"]["quantity"]) == (True, first_ro, "3.00")

    clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
        {"line_id": line_id, "delivered": "4", "accepted": "4"}]})
    assert client.get_reservation(second["reservation_id"])["status"] == "reserved"
    later = events.wait_for("part_reserved", lambda e: e["payload"]["reservation_id"] == second["reservation_id"])
    assert later["payload"]["was_backordered"] is True
    stock = client.get_stock(SITE, pads)
    assert (stock["on_hand"], stock["reserved"], Decimal(stock["backordered"])) == ("8.00", "5.00", 0)


# --- cancelling ---

def test_cancelling_closes_an_order_short_or_cancels_it(client, clerk):
    pads = new_part(client)
    supplier = new_supplier(client)
    order = sent_order(clerk, supplier, [(pads, "10", "42.00")])
    clerk.receive_purchase_order(order["purchase_order_id"], {"lines": [
        {"line_id": order["lines"][0]["line_id"], "delivered": "5", "accepted": "3", "rejected": "2",
         "reject_reason": "Rusty"}]})
    with pytest.raises(InvalidInput):
        clerk.cancel_purchase_order(order["purchase_order_id"], {})
    closed = clerk.cancel_purchase_order(order["purchase_order_id"], {"reason": "Supplier out of stock"})
    assert (closed["status"], closed["cancel_reason"]) == ("received", "Supplier out of stock")
    assert (closed["lines"][0]["cancelled_quantity"], closed["lines"][0]["outstanding_quantity"]) == ("7.00", "0.00")
    with pytest.raises(Conflict):
        clerk.cancel_purchase_order(order["purchase_order_id"], {"reason": "again"})

    draft = clerk.create_purchase_order({"site_id": SITE, "supplier_id": supplier["supplier_id"],
                                         "lines": [{"part_number": pads, "quantity": "4", "unit_price": "42.00"}]})
    assert clerk.cancel_purchase_order(draft["purchase_order_id"], {"reason": "Ordered twice"})["status"] == "cancelled"


# --- overdue deliveries ---

def test_overdue_orders_are_alerted_once(client, clerk, subscribe):
    events = subscribe(("parts.events", "purchase_order_overdue"))
    pads, discs = new_part(client), new_part(client)
    supplier = new_supplier(client)
    late = sent_order(clerk, supplier, [(pads, "10", "42.00"), (discs, "1", "95.00")],
                      expected_date=local_today() - timedelta(days=3))
    clerk.receive_purchase_order(late["purchase_order_id"], {"lines": [
        {"line_id": line_of(late, discs)["line_id"], "delivered": "1", "accepted": "1"}]})
    not_yet = sent_order(clerk, supplier, [(pads, "1", "42.00")], expected_date=local_today())
    draft = clerk.create_purchase_order({"site_id": SITE, "supplier_id": supplier["supplier_id"],
                                         "expected_date": (local_today() - timedelta(days=9)).isoformat(),
                                         "lines": [{"part_number": pads, "quantity": "1", "unit_price": "1.00"}]})
    assert client.get_purchase_order(late["purchase_order_id"])["overdue"] is True
    assert client.get_purchase_order(not_yet["purchase_order_id"])["overdue"] is False

    assert client.alert_overdue_purchase_orders() == 1
    alert = events.wait_for("purchase_order_overdue",
                            lambda e: e["payload"]["purchase_order_id"] == late["purchase_order_id"])
    assert (alert["payload"]["days_overdue"], alert["payload"]["number"], alert["site_id"]) == (3, late["number"], SITE)
    assert alert["payload"]["lines"] == [{"line_id": line_of(late, pads)["line_id"], "part_number": pads,
                                          "outstanding_quantity": "10.00"}]
    assert client.alert_overdue_purchase_orders() == 0
    ids = [e["payload"]["purchase_order_id"] for e in events.events("purchase_order_overdue")]
    assert ids == [late["purchase_order_id"]]
    assert draft["purchase_order_id"] not in ids and not_yet["purchase_order_id"] not in ids


# --- scorecard ---

def test_the_scorecard_measures_on_time_delivery_acceptance_and_price_variance(client, clerk):
    pads, discs = new_part(client, cost_price="40.00"), new_part(client, cost_price="100.00")
    supplier = new_supplier(client)
    on_time = sent_order(clerk, supplier, [(pads, "10", "42.00")], expected_date=local_today() + timedelta(days=2))
    late = sent_order(clerk, supplier, [(discs, "4", "95.00")], expected_date=local_today() - timedelta(days=2))
    clerk.receive_purchase_order(on_time["purchase_order_id"], {"lines": [
        {"line_id": on_time["lines"][0]["line_id"], "delivered": "10", "accepted": "8", "rejected": "2",
         "reject_reason": "Damaged in transit"}]})
    clerk.receive_purchase_order(late["purchase_order_id"], {"lines": [
        {"line_id": late["lines"][0]["line_id"], "delivered": "4", "accepted": "4"}]})
    elsewhere = sent_order(client, supplier, [(pads, "6", "42.00")], site_id=OTHER_SITE,
                           expected_date=local_today() - timedelta(days=1))
    client.receive_purchase_order(elsewhere["purchase_order_id"], {"lines": [
        {"line_id": elsewhere["lines"][0]["line_id"], "delivered": "6", "accepted": "0", "rejected": "6",
         "reject_reason": "Counterfeit"}]})

    period = {"supplier_id": supplier["supplier_id"], "date_from": (local_today() - timedelta(days=30)).isoformat(),
              "date_to": local_today().isoformat()}
    card = clerk.supplier_scorecard(period)  # the clerk sees only SITE-1's deliveries
    assert (card["receipts"], card["on_time_receipts"], card["on_time_pct"]) == (2, 1, "50.00")
    assert (card["delivered_quantity"], card["accepted_quantity"], card["rejected_quantity"],
            card["acceptance_pct"]) == ("14.00", "12.00", "2.00", "85.71")
    # paid 8 x 42 + 4 x 95 = 716.00 against standard costs 8 x 40 + 4 x 100 = 720.00
    assert (card["purchased_value"], card["variance_to_standard_cost"], card["variance_to_standard_cost_pct"]) == (
        "716.00", "-4.00", "-0.56")
    assert (card["variance_to_lowest_bid"], card["variance_to_lowest_bid_pct"]) == ("0.00", None)  # no tender
    assert card["rating"] == "67.86"  # (50.00 + 85.71) / 2
    assert card["open_overdue_orders"] == 0

    group = client.supplier_scorecard(period)
    assert (group["receipts"], group["on_time_pct"], group["acceptance_pct"]) == (3, "33.33", "60.00")
    assert client.supplier_scorecard({**period, "site_id": OTHER_SITE})["acceptance_pct"] == "0.00"
    with pytest.raises(Forbidden):
        clerk.supplier_scorecard({**period, "site_id": OTHER_SITE})
    with pytest.raises(InvalidInput) as backwards:
        clerk.supplier_scorecard({**period, "date_from": period["date_to"], "date_to": period["date_from"]})
    assert set(backwards.value.details) == {"date_to"}
    before = clerk.supplier_scorecard({**period, "date_to": (local_today() - timedelta(days=1)).isoformat()})
    assert (before["receipts"], before["on_time_pct"], before["rating"]) == (0, None, None)

