"""The stocktake rules on their own: variances, accuracy, period figures, posting order. No broker, no database."""
from datetime import date, datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from parts.rules.stocktake import (
    figures, line_variance, period_bounds, period_figures, posting_order, require_status, reservation_shortfall,
    value_accuracy,
)
from svckit.errors import Conflict

D = Decimal


def line(expected, counted, unit_cost):
    return SimpleNamespace(expected_quantity=D(expected), counted_quantity=D(counted), unit_cost=D(unit_cost))


def test_a_variance_is_counted_minus_expected_valued_at_unit_cost_to_the_cent():
    assert line_variance(D("5"), D("3"), D("12.50")) == (D("-2"), D("-25.00"))
    assert line_variance(D("1.5"), D("2"), D("3.33")) == (D("0.5"), D("1.67"))  # 1.665 rounds half up
    assert line_variance(D("4"), D("4"), D("9.99")) == (D("0"), D("0.00"))


def test_figures_of_a_count_are_exact():
    result = figures([
        line("10", "10", "40.00"),   # right
        line("5", "3", "12.50"),     # 2 short: -25.00
        line("0", "2", "7.35"),      # found: +14.70
        line("4", "5", "3.33"),      # 1 over: +3.33
    ])
    assert result == {
        "lines": 4, "lines_with_variance": 3, "quantity_variance": D("1"), "value_variance": D("-6.97"),
        "gross_value_variance": D("43.03"), "expected_value": D("475.82"), "accuracy": D("0.2500"),
        "value_accuracy": D("0.9854"),  # 1 - 6.97 / 475.82
    }


def test_value_accuracy_stays_within_zero_and_one():
    assert value_accuracy(D("-50.00"), D("20.00")) == D("0.0000")
    assert value_accuracy(D("0.00"), D("0.00")) == D("1.0000")
    assert value_accuracy(D("5.00"), D("0.00")) == D("0.0000")
    assert value_accuracy(D("1.00"), D("3.00")) == D("0.6667")


def test_period_figures_pool_the_lines_and_do_not_let_one_counts_surplus_hide_anothers_shortage():
    counts = [
        {"lines": 10, "lines_with_variance": 1, "expected_value": D("1000.00"), "value_variance": D("-100.00")},
        {"lines": 30, "lines_with_variance": 3, "expected_value": D("1000.00"), "value_variance": D("100.00")},
    ]
    assert period_figures(counts) == {
        "counts": 2, "lines": 40, "lines_with_variance": 4, "accuracy": D("0.9000"),
        "expected_value": D("2000.00"), "value_variance": D("0.00"), "absolute_value_variance": D("200.00"),
        "value_accuracy": D("0.9000"),
    }
    assert period_figures([]) == {
        "counts": 0, "lines": 0, "lines_with_variance": 0, "accuracy": None, "expected_value": D("0"),
        "value_variance": D("0"), "absolute_value_variance": D("0"), "value_accuracy": None}


def test_a_period_is_whole_days_in_china_time():
    start, end = period_bounds(date(2026, 11, 1), date(2026, 11, 30))
    assert start == datetime(2026, 10, 31, 16, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)


def test_shortages_are_booked_first_when_unreserved_stock_covers_them():
    short, found = ("short", D("-3")), ("found", D("2"))
    assert posting_order([found, short], available=D("3")) == [short, found]
    assert posting_order([found, short], available=D("1")) == [found, short]


def test_reservation_shortfall_is_how_far_below_reserved_the_part_would_go():
    assert reservation_shortfall(D("10"), D("8"), [(None, D("-3")), (None, D("1"))]) == D("0")
    assert reservation_shortfall(D("10"), D("8"), [(None, D("-5"))]) == D("3")


def test_each_step_is_allowed_only_from_its_states():
    require_status(SimpleNamespace(status="approved"), "post")
    with pytest.raises(Conflict) as refused:
        require_status(SimpleNamespace(status="submitted"), "post")
    assert refused.value.details == {"status": ["Is submitted."]}
    with pytest.raises(Conflict, match="posted"):
        require_status(SimpleNamespace(status="posted"), "post")
    with pytest.raises(Conflict):
        require_status(SimpleNamespace(status="posted"), "cancel")
