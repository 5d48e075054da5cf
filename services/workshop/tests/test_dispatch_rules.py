"""Dispatch, clocking and efficiency rules on their own: no broker, no database."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from svckit.errors import Conflict, InvalidInput
from workshop.rules import dispatch as rules
from workshop.rules.time import (
    REWORK, WORK, clocked_hours, day_span, efficiency_percent, hours_within, phase_for, technician_efficiency,
)

T0 = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai
WANG, LI = "wang", "li"


def entry(technician_id, start_h, end_h=None, phase=WORK, line_id="L1"):
    return SimpleNamespace(technician_id=technician_id, phase=phase, labour_line_id=line_id,
                           started_at=T0 + timedelta(hours=start_h),
                           ended_at=None if end_h is None else T0 + timedelta(hours=end_h))


def line(hours, entries=(), technician_id=None, skill_code=None, approval="approved"):
    return SimpleNamespace(id="L1", operation_code="EV-BATT", hours=Decimal(hours), clock_entries=list(entries),
                           technician_id=technician_id, skill_code=skill_code, approval=approval)


QUALIFIED_FOR_ALIGNMENT = {"on_day": "2026-11-27", "skill_codes": ["ALIGNMENT"], "lapsed": []}


# --- certificates ---

def test_dispatch_refusal_names_the_missing_certificate():
    with pytest.raises(InvalidInput) as refused:
        rules.require_certified("Wang", "HV_EV", QUALIFIED_FOR_ALIGNMENT)
    assert refused.value.details == {"technician_id": [
        "Wang has no valid HV_EV certificate (high-voltage work on electric vehicles) on 2026-11-27."]}


def test_a_refusal_says_when_the_certificate_expired_or_was_revoked():
    qualifications = {**QUALIFIED_FOR_ALIGNMENT, "lapsed": [
        {"skill_code": "HV_EV", "number": "HV-9", "status": "expired", "issued_on": "2023-01-01",
         "expires_on": "2026-10-31"},
        {"skill_code": "AC_REFRIGERANT", "number": "AC-1", "status": "revoked", "issued_on": "2023-01-01",
         "expires_on": None}]}
    assert rules.certificate_problem("Wang", "HV_EV", qualifications).endswith(
        "on 2026-11-27. Certificate HV-9 expired on 2026-10-31.")
    assert rules.certificate_problem("Wang", "AC_REFRIGERANT", qualifications).endswith("Certificate AC-1 was revoked.")
    assert rules.certificate_problem("Wang", "ALIGNMENT", qualifications) is None
    assert rules.certificate_problem("Wang", None, qualifications) is None  # the line needs no skill
    assert "no valid BODY_X certificate on" in rules.certificate_problem("Wang", "BODY_X", qualifications)


# --- states ---

@pytest.mark.parametrize("status", ["opened", "awaiting_approval", "on_hold", "completed", "cancelled"])
def test_work_is_dispatched_only_once_approved_and_before_completion(status):
    with pytest.raises(Conflict) as refused:
        rules.require_dispatchable(SimpleNamespace(status=status), line("1"))
    assert refused.value.details == {"status": [
        "Dispatch is allowed when: approved, waiting_for_parts, in_progress, rework."]}


@pytest.mark.parametrize("status", ["on_hold", "waiting_for_parts", "completed", "cancelled"])
def test_clocking_on_is_refused_naming_the_allowed_states(status):
    with pytest.raises(Conflict) as refused:
        rules.require_clockable(SimpleNamespace(status=status), line("1"))
    assert refused.value.details == {"status": ["Clocking on is allowed when: approved, in_progress, rework."]}


def test_a_declined_line_is_never_dispatched():
    with pytest.raises(Conflict):
        rules.require_dispatchable(SimpleNamespace(status="approved"), line("1", approval="declined"))


def test_a_line_is_reassigned_only_while_nobody_is_clocked_on_it():
    rules.require_reassignable(line("1", [entry(WANG, 0, 1)]), LI)  # Wang clocked off: fine
    rules.require_reassignable(line("1", [entry(WANG, 0)]), WANG)  # same technician, e.g. another bay: fine
    with pytest.raises(Conflict):
        rules.require_reassignable(line("1", [entry(WANG, 0)]), LI)


def test_clocking_on_a_second_job_is_refused_naming_the_open_one():
    open_elsewhere = entry(WANG, 0, line_id="L9")
    with pytest.raises(Conflict) as refused:
        rules.require_not_clocked_on(open_elsewhere, line("1"), lambda e: "line BRK-PAD of repair order RO-9")
    assert "line BRK-PAD of repair order RO-9" in refused.value.details["technician_id"][0]
    rules.require_not_clocked_on(None, line("1"), lambda e: "")


# --- clocked time ---

def test_stretches_with_a_pause_add_up_and_rework_is_split():
    entries = [entry(WANG, 0, 1.5), entry(WANG, 2, 2.75),  # a pause of half an hour between them
               entry(WANG, 5, 5.5, phase=REWORK)]
    now = T0 + timedelta(hours=8)
    assert clocked_hours(entries, now) == Decimal("2.75")
    assert clocked_hours(entries, now, WORK) == Decimal("2.25")
    assert clocked_hours(entries, now, REWORK) == Decimal("0.50")
    assert clocked_hours([entry(WANG, 0)], T0 + timedelta(minutes=20)) == Decimal("0.33")  # open: up to now


def test_every_entry_after_a_send_back_is_rework():
    history = [SimpleNamespace(to_status=s) for s in ("opened", "approved", "in_progress", "completed")]
    assert phase_for(history) == WORK
    history += [SimpleNamespace(to_status="rework"), SimpleNamespace(to_status="in_progress")]
    assert phase_for(history) == REWORK


def test_hours_clocked_today_count_only_the_part_of_a_stretch_within_the_day():
    shanghai = ZoneInfo("Asia/Shanghai")
    start, end = day_span(date(2026, 11, 27), date(2026, 11, 27), shanghai)
    assert start == datetime(2026, 11, 26, 16, 0, tzinfo=timezone.utc)
    overnight = entry(WANG, -10, -8)  # 15:00-17:00 UTC on the 26th: 23:00-01:00 in Shanghai
    assert hours_within([overnight, entry(WANG, 0)], start, end, T0 + timedelta(hours=1)) == Decimal("2.00")


# --- efficiency ---

def test_efficiency_is_standard_over_clocked_with_standard_hours_split_by_clocked_share():
    shared = line("3.00", [entry(WANG, 0, 2), entry(LI, 2, 3)])  # 2 h and 1 h: 2.00 and 1.00 standard
    wangs = line("1.50", [entry(WANG, 4, 5), entry(WANG, 6, 6.5, phase=REWORK)])
    nobody_clocked = line("0.80", technician_id=LI)
    report = technician_efficiency([shared, wangs, nobody_clocked], T0 + timedelta(hours=9))
    assert report[WANG] == {"standard_hours": Decimal("3.50"), "clocked_hours": Decimal("3.50"),
                            "rework_hours": Decimal("0.50"), "lines": 2, "efficiency_percent": Decimal("100.0")}
    assert report[LI] == {"standard_hours": Decimal("1.80"), "clocked_hours": Decimal("1.00"),
                          "rework_hours": Decimal("0.00"), "lines": 2, "efficiency_percent": Decimal("180.0")}


def test_efficiency_percent_has_one_decimal_rounded_half_up_and_none_without_clocked_time():
    assert efficiency_percent(Decimal("1.00"), Decimal("3.00")) == Decimal("33.3")
    assert efficiency_percent(Decimal("1.00"), Decimal("1.60")) == Decimal("62.5")
    assert efficiency_percent(Decimal("2.00"), Decimal("0.00")) is None
