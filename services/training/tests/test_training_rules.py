"""The staff and crediting rules on their own: no broker, no database."""
import uuid
from decimal import Decimal

import pytest

from svckit.errors import InvalidInput
from training.rules import check_grade, hours_by_technician

WANG, LI = str(uuid.uuid4()), str(uuid.uuid4())


def line(technician_id, hours):
    return {"line_id": str(uuid.uuid4()), "operation_code": "OP-1", "description": "保养",
            "hours": Decimal(hours), "technician_id": technician_id}


def test_each_technicians_lines_are_summed():
    owed = hours_by_technician([line(WANG, "1.50"), line(LI, "0.80"), line(WANG, "2.25")])
    assert owed == {WANG: Decimal("3.75"), LI: Decimal("0.80")}


def test_technicians_come_in_the_order_of_their_first_line():
    assert list(hours_by_technician([line(LI, "1"), line(WANG, "1"), line(LI, "1")])) == [LI, WANG]


def test_lines_nobody_was_assigned_to_earn_no_credit():
    assert hours_by_technician([line(None, "4.00"), line(WANG, "1.00")]) == {WANG: Decimal("1.00")}
    assert hours_by_technician([line(None, "4.00")]) == {}
    assert hours_by_technician([]) == {}


def test_hours_are_rounded_to_hundredths_as_stored():
    owed = hours_by_technician([line(WANG, "1.5"), line(WANG, "0.333")])
    assert str(owed[WANG]) == "1.83"


def test_only_a_technician_has_a_grade():
    check_grade("technician", "senior")
    check_grade("technician", None)
    check_grade("service_advisor", None)
    with pytest.raises(InvalidInput) as refused:
        check_grade("service_advisor", "senior")
    assert set(refused.value.details) == {"grade"}
