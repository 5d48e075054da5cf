"""The parts KPIs on the real broker and PostgreSQL, from a history built through the service.

Every movement is made through the service (receipts, reservations, issues, returns) or,
for the counter sale whose RPC belongs to the sales area, through `Inventory` itself on the
service's database. The ledger stamps every movement with the time it happens and nothing in
the service may backdate it, so the few rows that must lie in the past (the opening stock
before the period, and stock that has not moved for 180 days) are moved back in time with an
UPDATE straight in the test database, right after being made.
"""
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from parts.inventory import Inventory
from parts.models import Base
from parts.service import PartsService
from svckit.auth import Caller
from svckit.db import OUTBOX, PROCESSED_EVENTS, UnitOfWork, create_engine_for
from svckit.errors import Forbidden, InvalidInput

FIRST, SECOND = "AN1", "AN2"
NOW = datetime.now(timezone.utc)
TODAY = NOW.date()
PERIOD = {"from": (TODAY - timedelta(days=29)).isoformat(), "to": TODAY.isoformat()}  # 30 days
BOTH_SITES_MANAGER = Caller(user_id="u-m", username="manager", roles=frozenset({"site_manager"}),
                            sites=frozenset({FIRST, SECOND}))
SECOND_SITE_CLERK = Caller(user_id="u-c", username="clerk", roles=frozenset({"parts_clerk"}),
                           sites=frozenset({SECOND}))


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def system(parts, rpc):
    return rpc().parts


@contextmanager
def database(parts):
    engine = create_engine_for(parts.config["DATABASE_URL"])
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def inventory(parts, by="counter.clerk"):
    """Inventory on the service's own database, committed at the end, as an entrypoint would."""
    engine = create_engine_for(parts.config["DATABASE_URL"])
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    unit = UnitOfWork(session, "parts", {}, Base.metadata.tables[OUTBOX], Base.metadata.tables[PROCESSED_EVENTS])
    try:
        yield Inventory(unit, by)
        unit.commit()
    finally:
        session.close()
        engine.dispose()


def backdate_movements(parts, reference, days):
    with database(parts) as db:
        moved = db.execute(text("UPDATE stock_movements SET at = :at WHERE reference = :reference"),
                           {"at": NOW - timedelta(days=days), "reference": reference}).rowcount
    assert moved == 1


def new_part(system, name, cost):
    number = f"A-{uuid.uuid4().hex[:8].upper()}"
    system.create_part({"part_number": number, "name": name, "unit": "piece", "cost_price": cost,
                        "retail_price": "99.00"})
    return number


def receive(system, site, number, quantity, unit_cost, reference=None):
    system.receive_stock({"site_id": site, "part_number": number, "quantity": quantity, "unit_cost": unit_cost,
                          "reference": reference})


def reserve(system, site, number, quantity, kind="repair_order"):
    return system.reserve({"site_id": site, "part_number": number, "quantity": quantity, "kind": kind,
                           "reference": f"line-{uuid.uuid4()}"})


def build_history(parts, system):
    """The worked example of test_analysis_rules.py, made real at two sites.

    FIRST: oil 10 @ 40.00 bought 40 days ago, batteries 4 @ 25.00 200 days ago, wipers 2 @ 7.50 60 days ago.
    In the period: 10 oil @ 46.00 (average 43.00); 5 issued to a repair order (215.00), 3 sold (129.00),
    1 of the issue returned (43.00); a request for 100 that stock could not cover; a transfer reservation;
    a reservation made 50 days ago. SECOND: 4 oil @ 50.00 in the period, 2 issued (100.00), 5 asked short.
    """
    oil, battery, wiper = (new_part(system, "机油", "40.00"), new_part(system, "蓄电池", "25.00"),
                           new_part(system, "雨刮", "7.50"))
    for number, quantity, cost, days in ((oil, "10", "40.00", 40), (battery, "4", "25.00", 200),
                                         (wiper, "2", "7.50", 60)):
        receive(system, FIRST, number, quantity, cost, reference=f"opening-{number}")
        backdate_movements(parts, f"opening-{number}", days)

    receive(system, FIRST, oil, "10", "46.00")
    job = reserve(system, FIRST, oil, "5")
    system.issue_reservation({"reservation_id": job["reservation_id"]})
    with inventory(parts) as counter:
        sale = counter.reserve(counter.part(oil), FIRST, Decimal("3"), f"counter-line-{uuid.uuid4()}",
                               kind="counter_order")
        counter.issue(sale, kind="sale")
    system.return_to_stock({"reservation_id": job["reservation_id"], "quantity": "1"})
    short = reserve(system, FIRST, oil, "100")
    assert short["status"] == "backordered"
    system.release_reservation(short["reservation_id"])
    transfer = reserve(system, FIRST, oil, "1", kind="transfer")
    system.release_reservation(transfer["reservation_id"])
    old = reserve(system, FIRST, wiper, "1")
    system.release_reservation(old["reservation_id"])
    with database(parts) as db:
        db.execute(text("UPDATE reservations SET requested_at = :at WHERE id = :id"),
                   {"at": NOW - timedelta(days=50), "id": old["reservation_id"]})

    receive(system, SECOND, oil, "4", "50.00")
    second_job = reserve(system, SECOND, oil, "2")
    system.issue_reservation({"reservation_id": second_job["reservation_id"]})
    second_short = reserve(system, SECOND, oil, "5")
    system.release_reservation(second_short["reservation_id"])
    return oil, battery, wiper


def test_fill_rate_counts_lines_filled_when_asked_per_site_and_for_the_group(parts, system, rpc):
    build_history(parts, system)
    answer = rpc(caller=BOTH_SITES_MANAGER).parts.fill_rate(PERIOD)
    assert (answer["from"], answer["to"]) == (PERIOD["from"], PERIOD["to"])
    assert answer["sites"] == [
        # 3 lines asked in the period (the job, the sale, the short 100); transfers and the old line left out
        {"site_id": FIRST, "lines_requested": 3, "lines_filled_at_request": 2, "fill_rate": "0.6667"},
        {"site_id": SECOND, "lines_requested": 2, "lines_filled_at_request": 1, "fill_rate": "0.5000"}]
    assert answer["group"] == {"site_id": None, "lines_requested": 5, "lines_filled_at_request": 3,
                               "fill_rate": "0.6000"}
    earlier = system.fill_rate({"site_id": FIRST, "from": (TODAY - timedelta(days=60)).isoformat(),
                                "to": (TODAY - timedelta(days=30)).isoformat()})
    assert earlier["group"] == {"site_id": None, "lines_requested": 1, "lines_filled_at_request": 1,
                                "fill_rate": "1.0000"}


def test_turnover_and_days_of_supply_come_from_the_ledger_exactly(parts, system, rpc):
    oil, battery, wiper = build_history(parts, system)
    manager = rpc(caller=BOTH_SITES_MANAGER).parts
    turnover = manager.inventory_turnover(PERIOD)
    assert turnover["days"] == 30
    assert turnover["sites"] == [
        # cost 5 x 43 + 3 x 43 - 1 x 43 = 301; opening 10 x 40 + 4 x 25 + 2 x 7.50 = 515;
        # closing 13 x 43 + 100 + 15 = 674; 301 / 594.50 = 0.506..., x 365 / 30 = 6.160...
        {"site_id": FIRST, "cost_of_sales": "301.00", "opening_value": "515.00", "closing_value": "674.00",
         "average_value": "594.50", "turnover": "0.51", "annualised_turnover": "6.16"},
        # cost 2 x 50 = 100; opening 0; closing 2 x 50 = 100; 100 / 50 = 2.00, x 365 / 30 = 24.33
        {"site_id": SECOND, "cost_of_sales": "100.00", "opening_value": "0.00", "closing_value": "100.00",
         "average_value": "50.00", "turnover": "2.00", "annualised_turnover": "24.33"}]
    # the group from summed figures: 401 / ((515 + 774) / 2) = 0.622..., x 365 / 30 = 7.569...
    assert turnover["group"] == {"site_id": None, "cost_of_sales": "401.00", "opening_value": "515.00",
                                 "closing_value": "774.00", "average_value": "644.50", "turnover": "0.62",
                                 "annualised_turnover": "7.57"}
    closing_in_the_books = sum(Decimal(s["on_hand"]) * Decimal(s["average_cost"])
                               for s in (system.get_stock(FIRST, n) for n in (oil, battery, wiper)))
    assert closing_in_the_books == Decimal("674"), "the replayed closing value is what the stock table holds"

    supply = manager.days_of_supply(PERIOD)
    assert supply["sites"] == [
        # 674 / (301 / 30 x 30) x 30 = 67.18
        {"site_id": FIRST, "inventory_value": "674.00", "cost_of_sales": "301.00",
         "monthly_cost_of_sales": "301.00", "days_of_supply": "67.18"},
        {"site_id": SECOND, "inventory_value": "100.00", "cost_of_sales": "100.00",
         "monthly_cost_of_sales": "100.00", "days_of_supply": "30.00"}]
    assert supply["group"] == {"site_id": None, "inventory_value": "774.00", "cost_of_sales": "401.00",
                               "monthly_cost_of_sales": "401.00", "days_of_supply": "57.91"}

    # ten days ending yesterday: only the opening stock was there, nothing sold
    quiet = {"site_id": FIRST, "from": (TODAY - timedelta(days=10)).isoformat(),
             "to": (TODAY - timedelta(days=1)).isoformat()}
    assert manager.inventory_turnover(quiet)["group"] == {
        "site_id": None, "cost_of_sales": "0.00", "opening_value": "515.00", "closing_value": "515.00",
        "average_value": "515.00", "turnover": "0.00", "annualised_turnover": "0.00"}
    assert manager.days_of_supply(quiet)["group"] == {
        "site_id": None, "inventory_value": "515.00", "cost_of_sales": "0.00", "monthly_cost_of_sales": "0.00",
        "days_of_supply": None}
    # 50 to 45 days ago: only the batteries and wipers were in stock
    assert manager.inventory_turnover({"site_id": FIRST, "from": (TODAY - timedelta(days=50)).isoformat(),
                                       "to": (TODAY - timedelta(days=45)).isoformat()})["group"]["closing_value"] == (
        "115.00")


def test_obsolete_stock_lists_parts_with_no_movement_for_the_days_asked(parts, system, rpc):
    oil, battery, wiper = build_history(parts, system)
    manager = rpc(caller=BOTH_SITES_MANAGER).parts
    answer = manager.obsolete_stock({})
    assert answer["days"] == 180
    [first, second] = answer["sites"]
    assert (first["site_id"], first["value"], second["site_id"], second["value"]) == (FIRST, "100.00", SECOND, "0.00")
    [batteries] = first["parts"]
    assert (batteries["part_number"], batteries["name"], batteries["on_hand"], batteries["average_cost"],
            batteries["value"]) == (battery, "蓄电池", "4.00", "25.00", "100.00")
    assert batteries["last_movement_at"][:10] == (NOW - timedelta(days=200)).date().isoformat()
    assert answer["group_value"] == "100.00"

    thirty = manager.obsolete_stock({"site_id": FIRST, "days": 30})
    assert [(p["part_number"], p["value"]) for p in thirty["sites"][0]["parts"]] == [
        (battery, "100.00"), (wiper, "15.00")]
    assert thirty["group_value"] == "115.00"


def test_a_caller_sees_only_their_sites_and_bad_periods_are_refused(parts, system, rpc):
    build_history(parts, system)
    clerk = rpc(caller=SECOND_SITE_CLERK).parts
    for call in (clerk.fill_rate, clerk.inventory_turnover, clerk.days_of_supply):
        with pytest.raises(Forbidden):
            call({**PERIOD, "site_id": FIRST})
    with pytest.raises(Forbidden):
        clerk.obsolete_stock({"site_id": FIRST})
    mine = clerk.inventory_turnover(PERIOD)
    assert [s["site_id"] for s in mine["sites"]] == [SECOND]
    assert mine["group"]["cost_of_sales"] == "100.00"
    assert [s["site_id"] for s in system.fill_rate(PERIOD)["sites"]] == [FIRST, SECOND], "the group sees every site"

    with pytest.raises(InvalidInput) as refused:
        clerk.fill_rate({"from": PERIOD["to"], "to": PERIOD["from"]})
    assert refused.value.details == {"to": ["Must not be before from."]}
    with pytest.raises(InvalidInput) as refused:
        clerk.days_of_supply({"to": PERIOD["to"]})
    assert set(refused.value.details) == {"from"}
    with pytest.raises(InvalidInput) as refused:
        clerk.obsolete_stock({"days": 0})
    assert set(refused.value.details) == {"days"}
