"""Facilities rules without broker or database: availability, due alerts, capacity."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from workshop.rules import facilities as rules
from workshop.rules import repair_order as ro

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 3, 10)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA)


def lift(faults=(), windows=(), calibration_required=False, calibration_due_on=None):
    return SimpleNamespace(id="lift-1", kind="lift", asset_number="L-01", faults=list(faults),
                           maintenance_windows=list(windows), calibration_required=calibration_required,
                           calibration_due_on=calibration_due_on)


def fault(reported_at, repaired_at=None, out_of_service=True):
    return SimpleNamespace(reported_at=reported_at, repaired_at=repaired_at, out_of_service=out_of_service,
                           description="Hydraulic leak")


def window(starts_at, ends_at, cancelled_at=None):
    return SimpleNamespace(starts_at=starts_at, ends_at=ends_at, cancelled_at=cancelled_at, reason="Annual check")


def bay(active=True):
    return SimpleNamespace(code="B1", active=active)


def day_of(day):
    return rules.working_day(day, CHINA, time(8), time(18))


def codes(reasons):
    return [reason["reason"] for reason in reasons]


def test_a_maintenance_window_takes_the_equipment_out_on_its_day_only():
    equipment = lift(windows=[window(at(DAY, 9), at(DAY, 12))])
    assert codes(rules.out_of_service_reasons(equipment, *day_of(DAY), CHINA)) == ["maintenance"]
    assert rules.out_of_service_reasons(equipment, *day_of(DAY - timedelta(days=1)), CHINA) == []
    assert rules.out_of_service_reasons(equipment, *day_of(DAY + timedelta(days=1)), CHINA) == []
    assert codes(rules.out_of_service_reasons(equipment, *rules.moment(at(DAY, 10)), CHINA)) == ["maintenance"]
    assert rules.out_of_service_reasons(equipment, *rules.moment(at(DAY, 12)), CHINA) == []  # ends_at is free again
    reason = rules.out_of_service_reasons(equipment, *day_of(DAY), CHINA)[0]
    assert reason["until"] == at(DAY, 12) and reason["equipment_id"] == "lift-1"
    assert "lift L-01" in reason["detail"] and "Annual check" in reason["detail"]


def test_opening_hours_come_as_hours_or_clock_times():
    assert (rules.clock(8), rules.clock("17.5"), rules.clock("07:45")) == (time(8), time(17, 30), time(7, 45))
    assert rules.working_day(DAY, CHINA, rules.clock(8), rules.clock(18)) == (at(DAY, 8), at(DAY, 18))


def test_a_window_outside_opening_hours_or_cancelled_costs_no_day():
    after_closing = lift(windows=[window(at(DAY, 19), at(DAY, 22))])
    assert rules.out_of_service_reasons(after_closing, *day_of(DAY), CHINA) == []
    cancelled = lift(windows=[window(at(DAY, 9), at(DAY, 12), cancelled_at=at(DAY, 7))])
    assert rules.out_of_service_reasons(cancelled, *day_of(DAY), CHINA) == []


def test_an_open_out_of_service_fault_takes_it_out_until_repaired():
    broken = lift(faults=[fault(at(DAY, 10))])
    assert codes(rules.out_of_service_reasons(broken, *day_of(DAY), CHINA)) == ["fault"]
    assert codes(rules.out_of_service_reasons(broken, *day_of(DAY + timedelta(days=5)), CHINA)) == ["fault"]
    assert rules.out_of_service_reasons(broken, *day_of(DAY - timedelta(days=1)), CHINA) == []
    assert rules.out_of_service_reasons(broken, *rules.moment(at(DAY, 9)), CHINA) == []

    repaired = lift(faults=[fault(at(DAY, 10), repaired_at=at(DAY, 15))])
    assert codes(rules.out_of_service_reasons(repaired, *day_of(DAY), CHINA)) == ["fault"]  # out part of the day
    assert rules.out_of_service_reasons(repaired, *day_of(DAY + timedelta(days=1)), CHINA) == []
    assert rules.out_of_service_reasons(repaired, *rules.moment(at(DAY, 16)), CHINA) == []

    usable = lift(faults=[fault(at(DAY, 10), out_of_service=False)])
    assert rules.out_of_service_reasons(usable, *day_of(DAY), CHINA) == []


def test_expired_calibration_takes_a_tool_out_after_its_due_date():
    rig = lift(calibration_required=True, calibration_due_on=DAY)
    assert rules.out_of_service_reasons(rig, *day_of(DAY), CHINA) == []  # valid through the due date
    after = rules.out_of_service_reasons(rig, *day_of(DAY + timedelta(days=1)), CHINA)
    assert codes(after) == ["calibration_expired"] and DAY.isoformat() in after[0]["detail"]
    # the local day counts: 16:30 UTC on the due date is already the next day in China
    assert codes(rules.out_of_service_reasons(
        rig, *rules.moment(datetime.combine(DAY, time(16, 30), tzinfo=timezone.utc)), CHINA)) == ["calibration_expired"]
    assert rules.out_of_service_reasons(lift(calibration_due_on=DAY), *day_of(DAY + timedelta(days=9)), CHINA) == []
    assert codes(rules.out_of_service_reasons(lift(calibration_required=True), *day_of(DAY), CHINA)) == [
        "calibration_expired"]


def test_a_bay_is_out_when_inactive_or_any_equipment_in_it_is_out():
    assert rules.bay_out_of_service_reasons(bay(), [lift()], *day_of(DAY), CHINA) == []
    assert codes(rules.bay_out_of_service_reasons(bay(active=False), [], *day_of(DAY), CHINA)) == ["bay_inactive"]
    out = rules.bay_out_of_service_reasons(bay(), [lift(), lift(faults=[fault(at(DAY, 8))],
                                                               windows=[window(at(DAY, 9), at(DAY, 10))])],
                                           *day_of(DAY), CHINA)
    assert codes(out) == ["fault", "maintenance"]
    assert rules.availability(out)["in_service"] is False
    assert rules.availability([]) == {"in_service": True, "reasons": []}
    assert "Hydraulic leak" in rules.describe(out)


def test_due_alerts_are_raised_some_days_ahead_and_once_per_due_date():
    today = DAY
    assert not rules.alert_due(today + timedelta(days=4), None, today, 3)
    assert rules.alert_due(today + timedelta(days=3), None, today, 3)
    assert rules.alert_due(today - timedelta(days=2), None, today, 3)  # overdue and never told
    assert not rules.alert_due(today + timedelta(days=3), today + timedelta(days=3), today, 3)
    assert rules.alert_due(today + timedelta(days=1), today - timedelta(days=30), today, 3)  # a new due date
    assert not rules.alert_due(None, None, today, 3)
    assert rules.next_maintenance_due(today, 30) == today + timedelta(days=30)


@pytest.mark.parametrize("bays, technicians, hours, committed, expected", [
    (2, 3, "8", "5.5", ("16.00", "5.50", "10.50")),
    (3, 1, "7.5", "0", ("7.50", "0.00", "7.50")),
    (1, 4, "8", "20", ("8.00", "20.00", "0.00")),  # overbooked: no free hours, never negative
    (0, 4, "8", "0", ("0.00", "0.00", "0.00")),
])
def test_capacity_is_the_smaller_of_bays_and_technicians_times_hours_less_what_is_committed(
        bays, technicians, hours, committed, expected):
    result = rules.capacity(bays, technicians, Decimal(hours), Decimal(committed))
    assert (str(result["capacity_hours"]), str(result["committed_hours"]), str(result["free_hours"])) == expected


def labour(hours, approval, clocked=Decimal("0")):
    return SimpleNamespace(approval=approval, remaining_standard_hours=lambda now: max(Decimal(hours) - clocked,
                                                                                       Decimal("0")))


def test_committed_hours_count_open_orders_promised_that_day_and_their_undeclined_lines():
    now = at(DAY, 9)
    orders = [
        SimpleNamespace(status=ro.APPROVED, promised_at=at(DAY, 17),
                        labour_lines=[labour("2", ro.LINE_APPROVED), labour("1.5", ro.PENDING),
                                      labour("4", ro.LINE_DECLINED)]),
        SimpleNamespace(status=ro.IN_PROGRESS, promised_at=at(DAY, 11),
                        labour_lines=[labour("3", ro.LINE_APPROVED, clocked=Decimal("1.25"))]),
        SimpleNamespace(status=ro.CLOSED, promised_at=at(DAY, 12), labour_lines=[labour("5", ro.LINE_APPROVED)]),
        SimpleNamespace(status=ro.APPROVED, promised_at=at(DAY + timedelta(days=1), 10),
                        labour_lines=[labour("6", ro.LINE_APPROVED)]),
    ]
    assert rules.committed_hours(orders, DAY, CHINA, now) == Decimal("5.25")
