"""Picking from lots and serving backorders, on their own."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from parts.rules.backorders import backorders_to_fill
from parts.rules.lots import days_left, pick_first_expiry_first
from svckit.errors import Conflict

TODAY = date(2026, 11, 26)
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass
class Lot:
    id: str
    quantity: Decimal
    expiry_date: date | None
    received_at: datetime = T0


@dataclass
class Demand:
    id: str
    quantity: Decimal
    requested_at: datetime


def test_the_batch_that_expires_first_leaves_first_and_lots_without_expiry_last():
    lots = [Lot("none", Decimal(5), None), Lot("late", Decimal(5), TODAY + timedelta(days=90)),
            Lot("soon", Decimal(2), TODAY + timedelta(days=3))]
    picked = pick_first_expiry_first(lots, Decimal(8), TODAY)
    assert [(lot.id, quantity) for lot, quantity in picked] == [("soon", 2), ("late", 5), ("none", 1)]


def test_an_expired_batch_is_never_picked():
    lots = [Lot("expired", Decimal(10), TODAY - timedelta(days=1)), Lot("good", Decimal(1), TODAY)]
    with pytest.raises(Conflict) as refused:
        pick_first_expiry_first(lots, Decimal(3), TODAY)
    assert "10 more is expired" in refused.value.message
    assert pick_first_expiry_first(lots, Decimal(1), TODAY)[0][0].id == "good"  # expires today: still usable


def test_older_receipts_leave_first_when_expiry_is_the_same():
    lots = [Lot("new", Decimal(5), None, T0 + timedelta(days=2)), Lot("old", Decimal(5), None, T0)]
    assert [lot.id for lot, _ in pick_first_expiry_first(lots, Decimal(6), TODAY)] == ["old", "new"]


def test_days_left_is_negative_once_expired():
    assert days_left(Lot("x", Decimal(1), TODAY - timedelta(days=2)), TODAY) == -2


def test_backorders_are_served_strictly_in_the_order_asked():
    waiting = [Demand("b", Decimal(5), T0 + timedelta(minutes=2)), Demand("a", Decimal(2), T0),
               Demand("c", Decimal(1), T0 + timedelta(minutes=3))]
    assert [d.id for d in backorders_to_fill(Decimal(7), waiting)] == ["a", "b"]
    assert [d.id for d in backorders_to_fill(Decimal(6), waiting)] == ["a"]  # b does not fit: c waits behind it


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=12), st.integers(0, 60), st.data())
def test_picking_takes_exactly_what_was_asked_from_unexpired_lots(quantities, asked, data):
    lots = [Lot(str(i), Decimal(q), data.draw(st.one_of(st.none(), st.dates(TODAY - timedelta(days=5),
                                                                              TODAY + timedelta(days=5)))))
            for i, q in enumerate(quantities)]
    usable = sum(lot.quantity for lot in lots if lot.expiry_date is None or lot.expiry_date >= TODAY)
    asked = Decimal(asked)
    if asked > usable:
        with pytest.raises(Conflict):
            pick_first_expiry_first(lots, asked, TODAY)
        return
    picked = pick_first_expiry_first(lots, asked, TODAY)
    assert sum(quantity for _, quantity in picked) == asked
    assert all(0 < quantity <= lot.quantity for lot, quantity in picked)
    assert all(lot.expiry_date is None or lot.expiry_date >= TODAY for lot, _ in picked)
