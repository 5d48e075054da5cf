"""A backordered reservation says by when its part is expected: what the workshop's delay alerts look at."""
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

from parts.service import PartsService

SITE, OTHER_SITE = "ETA-1", "ETA-2"
CHINA = timezone(timedelta(hours=8))


@pytest.fixture
def parts(container_factory, service_config, rpc):
    container_factory(PartsService, service_config("parts")).start()
    return rpc().parts


def new_part(parts):
    number = f"E-{uuid.uuid4().hex[:8].upper()}"
    parts.create_part({"part_number": number, "name": "刹车盘", "cost_price": "150.00", "retail_price": "260.00"})
    return number


def purchase_order(parts, supplier, number, expected_date, site_id=SITE, send=True):
    order = parts.create_purchase_order({
        "site_id": site_id, "supplier_id": supplier["supplier_id"], "expected_date": expected_date.isoformat(),
        "lines": [{"part_number": number, "quantity": "4", "unit_price": "150.00"}]})
    return parts.send_purchase_order(order["purchase_order_id"]) if send else order


def end_of(day):
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=CHINA)


def test_a_backordered_reservation_is_expected_by_the_end_of_the_earliest_sent_order_for_it(parts):
    number = new_part(parts)
    supplier = parts.create_supplier({"name": f"ETA 供应商 {uuid.uuid4().hex[:6]}", "lead_time_days": 3})
    today = datetime.now(CHINA).date()
    backordered = parts.reserve({"site_id": SITE, "part_number": number, "quantity": "1",
                                 "reference": f"ro-line:{uuid.uuid4()}"})
    assert backordered["status"] == "backordered"
    assert backordered["expected_at"] is None  # nothing on order yet

    purchase_order(parts, supplier, number, today + timedelta(days=5))
    purchase_order(parts, supplier, number, today + timedelta(days=2))
    purchase_order(parts, supplier, number, today + timedelta(days=1), send=False)  # a draft promises nothing
    purchase_order(parts, supplier, number, today + timedelta(days=1), site_id=OTHER_SITE)  # another site's

    answer = parts.get_reservation(backordered["reservation_id"])
    assert datetime.fromisoformat(answer["expected_at"]) == end_of(today + timedelta(days=2))


def test_a_reserved_reservation_expects_nothing(parts):
    number = new_part(parts)
    parts.receive_stock({"site_id": SITE, "part_number": number, "quantity": "2"})
    reserved = parts.reserve({"site_id": SITE, "part_number": number, "quantity": "1",
                              "reference": f"ro-line:{uuid.uuid4()}"})
    assert reserved["status"] == "reserved"
    assert parts.get_reservation(reserved["reservation_id"])["expected_at"] is None
