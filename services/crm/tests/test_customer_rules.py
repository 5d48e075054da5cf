"""The customer care rules on their own: no broker, no database."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from crm.rules.customers import follow_up_due_at, follow_up_status, recorded_mileage

SHANGHAI = timezone(timedelta(hours=8))


def test_a_higher_reading_replaces_the_recorded_mileage():
    assert recorded_mileage(42_000, 45_310) == 45_310


def test_a_lower_reading_leaves_the_recorded_mileage():
    assert recorded_mileage(42_000, 4_200) == 42_000


@given(st.integers(min_value=0, max_value=2_000_000), st.lists(st.integers(min_value=0, max_value=2_000_000)))
def test_no_sequence_of_readings_lowers_the_mileage(start, readings):
    mileage = start
    for reading in readings:
        kept = recorded_mileage(mileage, reading)
        assert kept >= mileage
        assert kept in (mileage, reading)
        mileage = kept
    assert mileage == max([start, *readings])


def test_follow_up_is_due_three_days_after_delivery_by_default():
    delivered = datetime(2026, 11, 26, 17, 30, tzinfo=timezone.utc)
    assert follow_up_due_at(delivered) == datetime(2026, 11, 29, 17, 30, tzinfo=timezone.utc)


def test_follow_up_delay_is_configurable():
    delivered = datetime(2026, 11, 26, 17, 30, tzinfo=timezone.utc)
    assert follow_up_due_at(delivered, 7) == datetime(2026, 12, 3, 17, 30, tzinfo=timezone.utc)
    assert follow_up_due_at(delivered, 0) == delivered


def test_follow_up_due_date_is_in_utc_whatever_zone_the_delivery_was_recorded_in():
    delivered = datetime(2026, 12, 30, 20, 0, tzinfo=SHANGHAI)  # 12:00 UTC
    due = follow_up_due_at(delivered, 3)
    assert due == datetime(2027, 1, 2, 12, 0, tzinfo=timezone.utc)
    assert due.utcoffset() == timedelta(0)


def test_a_delivery_time_without_zone_is_taken_as_utc():
    assert follow_up_due_at(datetime(2026, 2, 27, 9, 0), 3) == datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_a_negative_delay_is_a_configuration_error():
    with pytest.raises(ValueError):
        follow_up_due_at(datetime(2026, 11, 26, tzinfo=timezone.utc), -1)


def test_only_customers_who_agreed_to_calls_are_called():
    assert follow_up_status(True) == "scheduled"
    assert follow_up_status(False) == "cancelled"
