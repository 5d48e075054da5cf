"""The rules of a visit on their own: no broker, no database."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reception.models import Visit
from reception.rules.visits import check_mileage, check_promised_at
from svckit.errors import Conflict, InvalidInput

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def visit(status="checked_in", repair_order_id="ro-1", promised_at=NOW + timedelta(hours=6)):
    return Visit(id="v-1", site_id="S1", status=status, repair_order_id=repair_order_id, promised_at=promised_at,
                 delivery_notes="")


def test_mileage_equal_to_or_above_the_record_is_accepted():
    check_mileage(52000, 52000)
    check_mileage(52001, 52000)


def test_mileage_below_the_record_is_refused_naming_both_numbers():
    with pytest.raises(InvalidInput) as refused:
        check_mileage(49999, 52000)
    assert list(refused.value.details) == ["mileage_km"]
    reason = refused.value.details["mileage_km"][0]
    assert "49999" in reason and "52000" in reason


def test_promised_at_must_be_in_the_future():
    check_promised_at(NOW + timedelta(minutes=1), NOW)
    for past in (NOW, NOW - timedelta(seconds=1)):
        with pytest.raises(InvalidInput) as refused:
            check_promised_at(past, NOW)
        assert list(refused.value.details) == ["promised_at"]


def test_a_passed_inspection_makes_the_visit_ready_for_delivery():
    v = visit()
    assert v.mark_ready_for_delivery(NOW) is True
    assert (v.status, v.ready_at) == ("ready_for_delivery", NOW)


def test_a_passed_inspection_after_delivery_changes_nothing():
    v = visit(status="delivered")
    assert v.mark_ready_for_delivery(NOW) is False
    assert (v.status, v.ready_at) == ("delivered", None)


@pytest.mark.parametrize("status", ["checked_in", "delivered"])
def test_only_a_visit_ready_for_delivery_may_be_delivered(status):
    v = visit(status=status)
    with pytest.raises(Conflict) as refused:
        v.record_delivery("100.00", "50.00", "150.00", notes="", at=NOW)
    assert status in str(refused.value)
    assert (v.status, v.total, v.delivered_at) == (status, None, None)


def test_a_visit_without_a_repair_order_cannot_be_delivered():
    v = visit(status="ready_for_delivery", repair_order_id=None)
    with pytest.raises(Conflict) as refused:
        v.check_deliverable()
    assert "repair_order_id" in refused.value.details


def test_delivery_records_the_bill_and_that_the_promise_was_kept():
    v = visit(status="ready_for_delivery")
    v.record_delivery("400", "150.5", "550.50", notes="旧件已交还", at=NOW + timedelta(hours=6))
    assert (v.labour_total, v.parts_total, v.total) == (Decimal("400.00"), Decimal("150.50"), Decimal("550.50"))
    assert str(v.parts_total) == "150.50"
    assert (v.status, v.delivered_at, v.delivery_notes) == ("delivered", NOW + timedelta(hours=6), "旧件已交还")
    assert v.promised_time_kept is True  # on the minute promised counts as kept


def test_delivery_after_the_promised_time_is_recorded_as_late():
    v = visit(status="ready_for_delivery")
    v.record_delivery("0", "0", "0", notes="", at=NOW + timedelta(hours=6, seconds=1))
    assert v.promised_time_kept is False
