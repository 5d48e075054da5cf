"""Delay forecasts, the same concern and the board's words, without broker or database."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from workshop.rules import repair_order as ro
from workshop.rules.delays import (
    LABOUR, PARTS, TECHNICIAN_OVERLOADED, WaitingPart, forecast_delay, remaining_by_technician,
)
from workshop.rules.progress import (
    PastOrder, concern_similarity, minutes_left, normalise_concern, percentage, progress_percent, repeated_order,
    same_concern, waiting_reason,
)

NOW = datetime(2026, 5, 6, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
WANG, LI = "tech-wang", "tech-li"


def h(hours):
    return Decimal(hours)


# --- delay forecasts ---

def test_three_hours_of_work_two_hours_before_the_promise_is_a_labour_risk():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=2), {WANG: h("3.00")})
    assert [reason.kind for reason in forecast.reasons] == [LABOUR]
    assert "3.00 h of approved work left, 2.00 h until the promised time" in forecast.reasons[0].detail
    assert forecast.expected_ready_at == NOW + timedelta(hours=3, minutes=30)


def test_comfortably_on_time_raises_nothing():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=5), {WANG: h("3.00")},
                              [WaitingPart("F-1", NOW + timedelta(hours=1))], {WANG: h("1.00")})
    assert forecast.reasons == ()
    assert not forecast.at_risk
    assert forecast.expected_ready_at == NOW + timedelta(hours=4, minutes=30)


def test_the_buffer_for_inspection_and_wash_counts():
    promised = NOW + timedelta(hours=3, minutes=20)
    assert forecast_delay(NOW, promised, {WANG: h("3.00")}).at_risk  # 3 h + 30 min > 3 h 20
    assert not forecast_delay(NOW, promised, {WANG: h("3.00")}, buffer=timedelta(minutes=15)).at_risk


def test_a_part_expected_after_the_promise_is_a_parts_risk():
    promised = NOW + timedelta(hours=6)
    late = NOW + timedelta(hours=7)
    forecast = forecast_delay(NOW, promised, {WANG: h("1.00")}, [WaitingPart("F-LATE", late)])
    assert [reason.kind for reason in forecast.reasons] == [PARTS]
    assert "F-LATE" in forecast.reasons[0].detail
    assert forecast.expected_ready_at == late + timedelta(hours=1, minutes=30)


def test_a_part_that_comes_in_time_but_leaves_too_little_time_for_the_work_is_a_parts_risk():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=6), {WANG: h("2.00")},
                              [WaitingPart("F-1", NOW + timedelta(hours=4))])
    assert [reason.kind for reason in forecast.reasons] == [PARTS]


def test_a_backordered_part_without_any_delivery_date_is_a_parts_risk_with_no_ready_time():
    forecast = forecast_delay(NOW, NOW + timedelta(days=2), {WANG: h("1.00")}, [WaitingPart("F-9", None)])
    assert [(reason.kind, "no delivery expected" in reason.detail) for reason in forecast.reasons] == [(PARTS, True)]
    assert forecast.expected_ready_at is None


def test_an_overloaded_technician_is_a_risk_even_when_the_work_alone_fits():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=4), {WANG: h("2.00")}, backlog_by_technician={WANG: h("3.00")})
    assert [reason.kind for reason in forecast.reasons] == [TECHNICIAN_OVERLOADED]
    assert "Technician tech-wang has 3.00 h of work on orders promised earlier" in forecast.reasons[0].detail
    assert forecast.expected_ready_at == NOW + timedelta(hours=5, minutes=30)


def test_lines_of_two_technicians_are_worked_side_by_side():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=3), {WANG: h("2.00"), LI: h("2.00")},
                              backlog_by_technician={LI: h("0.50")})
    assert forecast.reasons == ()
    assert forecast.expected_ready_at == NOW + timedelta(hours=3)


def test_several_late_parts_make_one_parts_reason():
    forecast = forecast_delay(NOW, NOW + timedelta(hours=2), {WANG: h("0.50")},
                              [WaitingPart("F-1", None), WaitingPart("F-2", NOW + timedelta(hours=3))])
    assert [reason.kind for reason in forecast.reasons] == [PARTS]
    assert "F-1" in forecast.reasons[0].detail and "F-2" in forecast.reasons[0].detail


class Line:
    def __init__(self, technician_id, approval, remaining):
        self.technician_id, self.approval, self.remaining = technician_id, approval, Decimal(remaining)

    def remaining_standard_hours(self, now):
        return self.remaining


def test_remaining_work_counts_approved_lines_per_technician():
    lines = [Line(WANG, ro.LINE_APPROVED, "1.50"), Line(WANG, ro.LINE_APPROVED, "0.50"),
             Line(None, ro.LINE_APPROVED, "1.00"), Line(LI, ro.LINE_DECLINED, "4.00"), Line(LI, ro.PENDING, "2.00")]
    assert remaining_by_technician(lines, NOW) == {WANG: h("2.00"), None: h("1.00")}


# --- the same concern ---

@pytest.mark.parametrize("earlier, now", [
    ("左前轮刹车异响", "左前轮刹车有异响"),  # 5 of 8 bigrams shared
    ("发动机故障灯亮", "发动机故障灯亮，偶尔抖动"),  # contained
    ("Brakes squeal", "brakes squeal when braking!"),
    ("Engine light on", "ENGINE-LIGHT ON"),
    ("A/C not cold", "a/c not cold enough"),
])
def test_the_same_concern_in_other_words_is_recognised(earlier, now):
    assert same_concern(earlier, now)


@pytest.mark.parametrize("earlier, now", [
    ("左前轮刹车异响", "空调不制冷"),
    ("Brakes squeal", "Air conditioning not cold"),
    ("更换机油", "更换轮胎"),  # only 更换 shared: 1 of 5 bigrams
    ("", "Brakes squeal"),
])
def test_a_different_concern_is_not_the_same(earlier, now):
    assert not same_concern(earlier, now)


def test_normalising_drops_case_spaces_and_punctuation_and_unifies_full_width():
    assert normalise_concern("  Ｂrakes，squeal! ") == "brakessqueal"
    assert concern_similarity("左前轮刹车异响", "左前轮刹车有异响") == pytest.approx(5 / 8)


def test_the_latest_delivered_order_with_the_same_concern_within_30_days_is_repeated():
    opened = NOW
    past = [PastOrder("ro-old", "Brakes squeal", opened - timedelta(days=31)),
            PastOrder("ro-other", "Oil change", opened - timedelta(days=3)),
            PastOrder("ro-recent", "brakes squeal at low speed", opened - timedelta(days=10)),
            PastOrder("ro-earlier", "Brakes squeal", opened - timedelta(days=20))]
    assert repeated_order("Brakes squeal", opened, past).repair_order_id == "ro-recent"
    assert repeated_order("Brakes squeal", opened, past[:2]) is None  # 31 days ago, or another concern
    assert repeated_order("Brakes squeal", opened, past[:1], window=timedelta(days=45)).repair_order_id == "ro-old"


# --- the board ---

def test_progress_and_time_left():
    assert progress_percent(h("1.50"), h("3.00")) == 50
    assert progress_percent(h("3.30"), h("3.00")) == 110
    assert progress_percent(h("0"), h("0")) is None
    assert minutes_left(NOW, NOW + timedelta(minutes=90, seconds=30)) == 90
    assert minutes_left(NOW, NOW - timedelta(minutes=5)) == -5


def test_the_waiting_reason_says_what_the_order_waits_for():
    eta = NOW + timedelta(days=1)
    assert waiting_reason(ro.WAITING_FOR_PARTS, waiting_parts=[("F-1", eta), ("F-2", None)]) == (
        f"Waiting for parts: F-1 (expected by {eta.isoformat()}), F-2 (no date yet).")
    assert waiting_reason(ro.ON_HOLD, hold_reason="Customer is away") == "On hold: Customer is away"
    assert waiting_reason(ro.AWAITING_APPROVAL, pending_lines=2) == (
        "Waiting for the customer's answer on 2 quoted lines.")
    assert waiting_reason(ro.REWORK) == "Rework after the failed final inspection."
    assert waiting_reason(ro.REWORK, rework_items=[("Road test", "Still squeals")]) == (
        "Rework after the failed final inspection: Road test: Still squeals.")
    assert waiting_reason(ro.IN_PROGRESS) is None


def test_comeback_rate_is_a_percentage_of_orders_closed():
    assert percentage(1, 8) == Decimal("12.50")
    assert percentage(2, 3) == Decimal("66.67")
    assert percentage(0, 0) is None
