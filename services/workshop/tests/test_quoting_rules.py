"""Quoting and diagnosis rules on their own: no broker, no database."""
from decimal import Decimal

import pytest

from svckit.errors import InvalidInput
from workshop.models import LabourLine, PartLine, RepairOrder
from workshop.models.quoting import Operation, SubletLine
from workshop.rules import repair_order as ro
from workshop.rules.quoting import catalogue_entry, labour_line_values

GENERIC_OIL = Operation(code="OIL-CHG", model="", description="更换机油", standard_hours=Decimal("0.50"),
                        skill_code=None, active=True)
PASSAT_OIL = Operation(code="OIL-CHG", model="Passat 380TSI", description="更换机油 (Passat)",
                       standard_hours=Decimal("0.70"), skill_code=None, active=True)
HV_BATTERY = Operation(code="HV-BAT", model="", description="高压电池检测", standard_hours=Decimal("2.00"),
                       skill_code="HV_EV", active=True)
OLD_BATTERY = Operation(code="HV-BAT", model="ID.4", description="old", standard_hours=Decimal("9.00"),
                        skill_code="HV_EV", active=False)
CATALOGUE = [GENERIC_OIL, PASSAT_OIL, HV_BATTERY, OLD_BATTERY]


def test_the_entry_for_the_cars_model_wins_over_the_generic_one():
    assert catalogue_entry(CATALOGUE, "OIL-CHG", "Passat 380TSI") is PASSAT_OIL


def test_the_generic_entry_serves_other_models_and_an_unknown_model():
    assert catalogue_entry(CATALOGUE, "OIL-CHG", "Camry") is GENERIC_OIL
    assert catalogue_entry(CATALOGUE, "OIL-CHG", None) is GENERIC_OIL


def test_an_inactive_entry_is_passed_over_and_an_unknown_code_has_none():
    assert catalogue_entry(CATALOGUE, "HV-BAT", "ID.4") is HV_BATTERY
    assert catalogue_entry(CATALOGUE, "NO-SUCH", "ID.4") is None
    assert catalogue_entry([GENERIC_OIL], "OIL-CHG", None) is GENERIC_OIL


def test_a_catalogue_line_takes_hours_description_and_always_the_catalogue_skill():
    values = labour_line_values({"operation_code": "HV-BAT", "description": None, "hours": None,
                                 "skill_code": "GENERAL"}, HV_BATTERY)
    assert values == {"description": "高压电池检测", "hours": Decimal("2.00"), "skill_code": "HV_EV"}
    own_hours = labour_line_values({"operation_code": "OIL-CHG", "description": None, "hours": Decimal("0.8")},
                                   GENERIC_OIL)
    assert own_hours["hours"] == Decimal("0.8") and own_hours["description"] == "更换机油"


def test_ad_hoc_work_needs_description_and_hours_naming_operation_code():
    with pytest.raises(InvalidInput) as refused:
        labour_line_values({"operation_code": "WELD-X", "description": "Weld exhaust", "hours": None}, None)
    assert list(refused.value.details) == ["operation_code"]
    assert "hours" in refused.value.details["operation_code"][0]
    ad_hoc = labour_line_values({"operation_code": "WELD-X", "description": "Weld exhaust",
                                 "hours": Decimal("1.0")}, None)
    assert ad_hoc == {"description": "Weld exhaust", "hours": Decimal("1.0"), "skill_code": None}


def order():
    repair_order = RepairOrder(status=ro.AWAITING_APPROVAL, labour_lines=[], part_lines=[], sublet_lines=[],
                               history=[])
    repair_order.labour_lines.append(LabourLine(  # 1.25 h x 333.33 = 416.6625 -> 416.66
        id="L1", position=0, operation_code="BRK", description="Brake pads", hours=Decimal("1.25"),
        rate=Decimal("333.33"), approval=ro.PENDING, pay_type=ro.CUSTOMER))
    repair_order.labour_lines.append(LabourLine(  # warranty: 2 h x 300 = 600.00, the maker's
        id="L2", position=1, operation_code="HV-BAT", description="HV battery", hours=Decimal("2.00"),
        rate=Decimal("300.00"), approval=ro.PENDING, pay_type=ro.WARRANTY))
    repair_order.part_lines.append(PartLine(  # 3 x 11.115 = 33.345 -> 33.35
        id="P1", position=0, part_number="F-1", description="Filter", quantity=Decimal("3"),
        unit_price=Decimal("11.115"), approval=ro.PENDING, pay_type=ro.CUSTOMER))
    repair_order.part_lines.append(PartLine(
        id="P2", position=1, part_number="W-1", description="Wiper", quantity=Decimal("1"),
        unit_price=Decimal("80.00"), approval=ro.PENDING, pay_type=ro.GOODWILL))
    repair_order.sublet_lines.append(SubletLine(
        id="S1", position=0, vendor="福耀玻璃", description="Windscreen", cost=Decimal("900.00"),
        price=Decimal("1200.00"), approval=ro.PENDING, pay_type=ro.CUSTOMER))
    repair_order.sublet_lines.append(SubletLine(
        id="S2", position=1, vendor="Trim shop", description="Seat cover", cost=Decimal("100.00"),
        price=Decimal("150.00"), approval=ro.PENDING, pay_type=ro.INTERNAL))
    return repair_order


def test_choose_lines_covers_sublet_lines_too():
    approved, declined = order().choose_lines(None, ["S2", "P2"])
    assert [line.id for line in approved] == ["L1", "L2", "P1", "S1"]
    assert [line.id for line in declined] == ["P2", "S2"]


def test_an_unknown_sublet_id_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        order().choose_lines(["S9"], [])
    assert "approved_line_ids" in refused.value.details


def approve_all(repair_order, declined=()):
    approved, refused = repair_order.choose_lines(None, list(declined))
    for line in approved:
        line.approval = ro.LINE_APPROVED
    for line in refused:
        line.approval = ro.LINE_DECLINED
    return repair_order


def test_totals_by_pay_type_and_the_customer_pays_only_customer_lines_to_the_cent():
    repair_order = approve_all(order())
    assert repair_order.totals_by_pay_type == {
        "customer": Decimal("1650.01"),  # 416.66 + 33.35 + 1200.00
        "warranty": Decimal("600.00"), "internal": Decimal("150.00"), "goodwill": Decimal("80.00")}
    assert repair_order.customer_total == Decimal("1650.01")
    assert (repair_order.labour_total, repair_order.parts_total, repair_order.sublet_total) == (
        Decimal("1016.66"), Decimal("113.35"), Decimal("1350.00"))
    assert repair_order.total == Decimal("2480.01")


def test_declined_lines_count_in_no_total():
    repair_order = approve_all(order(), declined=["S1", "L2"])
    assert repair_order.customer_total == Decimal("450.01")  # 416.66 + 33.35
    assert repair_order.totals_by_pay_type["warranty"] == Decimal("0.00")
    assert repair_order.sublet_total == Decimal("150.00")
