"""Requests for quotation (tender), bid comparison and award; replenishment suggestions from the stock ledger
and purchase plans turned into orders, on the real broker and PostgreSQL."""
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import text

from parts.service import PartsService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound

SITE, OTHER_SITE = "SITE-1", "SITE-2"
CHINA = timezone(timedelta(hours=8))
CLERK = Caller(user_id="u-clerk", username="clerk.li", roles=frozenset({"parts_clerk"}), sites=frozenset({SITE}))
MANAGER = Caller(user_id="u-boss", username="manager.sun", roles=frozenset({"site_manager"}), sites=frozenset({SITE}))
OTHER_CLERK = Caller(user_id="u-other", username="clerk.wang", roles=frozenset({"parts_clerk"}),
                     sites=frozenset({OTHER_SITE}))


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


@pytest.fixture
def manager(parts, rpc):
    return rpc(caller=MANAGER).parts


@pytest.fixture
def ledger(parts):
    """Moves an issue's ledger entry to a past day, as if the demand had happened then."""
    engine = create_engine_for(parts.config["DATABASE_URL"])

    def backdate(reference, day):
        with engine.begin() as conn:
            conn.execute(text("UPDATE stock_movements SET at = :at WHERE reference = :reference AND kind = 'issue'"),
                         {"at": datetime.combine(day, time(12), CHINA), "reference": reference})

    yield backdate
    engine.dispose()


def local_today():
    return datetime.now(CHINA).date()


def new_part(client, cost_price="40.00"):
    number = f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": number, "name": "空气滤清器", "name_en": "Air filter", "category": "filters",
                        "cost_price": cost_price, "retail_price": "80.00"})
    return number


def new_supplier(client, name, lead_time_days):
    return client.create_supplier({"name": f"{name} {uuid.uuid4().hex[:6]}", "lead_time_days": lead_time_days})


def order_and_send(client, supplier, lines, expected_date=None):
    order = client.create_purchase_order({
        "site_id": SITE, "supplier_id": supplier["supplier_id"],
        "expected_date": expected_date.isoformat() if expected_date else None,
        "lines": [{"part_number": n, "quantity": q, "unit_price": p} for n, q, p in lines]})
    return client.send_purchase_order(order["purchase_order_id"])


def receive_all(client, order):
    return client.receive_purchase_order(order["purchase_order_id"], {"lines": [
        {"line_id": line["line_id"], "delivered": line["quantity"], "accepted": line["quantity"]}
        for line in order["lines"]]})


def issue(client, ledger, number, quantity, day):
    reference = f"demand-{uuid.uuid4()}"
    reservation = client.reserve({"site_id": SITE, "part_number": number, "quantity": quantity,
                                  "reference": reference})
    client.issue_reservation({"reservation_id": reservation["reservation_id"]})
    if day != local_today():
        ledger(reference, day)


# --- tender ---

@pytest.fixture
def tender(client, clerk):
    """Filters and pads asked of three suppliers; A has one on-time, fully accepted delivery behind it."""
    filters, pads, other = new_part(client, "40.00"), new_part(client, "18.00"), new_part(client)
    a, b, c = new_supplier(client, "A", 5), new_supplier(client, "B", 10), new_supplier(client, "C", 4)
    receive_all(client, order_and_send(client, a, [(other, "2", "10.00")], local_today() + timedelta(days=1)))
    rfq = clerk.create_rfq({"site_id": SITE, "supplier_ids": [a["supplier_id"], b["supplier_id"], c["supplier_id"]],
                            "lines": [{"part_number": filters, "quantity": "10"}, {"part_number": pads, "quantity": "4"}],
                            "reply_by": (local_today() + timedelta(days=3)).isoformat(), "note": "Q3 filters"})
    return {"rfq": rfq, "a": a, "b": b, "c": c, "filters": filters, "pads": pads}


def bid(client, rfq, supplier, lead_time_days, *prices):
    return client.submit_bid(rfq["rfq_id"], {"supplier_id": supplier["supplier_id"], "lead_time_days": lead_time_days,
                                             "lines": [{"line_id": line["line_id"], "unit_price": price}
                                                       for line, price in zip(rfq["lines"], prices)]})


def test_bids_are_compared_on_price_lead_time_and_rating_with_exact_scores(clerk, tender):
    rfq, a, b, c = tender["rfq"], tender["a"], tender["b"], tender["c"]
    assert (rfq["status"], [s["has_bid"] for s in rfq["suppliers"]]) == ("open", [False, False, False])
    assert rfq["number"].startswith(f"RFQ-{SITE}-")
    bid(clerk, rfq, a, 5, "42.00", "25.00")  # 520.00
    bid(clerk, rfq, b, 10, "39.00", "20.00")
    bid(clerk, rfq, b, 10, "38.00", "20.00")  # a revised bid replaces the first: 460.00
    seen = bid(clerk, rfq, c, 4, "50.00", "30.00")  # 620.00
    assert [(x["supplier_id"], x["total"]) for x in seen["bids"]] == [
        (a["supplier_id"], "520.00"), (b["supplier_id"], "460.00"), (c["supplier_id"], "620.00")]

    compared = clerk.compare_bids(rfq["rfq_id"])
    assert compared["missing"] == []
    assert [(x["rank"], x["supplier_id"], x["rating"], x["price_score"], x["lead_time_score"], x["rating_score"],
             x["score"]) for x in compared["bids"]] == [
        (1, a["supplier_id"], "100.00", "88.46", "80.00", "100.00", "90.23"),  # .5*88.46 + .2*80 + .3*100
        (2, b["supplier_id"], None, "100.00", "40.00", "50.00", "73.00"),  # .5*100 + .2*40 + .3*50 (no history)
        (3, c["supplier_id"], None, "74.19", "100.00", "50.00", "72.10"),  # .5*74.19 + .2*100 + .3*50 = 72.095
    ]
    assert compared["weights"] == {"price": "0.5", "lead_time": "0.2", "rating": "0.3"}


def test_bad_bids_are_refused(client, clerk, rpc, tender):
    rfq = tender["rfq"]
    outsider = new_supplier(client, "D", 3)
    with pytest.raises(InvalidInput) as uninvited:
        bid(clerk, rfq, outsider, 3, "1.00", "1.00")
    assert uninvited.value.details == {"supplier_id": ["Not invited to this request."]}
    with pytest.raises(InvalidInput) as partial:
        bid(clerk, rfq, tender["a"], 3, "1.00")
    assert list(partial.value.details) == ["lines"]
    with pytest.raises(InvalidInput) as negative:
        bid(clerk, rfq, tender["a"], -1, "0.00", "1.00")
    assert set(negative.value.details) == {"lead_time_days", "lines"}
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.get_rfq(rfq["rfq_id"])
    with pytest.raises(Conflict):
        clerk.compare_bids(rfq["rfq_id"])  # no bids yet
    assert clerk.get_rfq(rfq["rfq_id"])["bids"] == []


def test_a_request_goes_to_at_least_two_known_suppliers_for_known_parts(client, clerk):
    number, a = new_part(client), new_supplier(client, "A", 5)
    request = {"site_id": SITE, "supplier_ids": [a["supplier_id"]], "lines": [{"part_number": number, "quantity": "1"}]}
    with pytest.raises(InvalidInput) as one:
        clerk.create_rfq(request)
    assert set(one.value.details) == {"supplier_ids"}
    with pytest.raises(InvalidInput) as twice:
        clerk.create_rfq({**request, "supplier_ids": [a["supplier_id"], str(uuid.uuid4())],
                          "lines": request["lines"] * 2})
    assert set(twice.value.details) == {"lines"}
    with pytest.raises(NotFound) as unknown:
        clerk.create_rfq({**request, "supplier_ids": [a["supplier_id"], str(uuid.uuid4())]})
    assert unknown.value.details == {"supplier_ids": ["Unknown supplier."]}


def test_the_award_makes_a_purchase_order_at_the_winning_prices(client, clerk, manager, tender):
    rfq, a, b = tender["rfq"], tender["a"], tender["b"]
    bid(clerk, rfq, a, 5, "42.00", "25.00")
    bid(clerk, rfq, b, 10, "38.00", "20.00")
    with pytest.raises(Forbidden):
        clerk.award_rfq(rfq["rfq_id"], {"supplier_id": a["supplier_id"]})
    with pytest.raises(InvalidInput) as why:
        manager.award_rfq(rfq["rfq_id"], {"supplier_id": b["supplier_id"]})
    assert why.value.details == {"reason": ["Required when the award does not go to the best-scored bid."]}
    with pytest.raises(InvalidInput):
        manager.award_rfq(rfq["rfq_id"], {"supplier_id": tender["c"]["supplier_id"]})  # C has not bid

    order = manager.award_rfq(rfq["rfq_id"], {"supplier_id": a["supplier_id"]})
    assert (order["status"], order["supplier_id"], order["rfq_id"], order["total"], order["expected_date"]) == (
        "draft", a["supplier_id"], rfq["rfq_id"], "520.00", (local_today() + timedelta(days=5)).isoformat())
    assert [(l["part_number"], l["quantity"], l["unit_price"]) for l in order["lines"]] == [
        (tender["filters"], "10.00", "42.00"), (tender["pads"], "4.00", "25.00")]
    awarded = client.get_rfq(rfq["rfq_id"])
    assert (awarded["status"], awarded["awarded_supplier_id"], awarded["purchase_order_id"]) == (
        "awarded", a["supplier_id"], order["purchase_order_id"])
    with pytest.raises(Conflict):
        bid(clerk, rfq, b, 9, "30.00", "10.00")
    with pytest.raises(Conflict):
        manager.award_rfq(rfq["rfq_id"], {"supplier_id": a["supplier_id"]})

    # what A was paid above the lowest bids shows on its scorecard: (42-38) x 10 + (25-20) x 4 = 60.00 on 460.00
    receive_all(clerk, clerk.send_purchase_order(order["purchase_order_id"]))
    card = clerk.supplier_scorecard({"supplier_id": a["supplier_id"], "date_from": local_today().isoformat(),
                                     "date_to": local_today().isoformat()})
    assert (card["variance_to_lowest_bid"], card["variance_to_lowest_bid_pct"]) == ("60.00", "13.04")


def test_a_manager_may_award_another_bid_with_a_reason(clerk, manager, tender):
    rfq, a, b = tender["rfq"], tender["a"], tender["b"]
    bid(clerk, rfq, a, 5, "42.00", "25.00")
    bid(clerk, rfq, b, 10, "38.00", "20.00")
    order = manager.award_rfq(rfq["rfq_id"], {"supplier_id": b["supplier_id"], "reason": "A cannot invoice this month",
                                              "expected_date": (local_today() + timedelta(days=12)).isoformat()})
    assert (order["supplier_id"], order["total"], order["expected_date"]) == (
        b["supplier_id"], "460.00", (local_today() + timedelta(days=12)).isoformat())
    assert manager.get_rfq(rfq["rfq_id"])["award_reason"] == "A cannot invoice this month"


# --- replenishment ---

@pytest.fixture
def example(client, clerk, ledger):
    """The worked example of docs/parts-replenishment.md, made of real ledger entries.

    Ten days of demand 2,0,3,1,4,0,2,3,1,4 (plus one issue today and one eleven days ago, both outside
    the window), 10 on hand, 3 reserved, 5 on order from a supplier with a lead time of 4 days.
    """
    number = new_part(client, "40.00")
    supplier = new_supplier(client, "Usual", 4)
    client.receive_stock({"site_id": SITE, "part_number": number, "quantity": "32", "unit_cost": "40.00"})
    today = local_today()
    for days_ago, quantity in zip(range(10, 0, -1), (2, 0, 3, 1, 4, 0, 2, 3, 1, 4)):
        if quantity:
            issue(client, ledger, number, str(quantity), today - timedelta(days=days_ago))
    issue(client, ledger, number, "1", today)
    issue(client, ledger, number, "1", today - timedelta(days=11))
    client.reserve({"site_id": SITE, "part_number": number, "quantity": "3", "reference": "ro-line:waiting"})
    order = order_and_send(clerk, supplier, [(number, "5", "41.00")])
    return {"part": number, "supplier": supplier, "order": order}


EXAMPLE_FIGURES = {
    "average_daily_demand": "2.00", "demand_std_dev": "1.41", "lead_time_days": 4, "review_days": 7,
    "service_level_z": "1.65", "safety_stock": "4.67", "reorder_point": "12.67", "review_demand": "14.00",
    "on_hand": "10.00", "reserved": "3.00", "backordered": "0.00", "on_order": "5.00", "position": "12.00",
    "suggested_quantity": "15.00"}


def test_the_suggestion_follows_the_documented_formula_from_the_ledger(clerk, rpc, example):
    answer = clerk.replenishment_suggestions({"site_id": SITE, "window_days": 10, "review_days": 7})
    assert (answer["window_days"], answer["review_days"], answer["service_level_z"]) == (10, 7, "1.65")
    [line] = answer["lines"]
    assert line == {"part_number": example["part"], "supplier_id": example["supplier"]["supplier_id"],
                    "supplier_name": example["supplier"]["name"], **EXAMPLE_FIGURES}
    cautious = clerk.replenishment_suggestions({"site_id": SITE, "window_days": 10, "service_level_z": "2.33"})
    assert cautious["lines"][0]["safety_stock"] == "6.59"
    with pytest.raises(InvalidInput) as refused:
        clerk.replenishment_suggestions({"site_id": SITE, "window_days": 3, "service_level_z": "9"})
    assert set(refused.value.details) == {"window_days", "service_level_z"}
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.replenishment_suggestions({"site_id": SITE})


def test_parts_with_enough_stock_are_listed_only_when_asked(client, clerk, example):
    plenty = new_part(client)
    client.receive_stock({"site_id": SITE, "part_number": plenty, "quantity": "50"})
    needed = clerk.replenishment_suggestions({"site_id": SITE, "window_days": 10})
    assert [line["part_number"] for line in needed["lines"]] == [example["part"]]
    everything = clerk.replenishment_suggestions({"site_id": SITE, "window_days": 10, "include_all": True})
    listed = {line["part_number"]: line for line in everything["lines"]}
    assert (listed[plenty]["suggested_quantity"], listed[plenty]["supplier_id"], listed[plenty]["lead_time_days"]) \
        == ("0.00", None, 7)  # no supplier yet: the default lead time


def test_a_purchase_plan_is_edited_by_the_clerk_and_approved_into_draft_orders(client, clerk, manager, rpc,
                                                                                subscribe, example):
    events = subscribe(("parts.events", "purchase_plan_approved"))
    plan = clerk.create_purchase_plan({"site_id": SITE, "window_days": 10, "review_days": 7})
    [line] = plan["lines"]
    assert (plan["status"], line["part_number"], line["suggested_quantity"], line["quantity"], line["unit_price"]) == (
        "draft", example["part"], "15.00", "15.00", "41.00")  # the usual supplier's last agreed price
    assert {k: line[k] for k in EXAMPLE_FIGURES} == EXAMPLE_FIGURES

    extra = new_part(client, cost_price="25.00")
    other = new_supplier(client, "Other", 6)
    edited = clerk.update_purchase_plan(plan["plan_id"], {"lines": [
        {"line_id": line["line_id"], "quantity": "20"}, {"part_number": extra, "quantity": "6"}]})
    lines = {l["part_number"]: l for l in edited["lines"]}
    assert (lines[example["part"]]["quantity"], lines[example["part"]]["suggested_quantity"]) == ("20.00", "15.00")
    assert (lines[extra]["quantity"], lines[extra]["suggested_quantity"], lines[extra]["supplier_id"]) == (
        "6.00", "0.00", None)
    with pytest.raises(Conflict) as no_supplier:
        manager.approve_purchase_plan(plan["plan_id"])
    assert no_supplier.value.details == {"lines": [f"{extra}: no supplier."]}
    with pytest.raises(InvalidInput):
        clerk.update_purchase_plan(plan["plan_id"], {"lines": [{"part_number": extra, "quantity": "1"}]})
    with pytest.raises(InvalidInput):
        clerk.update_purchase_plan(plan["plan_id"], {"lines": [{"line_id": line["line_id"], "part_number": extra,
                                                                "quantity": "1"}]})
    clerk.update_purchase_plan(plan["plan_id"], {"lines": [
        {"line_id": lines[extra]["line_id"], "quantity": "6", "supplier_id": other["supplier_id"]}]})
    with pytest.raises(Forbidden):
        clerk.approve_purchase_plan(plan["plan_id"])
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.get_purchase_plan(plan["plan_id"])

    approved = manager.approve_purchase_plan(plan["plan_id"])
    assert (approved["status"], approved["approved_by"], len(approved["purchase_order_ids"])) == (
        "approved", "manager.sun", 2)
    orders = {o["supplier_id"]: o for o in (client.get_purchase_order(i) for i in approved["purchase_order_ids"])}
    usual, second = orders[example["supplier"]["supplier_id"]], orders[other["supplier_id"]]
    assert (usual["status"], usual["plan_id"], usual["total"], usual["expected_date"]) == (
        "draft", plan["plan_id"], "820.00", (local_today() + timedelta(days=4)).isoformat())  # 20 x 41.00
    assert [(l["part_number"], l["quantity"], l["unit_price"]) for l in second["lines"]] == [(extra, "6.00", "25.00")]
    announced = events.wait_for("purchase_plan_approved", lambda e: e["payload"]["plan_id"] == plan["plan_id"])
    assert sorted((o["supplier_id"], o["total"]) for o in announced["payload"]["purchase_orders"]) == sorted(
        [(example["supplier"]["supplier_id"], "820.00"), (other["supplier_id"], "150.00")])
    assert announced["site_id"] == SITE

    with pytest.raises(Conflict):
        manager.approve_purchase_plan(plan["plan_id"])
    with pytest.raises(Conflict):
        clerk.update_purchase_plan(plan["plan_id"], {"lines": [{"line_id": line["line_id"], "quantity": "1"}]})
    # the draft orders count as on order: nothing more to suggest now
    assert clerk.replenishment_suggestions({"site_id": SITE, "window_days": 10})["lines"] == []


def test_a_plan_that_orders_nothing_cannot_be_approved(client, clerk, manager, example):
    plan = clerk.create_purchase_plan({"site_id": SITE, "window_days": 10})
    clerk.update_purchase_plan(plan["plan_id"], {"lines": [{"line_id": plan["lines"][0]["line_id"], "quantity": "0"}]})
    with pytest.raises(Conflict) as refused:
        manager.approve_purchase_plan(plan["plan_id"])
    assert refused.value.details == {"lines": ["Nothing to order."]}
    with pytest.raises(NotFound):
        manager.get_purchase_plan(str(uuid.uuid4()))
