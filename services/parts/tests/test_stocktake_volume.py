"""A full count of a site with 2,000 lots on the real broker and PostgreSQL: three clerks opening it at once, exact
figures, consistent books afterwards, and how long each step takes."""
import time
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text

from parts.service import PartsService
from svckit.db import create_engine_for
from svckit.errors import Conflict

SITE = "SITE-V"
LOTS, BINS = 2000, 40


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


def stock_a_site(database_url):
    """2,000 parts, each 5 on hand in one of 40 bins at 10.00 (written straight to the tables, for speed)."""
    engine = create_engine_for(database_url)
    warehouse = str(uuid.uuid4())
    bins = [str(uuid.uuid4()) for _ in range(BINS)]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO warehouses (id, site_id, code, name) VALUES (:id, :s, 'MAIN', 'Main')"),
                     {"id": warehouse, "s": SITE})
        conn.execute(text("INSERT INTO bins (id, site_id, warehouse_id, code) VALUES (:id, :s, :w, :code)"),
                     [{"id": b, "s": SITE, "w": warehouse, "code": f"R-{i:03d}"} for i, b in enumerate(bins)])
        numbers = [f"V-{i:05d}" for i in range(LOTS)]
        conn.execute(text(
            "INSERT INTO parts (part_number, name, category, fitment, unit, cost_price, retail_price, workshop_price, "
            "active, created_at) VALUES (:p, '配件', 'general', '[]', 'piece', 10, 20, 20, true, now())"),
            [{"p": n} for n in numbers])
        conn.execute(text(
            "INSERT INTO stock (id, site_id, part_number, on_hand, reserved, reorder_point, reorder_quantity, "
            "average_cost) VALUES (:id, :s, :p, 5, 0, 0, 0, 10)"),
            [{"id": str(uuid.uuid4()), "s": SITE, "p": n} for n in numbers])
        conn.execute(text(
            "INSERT INTO lots (id, site_id, part_number, bin_id, batch, quantity, received_at) "
            "VALUES (:id, :s, :p, :b, '', 5, now())"),
            [{"id": str(uuid.uuid4()), "s": SITE, "p": n, "b": bins[i % BINS]} for i, n in enumerate(numbers)])
    return engine


def test_a_full_count_of_two_thousand_lots(parts, rpc):
    engine = stock_a_site(parts.config["DATABASE_URL"])
    client = rpc(timeout=120).parts
    timings = {}

    started = time.monotonic()
    replies = [rpc(timeout=120).parts.open_stocktake.call_async({"site_id": SITE, "scope": "full", "blind": True})
               for _ in range(3)]  # three clerks at once: the lots go into one count only
    outcomes = []
    for reply in replies:
        try:
            outcomes.append(reply.result())
        except Conflict as refused:
            assert set(refused.details) == {"scope"}
    timings["open (3 at once)"] = time.monotonic() - started
    [opened] = outcomes
    assert len(opened["lines"]) == LOTS

    # every 10th line is one short, every 25th one over (lines 50, 100... are both: 1 short wins)
    entries = [{"line_no": line["line_no"], "counted_quantity": "4" if line["line_no"] % 10 == 0
                else "6" if line["line_no"] % 25 == 0 else "5"} for line in opened["lines"]]
    started = time.monotonic()
    client.enter_stocktake_counts(opened["stocktake_id"], {"counts": entries})
    timings["enter 2,000 counts"] = time.monotonic() - started

    started = time.monotonic()
    submitted = client.submit_stocktake(opened["stocktake_id"])
    timings["submit"] = time.monotonic() - started
    short, over = LOTS // 10, LOTS // 25 - LOTS // 50
    assert submitted["figures"] == {
        "lines": LOTS, "lines_with_variance": short + over, "quantity_variance": f"{over - short}.00",
        "value_variance": f"{(over - short) * 10}.00", "gross_value_variance": f"{(over + short) * 10}.00",
        "expected_value": f"{LOTS * 50}.00", "accuracy": f"{Decimal(LOTS - short - over) / LOTS:.4f}",
        "value_accuracy": "0.9840"}  # 1 - 1,600 / 100,000

    client.approve_stocktake(opened["stocktake_id"])
    started = time.monotonic()
    client.post_stocktake(opened["stocktake_id"])
    timings["post"] = time.monotonic() - started

    with engine.connect() as conn:
        mismatched = conn.execute(text(
            "SELECT count(*) FROM stock s WHERE s.site_id = :s AND s.on_hand <> (SELECT COALESCE(SUM(l.quantity), 0) "
            "FROM lots l WHERE l.site_id = s.site_id AND l.part_number = s.part_number)"), {"s": SITE}).scalar()
        on_hand = conn.execute(text("SELECT SUM(on_hand) FROM stock WHERE site_id = :s"), {"s": SITE}).scalar()
        adjustments = conn.execute(text("SELECT count(*) FROM stock_movements WHERE reference = :r AND "
                                        "kind = 'adjustment'"), {"r": f"stocktake:{opened['stocktake_id']}"}).scalar()
    engine.dispose()
    assert mismatched == 0
    assert on_hand == Decimal(LOTS * 5 + over - short)
    assert adjustments == short + over
    print("\nstocktake of 2,000 lots: " + ", ".join(f"{step} {seconds:.2f}s" for step, seconds in timings.items()))
    assert all(seconds < 60 for seconds in timings.values()), timings
