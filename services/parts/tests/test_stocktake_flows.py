"""Stocktakes on the real broker and PostgreSQL: blind counts, variances, approval, recounts, posting, accuracy."""
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Table, text

from parts.models import Base
from parts.rules.stocktake import CHINA_TIME
from parts.service import PartsService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SITE, OTHER_SITE = "SITE-1", "SITE-2"
CLERK = Caller(user_id="u-clerk", username="clerk.li", roles=frozenset({"parts_clerk"}), sites=frozenset({SITE}))
MANAGER = Caller(user_id="u-manager", username="manager.wang", roles=frozenset({"site_manager"}),
                 sites=frozenset({SITE}))
STRANGER = Caller(user_id="u-other", username="clerk.zhao", roles=frozenset({"parts_clerk", "site_manager"}),
                  sites=frozenset({OTHER_SITE}))


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def admin(parts, rpc):
    return rpc().parts


@pytest.fixture
def clerk(parts, rpc):
    return rpc(CLERK).parts


@pytest.fixture
def manager(parts, rpc):
    return rpc(MANAGER).parts


@pytest.fixture
def store(admin):
    """Two bins: A-01 holds 10 filters (40.00) and 5 pads (12.50), A-02 holds 4 wipers (3.33)."""
    admin.create_warehouse({"site_id": SITE, "code": "WH1", "name": "Main store"})
    for code in ("A-01", "A-02", "A-03"):
        admin.create_bin({"site_id": SITE, "warehouse_code": "WH1", "code": code})
    filters, pads, wipers = new_part(admin, "filters", "40.00"), new_part(admin, "brakes", "12.50"), \
        new_part(admin, "wipers", "3.33")
    receive(admin, filters, "10", "40.00", "A-01")
    receive(admin, pads, "5", "12.50", "A-01")
    receive(admin, wipers, "4", "3.33", "A-02")
    return {"filters": filters, "pads": pads, "wipers": wipers}


def new_part(client, category, cost, shelf_life_days=None):
    number = f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": number, "name": "配件", "category": category, "cost_price": cost,
                        "retail_price": "99.00", "shelf_life_days": shelf_life_days})
    return number


def receive(client, number, quantity, unit_cost, bin_code, **extra):
    return client.receive_stock({"site_id": SITE, "part_number": number, "quantity": quantity, "unit_cost": unit_cost,
                                 "warehouse_code": "WH1", "bin_code": bin_code, **extra})


def line_of(stocktake, number, bin_code=None):
    return next(line for line in stocktake["lines"]
                if line["part_number"] == number and (bin_code is None or line["bin_code"] == bin_code))


def counts(stocktake, **by_part):
    return {"counts": [{"line_no": line_of(stocktake, number)["line_no"], "counted_quantity": quantity}
                       for number, quantity in by_part.items()]}


def lots_and_totals(parts, number):
    """(sum of the part's lots, on_hand, reserved) at SITE, straight from the database."""
    engine = create_engine_for(parts.config["DATABASE_URL"])
    with engine.connect() as conn:
        lots = conn.execute(text("SELECT COALESCE(SUM(quantity), 0) FROM lots WHERE site_id = :s AND "
                                 "part_number = :p"), {"s": SITE, "p": number}).scalar()
        on_hand, reserved = conn.execute(text("SELECT on_hand, reserved FROM stock WHERE site_id = :s AND "
                                              "part_number = :p"), {"s": SITE, "p": number}).one()
    engine.dispose()
    return Decimal(lots), Decimal(on_hand), Decimal(reserved)


def count_and_submit(clerk, stocktake, **by_part):
    clerk.enter_stocktake_counts(stocktake["stocktake_id"], counts(stocktake, **by_part))
    return clerk.submit_stocktake(stocktake["stocktake_id"])


def test_a_blind_count_hides_the_books_until_submitted_then_shows_exact_variances(admin, clerk, store):
    filters, pads, wipers = store["filters"], store["pads"], store["wipers"]
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "full", "blind": True, "note": "Year-end count"})
    assert (opened["status"], opened["scope"], opened["blind"], opened["expected_hidden"]) == (
        "open", "full", True, True)
    assert [(line["line_no"], line["bin_code"], line["part_number"]) for line in opened["lines"]] == sorted(
        [(1, "A-01", min(filters, pads)), (2, "A-01", max(filters, pads)), (3, "A-02", wipers)])
    assert all(line["expected_quantity"] is None and line["opened_quantity"] is None for line in opened["lines"])
    assert opened["figures"] is None and opened["lines_to_count"] == 3

    entered = clerk.enter_stocktake_counts(opened["stocktake_id"], counts(opened, **{filters: "10", pads: "3"}))
    assert line_of(entered, pads)["counted_quantity"] == "3.00"
    assert line_of(entered, pads)["counted_by"] == "clerk.li"
    assert all(line["expected_quantity"] is None and line["quantity_variance"] is None for line in entered["lines"])
    assert all(line["expected_quantity"] is None for line in clerk.get_stocktake(opened["stocktake_id"])["lines"])
    with pytest.raises(Conflict) as uncounted:
        clerk.submit_stocktake(opened["stocktake_id"])
    assert uncounted.value.details == {"lines": [f"Line 3 (WH1/A-02 {wipers}) is not counted."]}

    found = new_part(admin, "wipers", "7.35")
    receive(admin, found, "1", "7.35", "A-03")  # an average cost of 7.35, elsewhere
    clerk.enter_stocktake_counts(opened["stocktake_id"], {
        **counts(opened, **{wipers: "5"}),
        "found": [{"part_number": found, "warehouse_code": "WH1", "bin_code": "A-02", "counted_quantity": "2"}]})
    submitted = clerk.submit_stocktake(opened["stocktake_id"])

    assert (submitted["status"], submitted["expected_hidden"], submitted["submitted_by"]) == (
        "submitted", False, "clerk.li")
    shown = {line["part_number"]: (line["expected_quantity"], line["counted_quantity"], line["quantity_variance"],
                                   line["unit_cost"], line["value_variance"], line["found"])
             for line in submitted["lines"] if line["bin_code"] != "A-03"}
    assert shown == {
        filters: ("10.00", "10.00", "0.00", "40.00", "0.00", False),
        pads: ("5.00", "3.00", "-2.00", "12.50", "-25.00", False),
        wipers: ("4.00", "5.00", "1.00", "3.33", "3.33", False),
        found: ("0.00", "2.00", "2.00", "7.35", "14.70", True),
    }
    assert submitted["figures"] == {
        "lines": 4, "lines_with_variance": 3, "quantity_variance": "1.00", "value_variance": "-6.97",
        "gross_value_variance": "43.03", "expected_value": "475.82", "accuracy": "0.2500", "value_accuracy": "0.9854"}


def test_posting_needs_approval_adjusts_lots_and_totals_once_and_says_so(parts, admin, clerk, manager, store,
                                                                         subscribe):
    events = subscribe(("parts.events", "stocktake_posted"))
    filters, pads, wipers = store["filters"], store["pads"], store["wipers"]
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "full"})
    assert line_of(opened, pads)["expected_quantity"] == "5.00"  # not blind: the books are shown
    stocktake_id = opened["stocktake_id"]
    count_and_submit(clerk, opened, **{filters: "10", pads: "3", wipers: "6"})

    with pytest.raises(Conflict, match="submitted"):
        clerk.post_stocktake(stocktake_id)
    with pytest.raises(Forbidden):
        clerk.approve_stocktake(stocktake_id)
    approved = manager.approve_stocktake(stocktake_id)
    assert (approved["status"], approved["approved_by"]) == ("approved", "manager.wang")

    posted = clerk.post_stocktake(stocktake_id)
    assert (posted["status"], posted["posted_by"]) == ("posted", "clerk.li")
    assert [line["posted_quantity"] for line in posted["lines"]] == [
        line_of(posted, n)["quantity_variance"] for n in sorted([filters, pads])] + ["2.00"]
    assert lots_and_totals(parts, pads) == (Decimal("3"), Decimal("3"), Decimal("0"))
    assert lots_and_totals(parts, wipers) == (Decimal("6"), Decimal("6"), Decimal("0"))
    assert lots_and_totals(parts, filters) == (Decimal("10"), Decimal("10"), Decimal("0"))
    reference = f"stocktake:{stocktake_id}"
    ledger = admin.list_movements({"site_id": SITE, "reference": reference})
    assert sorted((m["part_number"], m["kind"], m["quantity"], m["unit_cost"]) for m in ledger) == sorted([
        (pads, "adjustment", "-2.00", "12.50"), (wipers, "adjustment", "2.00", "3.33")])
    assert client_stock(admin, pads)["average_cost"] == "12.50"

    with pytest.raises(Conflict, match="posted"):
        clerk.post_stocktake(stocktake_id)
    with pytest.raises(Conflict):
        manager.request_stocktake_recount(stocktake_id, {"line_nos": [1]})
    assert len(admin.list_movements({"site_id": SITE, "reference": reference})) == 2
    assert lots_and_totals(parts, pads)[1] == Decimal("3")

    event = events.wait_for("stocktake_posted", lambda e: e["payload"]["stocktake_id"] == stocktake_id)
    assert event["site_id"] == SITE
    assert event["payload"] == {
        "stocktake_id": stocktake_id, "scope": "full", "lines": 3, "lines_with_variance": 2,
        "quantity_variance": "0.00", "value_variance": "-18.34", "expected_value": "475.82",
        "accuracy": "0.3333", "value_accuracy": "0.9615"}
    assert len([e for e in events.events("stocktake_posted") if e["payload"]["stocktake_id"] == stocktake_id]) == 1


def client_stock(client, number):
    return client.get_stock(SITE, number)


def test_two_posts_at_once_book_the_variances_once(parts, admin, rpc, manager, store):
    pads = store["pads"]
    opened = admin.open_stocktake({"site_id": SITE, "scope": "category", "categories": ["brakes"]})
    assert [line["part_number"] for line in opened["lines"]] == [pads]
    count_and_submit(admin, opened, **{pads: "4"})
    manager.approve_stocktake(opened["stocktake_id"])
    first, second = rpc().parts, rpc().parts
    replies = [first.post_stocktake.call_async(opened["stocktake_id"]),
               second.post_stocktake.call_async(opened["stocktake_id"])]
    outcomes = []
    for reply in replies:
        try:
            outcomes.append(reply.result()["status"])
        except Conflict:
            outcomes.append("refused")
    assert sorted(outcomes) == ["posted", "refused"]
    assert lots_and_totals(parts, pads) == (Decimal("4"), Decimal("4"), Decimal("0"))


def test_a_recount_reopens_only_the_lines_sent_back(clerk, manager, store):
    filters, pads, wipers = store["filters"], store["pads"], store["wipers"]
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "full", "blind": True})
    submitted = count_and_submit(clerk, opened, **{filters: "10", pads: "1", wipers: "4"})
    assert submitted["figures"]["lines_with_variance"] == 1
    pad_line = line_of(submitted, pads)["line_no"]

    with pytest.raises(Forbidden):
        clerk.request_stocktake_recount(opened["stocktake_id"], {"line_nos": [pad_line]})
    with pytest.raises(InvalidInput) as unknown:
        manager.request_stocktake_recount(opened["stocktake_id"], {"line_nos": [pad_line, 99]})
    assert unknown.value.details == {"line_nos": ["No line 99 in this count."]}
    with pytest.raises(InvalidInput) as empty:
        manager.request_stocktake_recount(opened["stocktake_id"], {"line_nos": []})
    assert "line_nos" in empty.value.details

    recount = manager.request_stocktake_recount(opened["stocktake_id"], {"line_nos": [pad_line],
                                                                         "reason": "Check the top shelf"})
    assert (recount["status"], recount["count_round"], recount["expected_hidden"], recount["figures"]) == (
        "open", 2, True, None)
    pad = line_of(recount, pads)
    assert (pad["counted_quantity"], pad["previous_count"], pad["recount_reason"], pad["to_count"]) == (
        None, "1.00", "Check the top shelf", True)
    assert [line["to_count"] for line in recount["lines"]].count(True) == 1
    assert line_of(recount, filters)["counted_quantity"] == "10.00"
    with pytest.raises(Conflict) as settled:
        clerk.enter_stocktake_counts(opened["stocktake_id"], counts(opened, **{filters: "9"}))
    assert settled.value.details == {"counts": {"0": {"line_no": ["Not sent back for a recount."]}}}
    with pytest.raises(Conflict):
        manager.approve_stocktake(opened["stocktake_id"])

    resubmitted = count_and_submit(clerk, opened, **{pads: "5"})
    assert resubmitted["figures"]["lines_with_variance"] == 0
    assert resubmitted["figures"]["accuracy"] == "1.0000"
    manager.approve_stocktake(opened["stocktake_id"])
    # an approved count may still go back for a recount
    again = manager.request_stocktake_recount(opened["stocktake_id"], {"line_nos": [pad_line]})
    assert (again["status"], again["approved_by"], again["count_round"]) == ("open", None, 3)


def test_stock_moving_during_the_count_is_neither_lost_nor_taken_for_a_variance(parts, admin, clerk, manager, store):
    filters, pads = store["filters"], store["pads"]
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                   "bins": [{"warehouse_code": "WH1", "bin_code": "A-01"}]})
    assert sorted(line["part_number"] for line in opened["lines"]) == sorted([filters, pads])
    # two filters leave before the counter reaches the shelf: 8 are counted, and the books say 8
    reservation = admin.reserve({"site_id": SITE, "part_number": filters, "quantity": "2", "reference": "RO-1"})
    admin.issue_reservation({"reservation_id": reservation["reservation_id"]})
    clerk.enter_stocktake_counts(opened["stocktake_id"], counts(opened, **{filters: "8", pads: "4"}))
    # after the pads were counted (4 against 5 on the books), 6 more arrive and 1 is issued
    receive(admin, pads, "6", "12.50", "A-01")
    reservation = admin.reserve({"site_id": SITE, "part_number": pads, "quantity": "1", "reference": "RO-2"})
    admin.issue_reservation({"reservation_id": reservation["reservation_id"]})

    submitted = clerk.submit_stocktake(opened["stocktake_id"])
    filter_line, pad_line = line_of(submitted, filters), line_of(submitted, pads)
    assert (filter_line["opened_quantity"], filter_line["expected_quantity"], filter_line["quantity_variance"]) == (
        "10.00", "8.00", "0.00")
    assert (pad_line["opened_quantity"], pad_line["expected_quantity"], pad_line["quantity_variance"]) == (
        "5.00", "5.00", "-1.00")
    manager.approve_stocktake(opened["stocktake_id"])
    clerk.post_stocktake(opened["stocktake_id"])
    assert lots_and_totals(parts, filters) == (Decimal("8"), Decimal("8"), Decimal("0"))
    assert lots_and_totals(parts, pads) == (Decimal("9"), Decimal("9"), Decimal("0"))  # 5 + 6 - 1 - 1 short


def test_found_stock_becomes_a_lot_and_must_be_in_scope(parts, admin, clerk, manager, store):
    oil = new_part(admin, "fluids", "42.00", shelf_life_days=365)
    expiry = (date.today() + timedelta(days=200)).isoformat()
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                   "bins": [{"warehouse_code": "WH1", "bin_code": "A-03"}]})
    assert opened["lines"] == []
    stocktake_id = opened["stocktake_id"]
    with pytest.raises(InvalidInput) as no_batch:
        clerk.enter_stocktake_counts(stocktake_id, {"found": [
            {"part_number": oil, "warehouse_code": "WH1", "bin_code": "A-03", "counted_quantity": "4"}]})
    assert no_batch.value.details == {"found": {"0": {"batch": ["Required for a part with a shelf life."],
                                                      "expiry_date": ["Required for a part with a shelf life."]}}}
    with pytest.raises(InvalidInput) as outside:
        clerk.enter_stocktake_counts(stocktake_id, {"found": [
            {"part_number": oil, "warehouse_code": "WH1", "bin_code": "A-01", "batch": "B1", "expiry_date": expiry,
             "counted_quantity": "4"}]})
    assert outside.value.details == {"found": {"0": {"bin_code": ["Bin WH1/A-01 is not in this count."]}}}
    with pytest.raises(NotFound) as unknown:
        clerk.enter_stocktake_counts(stocktake_id, {"found": [
            {"part_number": "NO-SUCH-PART", "bin_code": "A-03", "counted_quantity": "1"}]})
    assert unknown.value.details == {"found": {"0": {"part_number": ["Unknown part."]}}}

    entered = clerk.enter_stocktake_counts(stocktake_id, {"found": [
        {"part_number": oil, "warehouse_code": "WH1", "bin_code": "A-03", "batch": "B1", "expiry_date": expiry,
         "counted_quantity": "4"}]})
    [line] = entered["lines"]
    assert (line["line_no"], line["found"], line["batch"], line["counted_quantity"]) == (1, True, "B1", "4.00")
    with pytest.raises(Conflict, match="enter the count on that line"):
        clerk.enter_stocktake_counts(stocktake_id, {"found": [
            {"part_number": oil, "warehouse_code": "WH1", "bin_code": "A-03", "batch": "B1", "expiry_date": expiry,
             "counted_quantity": "5"}]})
    clerk.submit_stocktake(stocktake_id)
    manager.approve_stocktake(stocktake_id)
    posted = clerk.post_stocktake(stocktake_id)
    assert posted["figures"]["value_variance"] == "168.00"  # the catalogue cost: the site never held this oil
    [lot] = admin.list_lots({"site_id": SITE, "part_number": oil})
    assert (lot["bin_code"], lot["batch"], lot["expiry_date"], lot["quantity"]) == ("A-03", "B1", expiry, "4.00")
    assert posted["lines"][0]["lot_id"] == lot["lot_id"]
    assert lots_and_totals(parts, oil) == (Decimal("4"), Decimal("4"), Decimal("0"))


def test_a_shortage_that_would_break_reservations_is_refused_naming_its_line(parts, admin, clerk, manager, store):
    pads = store["pads"]
    reservation = admin.reserve({"site_id": SITE, "part_number": pads, "quantity": "4", "reference": "RO-9"})
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "category", "categories": ["brakes"]})
    count_and_submit(clerk, opened, **{pads: "2"})  # 5 on the books, 4 of them promised
    manager.approve_stocktake(opened["stocktake_id"])
    with pytest.raises(Conflict) as refused:
        clerk.post_stocktake(opened["stocktake_id"])
    line_no = line_of(opened, pads)["line_no"]
    assert refused.value.details == {"lines": [
        f"Line {line_no} (WH1/A-01 {pads}): short 3.00 would leave {pads} 2.00 below the 4.00 reserved; "
        "release reservations or recount."]}
    assert clerk.get_stocktake(opened["stocktake_id"])["status"] == "approved"
    assert lots_and_totals(parts, pads) == (Decimal("5"), Decimal("5"), Decimal("4"))
    assert admin.list_movements({"site_id": SITE, "reference": f"stocktake:{opened['stocktake_id']}"}) == []

    admin.release_reservation(reservation["reservation_id"])
    assert clerk.post_stocktake(opened["stocktake_id"])["status"] == "posted"
    assert lots_and_totals(parts, pads) == (Decimal("2"), Decimal("2"), Decimal("0"))


def test_stock_counted_in_the_wrong_bin_moves_even_when_all_of_it_is_reserved(parts, admin, clerk, manager, store):
    wipers = store["wipers"]
    admin.reserve({"site_id": SITE, "part_number": wipers, "quantity": "4", "reference": "RO-7"})
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "category", "categories": ["wipers"]})
    clerk.enter_stocktake_counts(opened["stocktake_id"], {
        **counts(opened, **{wipers: "1"}),
        "found": [{"part_number": wipers, "warehouse_code": "WH1", "bin_code": "A-03", "counted_quantity": "3"}]})
    clerk.submit_stocktake(opened["stocktake_id"])
    manager.approve_stocktake(opened["stocktake_id"])
    posted = clerk.post_stocktake(opened["stocktake_id"])
    assert posted["figures"]["quantity_variance"] == "0.00"
    assert {lot["bin_code"]: lot["quantity"] for lot in admin.list_lots({"site_id": SITE, "part_number": wipers})} \
        == {"A-02": "1.00", "A-03": "3.00"}
    assert lots_and_totals(parts, wipers) == (Decimal("4"), Decimal("4"), Decimal("4"))


def test_bad_input_is_refused_naming_the_field_and_nothing_is_opened(clerk, store):
    cases = [
        ({"site_id": SITE, "scope": "category"}, InvalidInput, {"categories"}),
        ({"site_id": SITE, "scope": "bins", "categories": ["brakes"]}, InvalidInput, {"bins", "categories"}),
        ({"site_id": SITE, "scope": "everything"}, InvalidInput, {"scope"}),
        ({"site_id": SITE, "scope": "full", "colour": "red"}, InvalidInput, {"colour"}),
        ({"site_id": SITE, "scope": "category", "categories": ["no-such-kind"]}, InvalidInput, {"categories"}),
        ({"site_id": SITE, "scope": "bins", "bins": [{"warehouse_code": "WH1", "bin_code": "Z-99"}]}, NotFound,
         {"bins"}),
    ]
    for payload, error, fields in cases:
        with pytest.raises(error) as refused:
            clerk.open_stocktake(payload)
        assert fields <= set(refused.value.details), payload
    assert clerk.list_stocktakes({"site_id": SITE}) == []

    opened = clerk.open_stocktake({"site_id": SITE, "scope": "full"})
    for payload, field in [({"counts": [{"line_no": 1, "counted_quantity": "-1"}]}, "counts"),
                           ({"counts": [{"line_no": 1, "counted_quantity": "1.005"}]}, "counts"),
                           ({"counts": [{"line_no": 1, "counted_quantity": "1"}] * 2}, "counts"),
                           ({}, "counts"),
                           ({"counts": [{"line_no": 1, "counted_quantity": "2"},
                                        {"line_no": 42, "counted_quantity": "2"}]}, "counts")]:
        with pytest.raises(InvalidInput) as refused:
            clerk.enter_stocktake_counts(opened["stocktake_id"], payload)
        assert field in refused.value.details, payload
    assert all(line["counted_quantity"] is None for line in clerk.get_stocktake(opened["stocktake_id"])["lines"])
    with pytest.raises(NotFound) as unknown:
        clerk.get_stocktake(str(uuid.uuid4()))
    assert unknown.value.details == {"stocktake_id": ["Unknown stocktake."]}
    with pytest.raises(InvalidInput) as period:
        clerk.stocktake_accuracy({"site_id": SITE, "date_from": "2026-11-30", "date_to": "2026-11-01"})
    assert set(period.value.details) == {"date_to"}


def test_another_sites_staff_can_neither_see_nor_touch_a_count(rpc, clerk, manager, store):
    stranger = rpc(STRANGER).parts
    opened = clerk.open_stocktake({"site_id": SITE, "scope": "full"})
    stocktake_id = opened["stocktake_id"]
    with pytest.raises(Forbidden):
        stranger.open_stocktake({"site_id": SITE, "scope": "full"})
    for call in (lambda: stranger.get_stocktake(stocktake_id),
                 lambda: stranger.enter_stocktake_counts(stocktake_id, {"counts": [{"line_no": 1,
                                                                                     "counted_quantity": "1"}]}),
                 lambda: stranger.submit_stocktake(stocktake_id),
                 lambda: stranger.approve_stocktake(stocktake_id),
                 lambda: stranger.post_stocktake(stocktake_id),
                 lambda: stranger.cancel_stocktake(stocktake_id),
                 lambda: stranger.list_stocktakes({"site_id": SITE}),
                 lambda: stranger.stocktake_accuracy({"site_id": SITE, "date_from": "2026-01-01",
                                                      "date_to": "2026-12-31"})):
        with pytest.raises(Forbidden):
            call()
    assert clerk.get_stocktake(stocktake_id)["lines"][0]["counted_quantity"] is None
    with pytest.raises(Forbidden):
        rpc(Caller(user_id="u-tech", username="tech", roles=frozenset({"technician"}),
                   sites=frozenset({SITE}))).parts.open_stocktake({"site_id": SITE, "scope": "full"})


def test_a_lot_is_in_one_open_count_at_a_time_until_that_count_is_posted_or_cancelled(clerk, manager, store):
    first = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                  "bins": [{"warehouse_code": "WH1", "bin_code": "A-02"}]})
    with pytest.raises(Conflict) as overlapping:
        clerk.open_stocktake({"site_id": SITE, "scope": "full"})
    assert overlapping.value.details == {"scope": [f"Overlaps open stocktake {first['stocktake_id']}."]}
    other_bin = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                      "bins": [{"warehouse_code": "WH1", "bin_code": "A-01"}]})
    assert len(other_bin["lines"]) == 2
    with pytest.raises(Forbidden):
        clerk.cancel_stocktake(first["stocktake_id"])
    cancelled = manager.cancel_stocktake(first["stocktake_id"])
    assert (cancelled["status"], cancelled["cancelled_by"]) == ("cancelled", "manager.wang")
    with pytest.raises(Conflict):
        clerk.enter_stocktake_counts(first["stocktake_id"], {"counts": [{"line_no": 1, "counted_quantity": "4"}]})
    again = clerk.open_stocktake({"site_id": SITE, "scope": "category", "categories": ["wipers"]})
    assert [line["bin_code"] for line in again["lines"]] == ["A-02"]
    listed = clerk.list_stocktakes({"site_id": SITE})
    assert [s["status"] for s in listed] == ["open", "open", "cancelled"]
    assert [s["stocktake_id"] for s in clerk.list_stocktakes({"site_id": SITE, "status": "cancelled"})] == [
        first["stocktake_id"]]


def test_two_counts_opened_at_once_over_the_same_stock_one_is_refused(rpc, store):
    replies = [rpc(CLERK).parts.open_stocktake.call_async({"site_id": SITE, "scope": "full"}) for _ in range(4)]
    outcomes = []
    for reply in replies:
        try:
            outcomes.append(reply.result()["status"])
        except Conflict as refused:
            assert set(refused.details) == {"scope"}
            outcomes.append("refused")
    assert sorted(outcomes) == ["open", "refused", "refused", "refused"]


def test_accuracy_over_a_period_pools_the_counts_posted_in_it(admin, clerk, manager, store):
    filters, pads, wipers = store["filters"], store["pads"], store["wipers"]
    one = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                "bins": [{"warehouse_code": "WH1", "bin_code": "A-01"}]})
    count_and_submit(clerk, one, **{filters: "9", pads: "5"})   # -40.00 of 462.50
    two = clerk.open_stocktake({"site_id": SITE, "scope": "bins",
                                "bins": [{"warehouse_code": "WH1", "bin_code": "A-02"}]})
    count_and_submit(clerk, two, **{wipers: "4"})               # right, 13.32
    for stocktake in (one, two):
        manager.approve_stocktake(stocktake["stocktake_id"])
        clerk.post_stocktake(stocktake["stocktake_id"])
    today = datetime.now(CHINA_TIME).date()
    figures = clerk.stocktake_accuracy({"site_id": SITE, "date_from": today.isoformat(),
                                        "date_to": today.isoformat()})
    assert figures == {
        "site_id": SITE, "date_from": today.isoformat(), "date_to": today.isoformat(), "counts": 2, "lines": 3,
        "lines_with_variance": 1, "accuracy": "0.6667", "expected_value": "475.82", "value_variance": "-40.00",
        "absolute_value_variance": "40.00", "value_accuracy": "0.9159"}
    earlier = clerk.stocktake_accuracy({"site_id": SITE, "date_from": "2020-01-01", "date_to": "2020-12-31"})
    assert (earlier["counts"], earlier["accuracy"], earlier["value_accuracy"]) == (0, None, None)
    assert [s["figures"]["accuracy"] for s in clerk.list_stocktakes({"site_id": SITE, "status": "posted"})] == [
        "1.0000", "0.5000"]


def test_migrations_build_the_stocktake_tables_the_models_describe(databases):
    ours = {"stocktakes", "stocktake_lines"}
    assert [d for d in differences("parts:migrations", Base.metadata, databases.fresh_url("stocktake_schema"))
            if _touches(d, ours)] == []


def _touches(difference, tables):
    """Whether an alembic difference (a tuple, or a list of them for column changes) is about one of `tables`."""
    if isinstance(difference, list):
        return any(_touches(d, tables) for d in difference)
    for item in difference[1:]:
        if isinstance(item, str) and item in tables:
            return True
        table = item if isinstance(item, Table) else getattr(item, "table", None)
        if getattr(table, "name", None) in tables:
            return True
    return False
