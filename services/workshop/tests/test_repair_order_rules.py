"""Repair order rules on their own: no broker, no database."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from svckit.errors import Conflict, InvalidInput
from workshop.rules import repair_order as ro
from workshop.models import LabourLine, PartLine, RepairOrder

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def order(status=ro.OPENED):
    repair_order = RepairOrder(status=status, labour_lines=[], part_lines=[], history=[])
    repair_order.labour_lines.append(LabourLine(id="L1", position=0, operation_code="OIL", description="Oil change",
                                                hours=Decimal("0.5"), rate=Decimal("300.00"), approval=ro.PENDING))
    repair_order.labour_lines.append(LabourLine(id="L2", position=1, operation_code="BRK", description="Brake pads",
                                                hours=Decimal("1.25"), rate=Decimal("333.33"), approval=ro.PENDING))
    repair_order.part_lines.append(PartLine(id="P1", position=0, part_number="F-1", description="Filter",
                                            quantity=Decimal("1"), unit_price=Decimal("35.00"), approval=ro.PENDING))
    return repair_order


def test_a_legal_move_is_recorded_in_the_history():
    repair_order = order()
    repair_order.move_to(ro.DIAGNOSING, "tech1", NOW)
    repair_order.move_to(ro.AWAITING_APPROVAL, "advisor1", NOW)
    assert repair_order.status == ro.AWAITING_APPROVAL
    change = repair_order.history[-1]
    assert (change.from_status, change.to_status, change.by, change.at) == (
        ro.DIAGNOSING, ro.AWAITING_APPROVAL, "advisor1", NOW)


def test_an_illegal_move_is_refused_with_the_allowed_ones_listed():
    repair_order = order()
    with pytest.raises(Conflict) as refused:
        repair_order.move_to(ro.COMPLETED, "tech", NOW)
    assert refused.value.details == {"status": ["Allowed from opened: awaiting_approval, cancelled, diagnosing."]}
    assert repair_order.status == ro.OPENED and repair_order.history == []


def test_nothing_leaves_a_closed_order():
    with pytest.raises(Conflict):
        order(ro.CLOSED).move_to(ro.IN_PROGRESS, "x", NOW)


def test_approving_without_ids_approves_every_pending_line_but_the_declined():
    approved, declined = order().choose_lines(None, ["L2"])
    assert [line.id for line in approved] == ["L1", "P1"]
    assert [line.id for line in declined] == ["L2"]


def test_approving_a_line_of_another_order_is_refused_naming_it():
    with pytest.raises(InvalidInput) as refused:
        order().choose_lines(["L1", "X9"], [])
    assert refused.value.details == {"approved_line_ids": ["Not pending lines of this order: X9."]}


def test_a_line_cannot_be_approved_and_declined():
    with pytest.raises(InvalidInput) as refused:
        order().choose_lines(["L1"], ["L1"])
    assert "declined_line_ids" in refused.value.details


def test_totals_count_approved_lines_only_rounded_half_up_per_line():
    repair_order = order()
    for line in repair_order.lines():
        line.approval = ro.LINE_APPROVED
    repair_order.labour_lines[1].approval = ro.LINE_DECLINED
    assert repair_order.labour_total == Decimal("150.00")
    assert repair_order.parts_total == Decimal("35.00")
    assert repair_order.total == Decimal("185.00")
    repair_order.labour_lines[1].approval = ro.LINE_APPROVED
    assert repair_order.labour_lines[1].amount == Decimal("416.66")  # 1.25 x 333.33 = 416.6625
    assert repair_order.labour_hours_sold == Decimal("1.75")


def test_lines_are_quoted_until_the_job_is_completed_as_additional_work_once_approved():
    order(ro.OPENED).require_quotable()
    assert not order(ro.AWAITING_APPROVAL).is_additional_work
    for status in (ro.APPROVED, ro.WAITING_FOR_PARTS, ro.IN_PROGRESS):
        order(status).require_quotable()
        assert order(status).is_additional_work
    for status in (ro.ON_HOLD, ro.COMPLETED, ro.CLOSED, ro.CANCELLED):
        with pytest.raises(Conflict):
            order(status).require_quotable()


def test_a_job_is_completed_only_with_every_line_answered_and_every_approved_part_reserved():
    in_progress = order(ro.IN_PROGRESS)
    with pytest.raises(Conflict) as refused:
        in_progress.require_completable()
    assert refused.value.details == {"lines": ["3 quoted line(s) still await the customer's answer."]}
    for line in in_progress.lines():
        line.approval = ro.LINE_APPROVED
    in_progress.part_lines[0].reservation_status = "backordered"
    with pytest.raises(Conflict) as refused:
        in_progress.require_completable()
    assert refused.value.details == {"part_lines": ["Parts still awaited: F-1."]}
    in_progress.part_lines[0].reservation_status = "reserved"
    in_progress.require_completable()


def test_an_order_on_hold_resumes_to_where_it_was():
    repair_order = order(ro.AWAITING_APPROVAL)
    repair_order.move_to(ro.APPROVED, "advisor", NOW)
    repair_order.move_to(ro.IN_PROGRESS, "tech", NOW)
    repair_order.move_to(ro.ON_HOLD, "foreman", NOW, reason="Customer to confirm extra work")
    assert repair_order.status_before_hold() == ro.IN_PROGRESS
    with pytest.raises(Conflict):
        order(ro.APPROVED).status_before_hold()


def test_a_completed_order_cannot_be_cancelled():
    with pytest.raises(Conflict) as refused:
        order(ro.COMPLETED).move_to(ro.CANCELLED, "advisor", NOW)
    assert refused.value.details == {"status": ["Allowed from completed: ready_for_delivery, rework."]}
