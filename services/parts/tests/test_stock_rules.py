"""The stock rules on their own: no broker, no database."""
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from parts.models import Stock
from parts.rules.stock import InsufficientStock
from svckit.errors import Conflict


def stock(on_hand="10", reserved="0", reorder_point="0", average_cost="0"):
    return Stock(site_id="S1", part_number="P1", on_hand=Decimal(on_hand), reserved=Decimal(reserved),
                 reorder_point=Decimal(reorder_point), reorder_quantity=Decimal("0"),
                 average_cost=Decimal(average_cost))


def test_reserve_takes_from_available():
    s = stock(on_hand="10", reserved="4")
    s.reserve(Decimal("6"))
    assert (s.on_hand, s.reserved, s.available) == (Decimal("10"), Decimal("10"), Decimal("0"))


def test_reserve_more_than_available_is_refused_and_changes_nothing():
    s = stock(on_hand="10", reserved="8")
    with pytest.raises(InsufficientStock) as refused:
        s.reserve(Decimal("3"))
    assert refused.value.details == {"quantity": ["Only 2 available."]}
    assert s.reserved == Decimal("8")


def test_issue_below_reorder_point():
    s = stock(on_hand="5", reserved="4", reorder_point="4")
    assert s.issue_reserved(Decimal("2")) is True
    assert (s.on_hand, s.reserved) == (Decimal("3"), Decimal("2"))
    assert s.issue_reserved(Decimal("1")) is False  # already below: no second alert


def test_issue_staying_at_reorder_point_is_not_low():
    s = stock(on_hand="5", reserved="2", reorder_point="3")
    assert s.issue_reserved(Decimal("2")) is False
    assert s.on_hand == Decimal("3")


def test_receive_moves_the_average_cost():
    s = stock(on_hand="10", average_cost="20.00")
    s.receive(Decimal("10"), Decimal("30.00"))
    assert (s.on_hand, s.average_cost) == (Decimal("20"), Decimal("25.00"))


operations = st.lists(st.tuples(st.sampled_from(["reserve", "issue", "release", "receive"]),
                                st.integers(min_value=1, max_value=20)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_no_sequence_of_operations_breaks_the_invariants(ops):
    s = stock(on_hand="10")
    for op, n in ops:
        quantity = Decimal(n)
        before = (s.on_hand, s.reserved)
        try:
            if op == "reserve":
                s.reserve(quantity)
            elif op == "issue":
                s.issue_reserved(quantity)
            elif op == "release":
                s.release(quantity)
            else:
                s.receive(quantity, Decimal("10.00"))
        except Conflict:  # InsufficientStock is a Conflict too; a refusal changes nothing
            assert (s.on_hand, s.reserved) == before
        assert Decimal("0") <= s.reserved <= s.on_hand
        assert s.available >= 0
