"""Random sequences of receive, reserve, issue, return, release and write-off through the real Inventory.

Whatever the order, on a real database: reserved never exceeds on hand, nothing goes
negative, the lots add up to on hand, and the ledger adds up to on hand.
"""
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from parts.inventory import ISSUED, RESERVED, RETURNED, Inventory
from parts.models import Base, Lot, Part, Reservation, Stock, StockMovement
from svckit.db import OUTBOX, PROCESSED_EVENTS, UnitOfWork, create_engine_for
from svckit.errors import Conflict, InvalidInput

SITE = "PROP"

operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(1, 8)),
    st.tuples(st.just("reserve"), st.integers(1, 8), st.booleans()),
    st.tuples(st.just("issue"), st.integers(0, 20)),
    st.tuples(st.just("return"), st.integers(0, 20), st.integers(1, 4)),
    st.tuples(st.just("release"), st.integers(0, 20)),
    st.tuples(st.just("write_off"), st.integers(1, 5)),
)


@pytest.fixture(scope="module")
def unit_of_work(tmp_path_factory):
    engine = create_engine_for(f"sqlite:///{tmp_path_factory.mktemp('inventory') / 'parts.db'}")
    Base.metadata.create_all(engine)
    make_session = sessionmaker(bind=engine, expire_on_commit=False)

    def make():
        return UnitOfWork(make_session(), "parts", {}, Base.metadata.tables[OUTBOX],
                          Base.metadata.tables[PROCESSED_EVENTS])

    yield make
    engine.dispose()


def check_invariants(db, part_number):
    stock = db.scalars(select(Stock).where(Stock.site_id == SITE, Stock.part_number == part_number)).one()
    lots = db.scalars(select(func.coalesce(func.sum(Lot.quantity), 0)).where(Lot.part_number == part_number)).one()
    ledger = db.scalars(select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
        StockMovement.part_number == part_number)).one()
    assert Decimal(0) <= stock.reserved <= stock.on_hand
    assert Decimal(lots) == stock.on_hand == Decimal(ledger)
    assert db.scalars(select(func.count()).select_from(Lot).where(Lot.part_number == part_number,
                                                                  Lot.quantity < 0)).one() == 0
    reserved = db.scalars(select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
        Reservation.part_number == part_number, Reservation.status == RESERVED)).one()
    assert Decimal(reserved) == stock.reserved


def pick(demands, statuses, index):
    """One of the demands in one of `statuses` (the index chooses which), or None."""
    eligible = [demand for demand in demands if demand.status in statuses]
    return eligible[index % len(eligible)] if eligible else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_keeps_stock_lots_ledger_and_reservations_in_step(unit_of_work, operations):
    db = unit_of_work()
    try:
        play(db, operations)
    finally:
        db.close()


def play(db, operations):
    inventory = Inventory(db, "property-test")
    part = db.add(Part(part_number=f"PROP-{uuid.uuid4().hex[:10].upper()}", name="测试件", unit="piece",
                       cost_price=Decimal("10.00"), retail_price=Decimal("15.00"),
                       workshop_price=Decimal("15.00"), fitment=[], category="general", active=True))
    inventory.receive(part, SITE, Decimal(3))
    db.commit()
    demands = []
    for step in operations:
        kind = step[0]
        try:
            if kind == "receive":
                inventory.receive(part, SITE, Decimal(step[1]), unit_cost=Decimal("12.00"))
            elif kind == "reserve":
                reservation = inventory.reserve(part, SITE, Decimal(step[1]), str(uuid.uuid4()), backorder=step[2])
                if reservation is not None:
                    demands.append(reservation)
            elif kind == "issue" and (ready := pick(demands, {RESERVED}, step[1])):
                inventory.issue(ready)
            elif kind == "return" and (issued := pick(
                    [d for d in demands if d.returned_quantity < d.quantity], {ISSUED, RETURNED}, step[1])):
                inventory.return_to_stock(issued, min(Decimal(step[2]), issued.quantity - issued.returned_quantity))
            elif kind == "release" and (waiting := pick(demands, {RESERVED, "backordered"}, step[1])):
                inventory.release(waiting)
            elif kind == "write_off":
                lot = db.scalars(select(Lot).where(Lot.part_number == part.part_number, Lot.quantity > 0)).first()
                if lot is not None:
                    inventory.write_off(lot, min(lot.quantity, Decimal(step[1])), "damaged")
            db.commit()
        except (Conflict, InvalidInput):  # refused: nothing of it may stay
            db.rollback()
        check_invariants(db, part.part_number)
    assert all(d.status in (RESERVED, ISSUED, RETURNED, "backordered", "released") for d in demands)
