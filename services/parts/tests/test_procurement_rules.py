"""The rules of procurement without a broker or a database: the replenishment formula, bid scoring,
what a delivery may hold and the state it leaves an order in. The worked examples are the ones
docs/parts-replenishment.md shows, figure by figure."""
from collections import namedtuple
from datetime import date
from decimal import Decimal as D

from parts.rules import bids, purchasing, replenishment


# --- replenishment: the worked example of docs/parts-replenishment.md ---

EXAMPLE_DEMAND = [D(n) for n in (2, 0, 3, 1, 4, 0, 2, 3, 1, 4)]


def test_the_worked_example_of_the_replenishment_formula():
    s = replenishment.suggest(EXAMPLE_DEMAND, lead_time_days=4, review_days=7, z=D("1.65"), on_hand=D("10"),
                              reserved=D("3"), backordered=D("0"), on_order=D("5"))
    assert s.average_daily_demand == D("2")
    assert s.demand_std_dev == D(2).sqrt()  # deviations 0,-2,1,-1,2,-2,0,1,-1,2: squares sum to 20, /10 = 2
    figures = s.figures()
    assert (figures["average_daily_demand"], figures["demand_std_dev"]) == (D("2.00"), D("1.41"))
    assert figures["safety_stock"] == D("4.67")  # 1.65 * 1.41421356 * sqrt(4) = 4.6669
    assert figures["reorder_point"] == D("12.67")  # 2 * 4 + 4.6669
    assert figures["review_demand"] == D("14.00")  # 2 * 7
    assert figures["position"] == D("12.00")  # 10 - 3 - 0 + 5
    assert s.suggested_quantity == D("15.00")  # 12.6669 + 14 - 12 = 14.6669, rounded up to a whole unit


def test_backordered_demand_lowers_the_position_like_reserved_stock():
    s = replenishment.suggest(EXAMPLE_DEMAND, 4, 7, D("1.65"), on_hand=D("10"), reserved=D("3"),
                              backordered=D("6"), on_order=D("5"))
    assert (s.position, s.suggested_quantity) == (D("6"), D("21.00"))


def test_enough_stock_and_orders_suggest_nothing():
    s = replenishment.suggest(EXAMPLE_DEMAND, 4, 7, D("1.65"), on_hand=D("40"), reserved=D("0"),
                              backordered=D("0"), on_order=D("0"))
    assert s.suggested_quantity == D("0.00")


def test_steady_demand_needs_no_safety_stock_and_z_scales_it():
    steady = replenishment.suggest([D(3)] * 30, 5, 7, D("1.65"), D(0), D(0), D(0), D(0))
    assert (steady.demand_std_dev, steady.safety_stock, steady.reorder_point) == (D(0), D(0), D(15))
    assert steady.suggested_quantity == D("36.00")  # 15 + 3 * 7
    cautious = replenishment.suggest(EXAMPLE_DEMAND, 4, 7, D("2.33"), D(0), D(0), D(0), D(0))
    assert cautious.figures()["safety_stock"] == D("6.59")  # 2.33 * 1.41421356 * 2


def test_no_demand_and_no_stock_suggest_nothing():
    s = replenishment.suggest([D(0)] * 90, 7, 7, D("1.65"), D(0), D(0), D(0), D(0))
    assert (s.reorder_point, s.suggested_quantity) == (D(0), D("0.00"))


def test_daily_demand_counts_days_without_demand_and_ignores_days_outside_the_window():
    first = date(2026, 3, 1)
    series = replenishment.daily_demand(
        [(date(2026, 3, 1), D("2")), (date(2026, 3, 1), D("1")), (date(2026, 3, 4), D("5")),
         (date(2026, 2, 28), D("9")), (date(2026, 3, 5), D("9"))], first, 4)
    assert series == [D(3), D(0), D(0), D(5)]
    assert replenishment.window(date(2026, 3, 5), 4) == first


def test_mean_and_population_standard_deviation():
    assert replenishment.mean([D(1), D(2), D(3), D(6)]) == D(3)
    assert replenishment.population_std_dev([D(1), D(2), D(3), D(6)]) == D("3.5").sqrt()
    assert (replenishment.mean([]), replenishment.population_std_dev([])) == (D(0), D(0))


# --- bid scoring: the worked example of docs/parts-replenishment.md ---

def test_the_worked_example_of_bid_scoring():
    scored = bids.score_bids([
        bids.Bid("B", total=D("800.00"), lead_time_days=10, rating=D("60")),
        bids.Bid("C", total=D("1600.00"), lead_time_days=8, rating=None),
        bids.Bid("A", total=D("1000.00"), lead_time_days=5, rating=D("90")),
    ])
    assert [(s.bid.supplier_id, s.rank, s.price_score, s.lead_time_score, s.rating_score, s.score)
            for s in scored] == [
        ("A", 1, D("80.00"), D("100.00"), D("90.00"), D("87.00")),  # .5*80 + .2*100 + .3*90
        ("B", 2, D("100.00"), D("50.00"), D("60.00"), D("78.00")),  # .5*100 + .2*50 + .3*60
        ("C", 3, D("50.00"), D("62.50"), D("50.00"), D("52.50")),  # .5*50 + .2*62.5 + .3*50 (neutral rating)
    ]
    assert sum(bids.WEIGHTS.values()) == 1


def test_equal_scores_rank_the_cheaper_bid_first_and_a_same_day_bid_scores_full_on_lead_time():
    scored = bids.score_bids([bids.Bid("X", D("100"), 0, D("80")), bids.Bid("Y", D("100"), 0, D("80"))])
    assert [(s.bid.supplier_id, s.lead_time_score, s.score) for s in scored] == [
        ("X", D("100.00"), D("94.00")), ("Y", D("100.00"), D("94.00"))]
    tie = bids.score_bids([bids.Bid("dear", D("200"), 2, D("100")), bids.Bid("cheap", D("100"), 4, D("50"))])
    assert [s.score for s in tie] == [D("75.00"), D("75.00")]  # .5*50+.2*100+.3*100 and .5*100+.2*50+.3*50
    assert [s.bid.supplier_id for s in tie] == ["cheap", "dear"]
    assert bids.score_bids([]) == []


def test_supplier_rating_is_the_mean_of_what_is_known():
    assert bids.supplier_rating(D("75.00"), D("90.00")) == D("82.50")
    assert bids.supplier_rating(None, D("90.00")) == D("90.00")
    assert bids.supplier_rating(None, None) is None


# --- receiving ---

def test_a_delivered_line_is_accepted_plus_rejected_within_what_is_owed():
    assert purchasing.receipt_line_problems(D(10), D(6), D(4), D(2), "Cracked housing") == {}
    assert purchasing.receipt_line_problems(D(10), D(6), D(4), D(1), "Cracked") == {
        "delivered": ["Must equal accepted + rejected (5)."]}
    assert purchasing.receipt_line_problems(D(3), D(4), D(4), D(0), "") == {
        "accepted": ["At most 3: only that much is still owed on the line."]}
    assert purchasing.receipt_line_problems(D(10), D(2), D(0), D(2), " ") == {
        "reject_reason": ["Say why parts were rejected."]}
    assert purchasing.receipt_line_problems(D(10), D(2), D(2), D(0), "why?") == {
        "reject_reason": ["Only for a rejected quantity."]}
    # more than is owed may arrive, as long as the surplus is rejected (sent back)
    assert purchasing.receipt_line_problems(D(3), D(5), D(3), D(2), "Not ordered") == {}


Line = namedtuple("Line", "quantity accepted_quantity cancelled_quantity")


def test_an_order_is_received_when_nothing_is_owed_and_rejected_parts_stay_owed():
    assert purchasing.status_after_delivery([Line(D(10), D(10), D(0)), Line(D(4), D(3), D(1))]) == "received"
    assert purchasing.status_after_delivery([Line(D(10), D(8), D(0))]) == "partially_received"
    assert purchasing.outstanding(D(10), D(8), D(0)) == D(2)


def test_cancelling_an_order_closes_it_short_when_something_came():
    assert purchasing.status_after_cancel([Line(D(10), D(0), D(10))]) == "cancelled"
    assert purchasing.status_after_cancel([Line(D(10), D(4), D(6))]) == "received"


# --- scorecard arithmetic ---

def test_percentages_and_price_variance():
    assert purchasing.percentage(2, 3) == D("66.67")
    assert purchasing.percentage(0, 0) is None
    assert purchasing.variance([(D("42.00"), D("40.00"), D(10)), (D("19.00"), D("20.00"), D(4))]) == (
        D("16.00"), D("3.33"))  # paid 496 against 480
    assert purchasing.variance([]) == (D("0.00"), None)

