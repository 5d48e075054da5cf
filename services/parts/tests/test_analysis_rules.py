"""The parts KPIs, each with a worked example in exact figures (no broker, no database)."""
from collections import namedtuple
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

from parts.rules.analysis import (
    annualised_turnover, average_inventory_value, cost_of_sales, days_of_supply, fill_rate, monthly_cost_of_sales,
    obsolete_stock, period_bounds, turnover, value_at,
)
from parts.rules.stock import StockRules

Movement = namedtuple("Movement", "part_number kind quantity unit_cost at")
TODAY = date(2026, 11, 27)


def day(offset, hour=10):
    """A time `offset` days from TODAY (negative: before)."""
    return datetime.combine(TODAY + timedelta(days=offset), datetime.min.time(), tzinfo=timezone.utc).replace(
        hour=hour)


# A site's history: oil (A) bought twice, issued, sold, one back; batteries (B) bought once, never moved.
HISTORY = [
    Movement("A", "receipt", D("10"), D("40.00"), day(-40)),
    Movement("B", "receipt", D("4"), D("25.00"), day(-40, 11)),
    Movement("A", "receipt", D("10"), D("46.00"), day(-5)),   # average (400 + 460) / 20 = 43.00
    Movement("A", "issue", D("-5"), D("43.00"), day(-4)),     # 215.00 to a repair order
    Movement("A", "sale", D("-3"), D("43.00"), day(-3)),      # 129.00 over the counter
    Movement("A", "return", D("1"), D("43.00"), day(-2)),     # 43.00 of the issue comes back
    Movement("A", "transfer_out", D("-2"), D("43.00"), day(-1)),  # to another site: not a sale
]
START, END, DAYS = period_bounds(TODAY - timedelta(days=29), TODAY)  # 30 whole days


def test_a_period_is_whole_utc_days_both_ends_included():
    assert (START, END, DAYS) == (datetime(2026, 10, 29, tzinfo=timezone.utc),
                                  datetime(2026, 11, 28, tzinfo=timezone.utc), 30)
    assert period_bounds(TODAY, TODAY)[2] == 1


def test_fill_rate_is_lines_filled_at_request_over_lines_requested():
    assert fill_rate(3, 2) == D("0.6667")
    assert fill_rate(8, 6) == D("0.7500")
    assert fill_rate(4, 4) == D("1.0000")
    assert fill_rate(0, 0) is None


def test_cost_of_sales_is_issues_and_sales_at_their_cost_less_returns_within_the_period():
    # 5 x 43 + 3 x 43 - 1 x 43 = 301.00; the transfer out and the receipts are not sales
    assert cost_of_sales(HISTORY, START, END) == D("301.00")
    assert cost_of_sales(HISTORY, START, day(-3, 0)) == D("215.00")  # only the issue is before day -3
    assert cost_of_sales(HISTORY, day(-40, 0), day(-39, 0)) == D("0.00")


def test_stock_value_replays_the_ledger_at_moving_average_cost():
    assert value_at(HISTORY, START) == D("500.00")  # opening: 10 x 40 + 4 x 25
    # closing: A is 10 + 10 - 5 - 3 + 1 - 2 = 11 at 43.00 = 473.00, B 4 x 25 = 100.00
    assert value_at(HISTORY, END) == D("573.00")
    assert value_at(HISTORY, day(-5)) == D("500.00")  # a movement exactly at the instant is not yet in
    assert value_at(HISTORY, day(-5, 11)) == D("960.00")  # 20 x 43 + 100
    assert value_at([], END) == D("0.00")


def test_the_replayed_value_is_what_the_stock_table_holds_even_where_the_average_rounds():
    moves = [Movement("A", "receipt", D("3"), D("10.00"), day(-3)),
             Movement("A", "receipt", D("3"), D("10.01"), day(-2))]   # (30.00 + 30.03) / 6 = 10.005 -> 10.00
    stock = StockRules()
    stock.on_hand, stock.reserved, stock.average_cost = D("0"), D("0"), D("0")
    stock.receive(D("3"), D("10.00"))
    stock.receive(D("3"), D("10.01"))
    assert value_at(moves, END) == stock.on_hand * stock.average_cost == D("60.00")


def test_turnover_is_cost_of_sales_over_the_average_of_opening_and_closing_value():
    assert average_inventory_value(D("500.00"), D("573.00")) == D("536.50")
    assert turnover(D("301.00"), D("500.00"), D("573.00")) == D("0.56")  # 301 / 536.5 = 0.5610...
    assert turnover(D("1200.00"), D("500.00"), D("700.00")) == D("2.00")
    assert turnover(D("100.00"), D("0"), D("0")) is None
    # over a year: 301 x 365 / (536.5 x 30) = 6.8261...
    assert annualised_turnover(D("301.00"), D("500.00"), D("573.00"), 30) == D("6.83")
    assert annualised_turnover(D("1200.00"), D("500.00"), D("700.00"), 365) == D("2.00")


def test_days_of_supply_is_stock_value_over_the_monthly_cost_of_sales_times_30():
    assert monthly_cost_of_sales(D("301.00"), 30) == D("301.00")
    assert monthly_cost_of_sales(D("301.00"), 10) == D("903.00")
    assert days_of_supply(D("573.00"), D("301.00"), 30) == D("57.11")  # 573 / 301 x 30 = 57.109...
    assert days_of_supply(D("600.00"), D("300.00"), 10) == D("20.00")  # 600 / (300 / 10 x 30) x 30
    assert days_of_supply(D("600.00"), D("0.00"), 30) is None


def test_obsolete_stock_is_stock_of_parts_with_no_movement_since_the_cutoff_most_valuable_first():
    cutoff = day(-180, 0)
    stock = [("A", "机油", D("11"), D("43.00")), ("B", "蓄电池", D("4"), D("25.00")),
             ("C", "雨刮", D("2"), D("7.50")), ("D", "滤芯", D("0"), D("12.00")), ("E", "火花塞", D("8"), D("9.99"))]
    last = {"A": day(-1), "B": day(-200), "D": day(-400), "E": cutoff}
    lines = obsolete_stock(stock, last, cutoff)
    assert [(line["part_number"], line["value"], line["last_movement_at"]) for line in lines] == [
        ("B", D("100.00"), day(-200)), ("C", D("15.00"), None)]  # C never moved; E moved exactly at the cutoff
    assert sum(line["value"] for line in lines) == D("115.00")
