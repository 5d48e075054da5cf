"""The rules of appointments, without a broker or a database: slots, advisors, workshop hours, next free slots."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from reception.rules import appointments as rules
from svckit.errors import Conflict, InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 27)
DESK = rules.OpeningHours(zone=SHANGHAI)  # 30-minute slots, 08:00-18:00


def at(hour, minute=0, day=DAY, second=0):
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


def booking_day(advisors=2, free_hours="8", booked=(), day=DAY, desk=DESK):
    """`booked`: (slot_start, hours, preferred_advisor) of the day's appointments taking capacity."""
    counts, advisor_slots = {}, {}
    for start, _, advisor in booked:
        counts[start] = counts.get(start, 0) + 1
        if advisor:
            advisor_slots.setdefault(advisor, set()).add(start)
    return rules.BookingDay(day=day, slots=desk.slots(day), advisors=advisors, free_hours=Decimal(free_hours),
                            booked_hours=sum((Decimal(h) for _, h, _ in booked), Decimal("0")),
                            slot_counts=counts, advisor_slots=advisor_slots)


# --- slots and opening hours ---

def test_a_day_has_slots_from_opening_until_the_last_that_ends_by_closing():
    slots = DESK.slots(DAY)
    assert (slots[0], slots[-1], len(slots)) == (at(8), at(17, 30), 20)
    longer = rules.OpeningHours(zone=SHANGHAI, slot_minutes=50, opening_hour=9, closing_hour=12)
    assert longer.slots(DAY) == [at(9), at(9, 50), at(10, 40)]  # 11:30 would end after closing


@pytest.mark.parametrize("slot", [at(8), at(8, 30), at(12), at(17, 30),
                                  datetime(2026, 11, 27, 0, 30, tzinfo=timezone.utc)])  # 00:30 UTC is 08:30 in Shanghai
def test_a_slot_on_a_boundary_within_opening_hours_is_accepted(slot):
    assert DESK.slot_problem(slot) is None


@pytest.mark.parametrize("slot, words", [
    (at(8, 15), "not on a slot boundary"),
    (at(9, 0, second=30), "not on a slot boundary"),
    (at(7, 30), "outside the opening hours 08:00-18:00"),
    (at(18), "outside the opening hours"),
    (at(17, 45), "outside the opening hours"),  # would end after closing
    (datetime(2026, 11, 27, 11, tzinfo=timezone.utc), "outside the opening hours"),  # 19:00 in Shanghai
])
def test_a_slot_off_a_boundary_or_outside_opening_hours_is_refused(slot, words):
    assert words in DESK.slot_problem(slot)


def test_check_slot_names_the_field_and_refuses_the_past():
    now = at(10, 5)
    with pytest.raises(InvalidInput) as refused:
        DESK.check_slot(at(10), now)
    assert list(refused.value.details) == ["slot_start"] and "future" in refused.value.details["slot_start"][0]
    with pytest.raises(InvalidInput) as off:
        DESK.check_slot(at(10, 10), now)
    assert "slot boundary" in off.value.details["slot_start"][0]
    DESK.check_slot(at(10, 30), now)


def test_the_day_of_a_slot_is_site_local():
    late_utc = datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)  # already the 27th in Shanghai
    assert DESK.day_of(late_utc) == DAY


# --- requested services and their hours ---

def test_catalogue_hours_are_the_default_and_the_customers_hours_win():
    entry = {"description": "更换机油机滤", "standard_hours": "0.80"}
    assert rules.service_hours(0, {"operation_code": "OIL-01", "description": None, "hours": None}, entry) == {
        "operation_code": "OIL-01", "description": "更换机油机滤", "hours": Decimal("0.80")}
    own = rules.service_hours(0, {"operation_code": "OIL-01", "description": "换油", "hours": Decimal("1.2")}, entry)
    assert (own["description"], own["hours"]) == ("换油", Decimal("1.20"))


def test_work_without_a_catalogue_entry_must_say_what_and_how_long():
    with pytest.raises(InvalidInput) as unknown:
        rules.service_hours(1, {"operation_code": "NOPE", "description": None, "hours": None}, None)
    assert list(unknown.value.details) == ["services.1.operation_code"]
    with pytest.raises(InvalidInput) as vague:
        rules.service_hours(0, {"operation_code": None, "description": None, "hours": None}, None)
    assert set(vague.value.details) == {"services.0.description", "services.0.hours"}
    ad_hoc = rules.service_hours(0, {"operation_code": "NOPE", "description": "异响检查", "hours": Decimal("1")}, None)
    assert ad_hoc["hours"] == Decimal("1.00")


def test_an_appointment_books_at_least_half_an_hour():
    assert rules.requested_hours([{"hours": Decimal("0.3")}, {"hours": Decimal("0.2")}]) == Decimal("0.50")
    with pytest.raises(InvalidInput) as short:
        rules.requested_hours([{"hours": Decimal("0.4")}])
    assert list(short.value.details) == ["services"]


# --- advisors ---

def test_a_slot_takes_one_car_per_active_advisor():
    two_taken = booking_day(advisors=2, booked=[(at(9), "1", None), (at(9), "1", None)])
    assert "Advisors are full at 2026-11-27 09:00: 2 appointment(s) for 2 advisor(s)." in \
        two_taken.refusals(at(9), Decimal("1"))["slot_start"]
    assert two_taken.refusals(at(9, 30), Decimal("1")) == {}
    assert two_taken.advisors_free(at(9)) == 0 and two_taken.advisors_free(at(10)) == 2
    one_taken = booking_day(advisors=2, booked=[(at(9), "1", None)])
    assert one_taken.refusals(at(9), Decimal("1")) == {}


def test_no_advisor_means_nothing_can_be_booked():
    assert "No active service advisor" in booking_day(advisors=0).refusals(at(9), Decimal("1"))["slot_start"][0]


def test_a_preferred_advisor_takes_one_car_per_slot():
    day = booking_day(advisors=3, booked=[(at(9), "1", "wang.advisor")])
    assert day.refusals(at(9), Decimal("1"), "wang.advisor") == {
        "slot_start": ["Advisor wang.advisor already has an appointment at 2026-11-27 09:00."]}
    assert day.refusals(at(9), Decimal("1"), "li.advisor") == {}
    assert day.refusals(at(9), Decimal("1")) == {}


# --- workshop hours ---

def test_the_days_booked_hours_may_not_exceed_the_workshops_free_hours():
    day = booking_day(advisors=5, free_hours="8", booked=[(at(8), "3", None), (at(9), "3.5", None)])
    assert day.refusals(at(10), Decimal("1.5")) == {}  # exactly full is allowed
    assert day.refusals(at(10), Decimal("2")) == {
        "slot_start": ["Workshop is full on 2026-11-27 (1.50 h free, 2 h asked)."]}
    assert day.remaining_hours == Decimal("1.50")


def test_both_advisors_and_workshop_are_named_when_both_are_full():
    day = booking_day(advisors=1, free_hours="1", booked=[(at(9), "1", None)])
    reasons = day.refusals(at(9), Decimal("1"))["slot_start"]
    assert len(reasons) == 2 and reasons[0].startswith("Advisors are full") and reasons[1].startswith("Workshop")


def test_check_bookable_refuses_with_409_naming_the_slot_and_offering_slots():
    day = booking_day(advisors=2, free_hours="4", booked=[(at(9), "4", None)])
    offered = [at(8, day=DAY + timedelta(days=1))]
    with pytest.raises(Conflict) as refused:
        rules.check_bookable(day, at(10), Decimal("1"), next_free_slots=offered)
    assert refused.value.details == {"slot_start": ["Workshop is full on 2026-11-27 (0.00 h free, 1 h asked)."],
                                     "next_free_slots": ["2026-11-28T08:00:00+08:00"]}
    assert "Workshop is full" in refused.value.message
    rules.check_bookable(booking_day(), at(10), Decimal("1"))


# --- next free slots ---

def test_next_free_slots_skip_full_slots_and_full_days_and_stop_at_five():
    full_day = booking_day(advisors=1, free_hours="2", booked=[(at(8), "2", None)])
    next_day = DAY + timedelta(days=1)
    busy_morning = booking_day(advisors=1, free_hours="8", day=next_day,
                               booked=[(at(8, day=next_day), "1", None), (at(9, day=next_day), "1", None)])
    found = rules.next_free_slots([full_day, busy_morning], Decimal("1"))
    assert found == [at(8, 30, next_day), at(9, 30, next_day), at(10, day=next_day), at(10, 30, next_day),
                     at(11, day=next_day)]


def test_next_free_slots_begin_after_the_given_moment_and_respect_the_preferred_advisor():
    day = booking_day(advisors=2, booked=[(at(16, 30), "1", "wang"), (at(17), "1", None)])
    found = rules.next_free_slots([day], Decimal("1"), preferred_advisor="wang", after=at(16))
    assert found == [at(17), at(17, 30)]  # 16:30 wang is taken; 17:00 one advisor left
    assert rules.next_free_slots([day], Decimal("7"), after=at(16)) == []  # 2 h booked, 6 h left


# --- changes of state ---

def test_only_an_expected_appointment_may_be_moved_cancelled_or_marked_a_no_show():
    for status in rules.EXPECTED:
        rules.check_expected("a1", status, "moved")
    for status in (rules.CANCELLED, rules.NO_SHOW, rules.ARRIVED):
        with pytest.raises(Conflict) as refused:
            rules.check_expected("a1", status, "cancelled")
        assert list(refused.value.details) == ["status"]


def test_a_no_show_only_after_the_slot_start_and_the_grace_period():
    with pytest.raises(Conflict):
        rules.check_no_show_due(at(9), at(9, 29), 30)
    rules.check_no_show_due(at(9), at(9, 30), 30)
    assert rules.is_overdue(at(9), at(9, 30), 30) and not rules.is_overdue(at(9), at(9, 29), 30)


def test_arrival_must_be_the_same_car_and_site_today():
    appointment = SimpleNamespace(id="a1", status=rules.BOOKED, site_id="S1", vehicle_id="v1", day=DAY)
    visit = SimpleNamespace(site_id="S1", vehicle_id="v1")
    rules.check_arrival(appointment, visit, DAY)
    for changes, error in [({"status": rules.CANCELLED}, Conflict), ({"site_id": "S2"}, InvalidInput),
                           ({"vehicle_id": "v2"}, InvalidInput), ({"day": DAY + timedelta(days=1)}, InvalidInput)]:
        with pytest.raises(error) as refused:
            rules.check_arrival(SimpleNamespace(**{**vars(appointment), **changes}), visit, DAY)
        assert list(refused.value.details) == ["appointment_id"]


def test_reminders_are_for_the_site_local_day_after():
    assert rules.reminder_day(datetime(2026, 11, 26, 23, 30, tzinfo=SHANGHAI)) == DAY
