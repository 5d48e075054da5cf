"""Migrations keep the data that is already there, on PostgreSQL and on SQLite (make run's default)."""
from decimal import Decimal

import pytest
from sqlalchemy import text

from parts.models import Base
from svckit.db import create_engine_for
from svckit.migrations import upgrade
from svckit.testing.migrations import differences

BEFORE_LOTS = "a83fa48a4f40"


def test_migrations_build_what_the_models_describe(databases):
    assert differences("parts:migrations", Base.metadata, databases.fresh_url("parts_schema")) == []


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request, databases, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parts.db'}"
    return databases.fresh_url("parts_upgrade")


def test_stock_on_hand_moves_into_default_bins_and_parts_get_a_workshop_price(database_url):
    engine = create_engine_for(database_url)
    upgrade("parts:migrations", database_url, engine=engine, revision=BEFORE_LOTS)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO parts (part_number, name, unit, cost_price, retail_price, created_at) "
                          "VALUES ('F-1', '机油滤清器', 'piece', 20, 35, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO stock (id, site_id, part_number, on_hand, reserved, reorder_point, "
                          "reorder_quantity, average_cost) VALUES ('s1', 'SH01', 'F-1', 5, 2, 0, 0, 20)"))
        conn.execute(text("INSERT INTO reservations (id, site_id, part_number, quantity, reference, status, "
                          "created_at) VALUES ('r1', 'SH01', 'F-1', 2, 'ro-line:1', 'reserved', '2026-01-02 03:04:05')"))

    upgrade("parts:migrations", database_url, engine=engine)

    with engine.connect() as conn:
        lots = conn.execute(text(
            "SELECT l.quantity, b.code, w.code FROM lots l JOIN bins b ON b.id = l.bin_id "
            "JOIN warehouses w ON w.id = b.warehouse_id WHERE l.part_number = 'F-1'")).all()
        part = conn.execute(text("SELECT workshop_price, category, active FROM parts")).one()
        reservation = conn.execute(text("SELECT kind, requested_at, reserved_at FROM reservations")).one()
    engine.dispose()
    assert [(Decimal(q), bin, warehouse) for q, bin, warehouse in lots] == [(Decimal("5"), "DEFAULT", "MAIN")]
    assert (Decimal(part[0]), part[1], bool(part[2])) == (Decimal("35"), "general", True)
    assert reservation[0] == "repair_order"
    assert str(reservation[1]).startswith("2026-01-02") and reservation[2] is not None
