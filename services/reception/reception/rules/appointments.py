"""The rules of appointments (预约), free of any database or broker.

An appointment books one slot at the desk (an advisor receives one car per slot) and some hours of the
workshop's day. Its life: booked -> moved (rescheduled, still expected; every move kept) -> arrived (a visit
began), or cancelled (with a reason), or no_show (not come by the slot start + a grace period).

What is counted against capacity: appointments booked, moved or arrived. An arrived car still took its
advisor's slot, and its repair order may not be quoted yet (the workshop then commits none of its hours), so
its hours stay counted for the day; once quoted they may be counted twice, which refuses a booking too early
rather than over-booking the workshop. Cancelled and no-show appointments free their place.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from svckit.errors import Conflict, InvalidInput

BOOKED = "booked"
MOVED = "moved"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
ARRIVED = "arrived"
STATUSES = (BOOKED, MOVED, CANCELLED, NO_SHOW, ARRIVED)
EXPECTED = (BOOKED, MOVED)  # the customer is still expected
TAKING_CAPACITY = (BOOKED, MOVED, ARRIVED)

CHANNELS = ("phone", "wechat", "walk_in", "app")

MINIMUM_HOURS = Decimal("0.5")
HOURS = Decimal("0.01")

DEFAULT_SLOT_MINUTES = 30
DEFAULT_OPENING_HOUR = 8
DEFAULT_CLOSING_HOUR = 18
DEFAULT_NO_SHOW_GRACE_MINUTES = 30
SEARCH_DAYS = 14
OFFERED_SLOTS = 5


def hours(value):
    """Hours as a Decimal with two places, rounded half-up once."""
    return Decimal(str(value)).quantize(HOURS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OpeningHours:
    """The desk's day: slots of `slot_minutes` from `opening_hour` until `closing_hour`, site-local."""
    zone: object
    slot_minutes: int = DEFAULT_SLOT_MINUTES
    opening_hour: int = DEFAULT_OPENING_HOUR
    closing_hour: int = DEFAULT_CLOSING_HOUR

    def slots(self, day):
        """Every slot start of `day`, aware, site-local."""
        start = datetime.combine(day, time(self.opening_hour), tzinfo=self.zone)
        closing = datetime.combine(day, time(0), tzinfo=self.zone) + timedelta(hours=self.closing_hour)
        step = timedelta(minutes=self.slot_minutes)
        found = []
        while start + step <= closing:
            found.append(start)
            start += step
        return found

    def local(self, moment):
        return moment.astimezone(self.zone)

    def day_of(self, moment):
        return self.local(moment).date()

    def slot_problem(self, slot_start):
        """Why `slot_start` is not a slot of the desk, or None."""
        local = self.local(slot_start)
        allowed = self.slots(local.date())
        if local in allowed:
            return None
        opening = f"{self.opening_hour:02d}:00"
        closing = f"{self.closing_hour:02d}:00"
        if not allowed or local.time() < allowed[0].time() or local.time() > allowed[-1].time():
            return (f"{local:%Y-%m-%d %H:%M} is outside the opening hours {opening}-{closing} "
                    f"(the last slot starts at {allowed[-1]:%H:%M})." if allowed else
                    f"There are no slots between {opening} and {closing}.")
        return (f"{local:%H:%M:%S} is not on a slot boundary: slots are {self.slot_minutes} minutes "
                f"from {opening}.")

    def check_slot(self, slot_start, now):
        problem = self.slot_problem(slot_start)
        if problem is None and slot_start <= now:
            problem = f"Must be in the future; {self.local(slot_start).isoformat()} has begun or passed."
        if problem:
            raise InvalidInput(f"slot_start: {problem}", {"slot_start": [problem]})


def requested_hours(services):
    """Total hours of the requested services (each already given its hours); at least half an hour."""
    total = hours(sum((Decimal(str(s["hours"])) for s in services), Decimal("0")))
    if total < MINIMUM_HOURS:
        reason = f"The requested services add up to {total} h; an appointment books at least {MINIMUM_HOURS} h."
        raise InvalidInput(f"services: {reason}", {"services": [reason]})
    return total


def service_hours(index, service, catalogue_entry):
    """Description and hours of one requested service: the customer's words and hours win over the catalogue's.

    `catalogue_entry` is the workshop's operation for the service's code ({"description", "standard_hours"})
    or None. Without a code, or with a code the catalogue lacks, the service must say what it is and how long.
    """
    errors = {}
    description = service.get("description") or (catalogue_entry or {}).get("description")
    given = service.get("hours")
    if given is None and catalogue_entry is not None:
        given = catalogue_entry["standard_hours"]
    if service.get("operation_code") and catalogue_entry is None and (given is None or not description):
        errors[f"services.{index}.operation_code"] = [
            "Not in the workshop's operation catalogue: give description and hours for other work."]
    else:
        if not description:
            errors[f"services.{index}.description"] = ["Say what is to be done (or give an operation_code)."]
        if given is None:
            errors[f"services.{index}.hours"] = ["Give the hours (or an operation_code of the catalogue)."]
    if errors:
        raise InvalidInput("Invalid input: " + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()), errors)
    return {"operation_code": service.get("operation_code"), "description": description, "hours": hours(given)}


@dataclass
class BookingDay:
    """What is booked on one day of a site, and what the day can take.

    `slot_counts` maps each slot start (aware) to the appointments in it; `advisor_slots` maps a username to
    the slot starts it already has; `booked_hours` are the hours of the day's appointments taking capacity.
    """
    day: date
    slots: list
    advisors: int
    free_hours: Decimal
    booked_hours: Decimal = Decimal("0")
    slot_counts: dict = field(default_factory=dict)
    advisor_slots: dict = field(default_factory=dict)

    def refusals(self, slot_start, asked_hours, preferred_advisor=None):
        """Why `asked_hours` at `slot_start` cannot be booked: {field: [reason]}, empty if it can."""
        reasons = []
        taken = self._count(slot_start)
        local = f"{self._local(slot_start):%Y-%m-%d %H:%M}"
        if self.advisors <= 0:
            reasons.append(f"No active service advisor at the site to receive the car on {self.day.isoformat()}.")
        elif taken >= self.advisors:
            reasons.append(f"Advisors are full at {local}: {taken} appointment(s) for {self.advisors} "
                           f"advisor(s).")
        if preferred_advisor and self._advisor_has(preferred_advisor, slot_start):
            reasons.append(f"Advisor {preferred_advisor} already has an appointment at {local}.")
        after = self.booked_hours + asked_hours
        if after > self.free_hours:
            reasons.append(f"Workshop is full on {self.day.isoformat()} ({self.remaining_hours} h free, "
                           f"{asked_hours} h asked).")
        return {"slot_start": reasons} if reasons else {}

    @property
    def remaining_hours(self):
        return max(self.free_hours - self.booked_hours, Decimal("0")).quantize(HOURS)

    def free_slots(self, asked_hours, preferred_advisor=None, after=None):
        """Slot starts where `asked_hours` could be booked, later than `after` (aware) if given."""
        if self.booked_hours + asked_hours > self.free_hours:
            return []
        return [slot for slot in self.slots if (after is None or slot > after)
                and not self.refusals(slot, asked_hours, preferred_advisor)]

    def advisors_free(self, slot_start):
        return max(self.advisors - self._count(slot_start), 0)

    def _local(self, moment):
        return moment.astimezone(self.slots[0].tzinfo) if self.slots else moment

    def _count(self, slot_start):
        return self.slot_counts.get(slot_start, 0)  # aware datetimes hash by their instant, whatever the zone

    def _advisor_has(self, advisor, slot_start):
        return slot_start in self.advisor_slots.get(advisor, ())


def check_bookable(booking_day, slot_start, asked_hours, preferred_advisor=None, next_free_slots=()):
    """Refuse (409) a booking the day cannot take, naming what is full and offering the next free slots."""
    details = booking_day.refusals(slot_start, asked_hours, preferred_advisor)
    if details:
        raise Conflict(overbooked_message(details),
                       {**details, "next_free_slots": [slot.isoformat() for slot in next_free_slots]})


def overbooked_message(details):
    return "Cannot book that slot: " + " ".join(details["slot_start"])


def next_free_slots(days, asked_hours, preferred_advisor=None, after=None, limit=OFFERED_SLOTS):
    """The first `limit` slots, over `days` (BookingDay, in date order), where `asked_hours` could be booked."""
    found = []
    for booking_day in days:
        for slot in booking_day.free_slots(asked_hours, preferred_advisor, after):
            found.append(slot)
            if len(found) >= limit:
                return found
    return found


def check_expected(appointment_id, status, action):
    """Only an appointment still expected (booked or moved) may be moved, cancelled or marked a no-show."""
    if status not in EXPECTED:
        raise Conflict(f"Appointment {appointment_id} is {status}: it can no longer be {action}.",
                       {"status": [f"Is {status}; only a booked or moved appointment can be {action}."]})


def check_no_show_due(slot_start, now, grace_minutes):
    """A customer is a no-show only once the slot start plus the grace period has passed."""
    due = slot_start + timedelta(minutes=grace_minutes)
    if now < due:
        reason = (f"The customer is not late yet: a no-show can be recorded from {due.isoformat()} "
                  f"({grace_minutes} minutes after the slot start).")
        raise Conflict(reason, {"status": [reason]})


def is_overdue(slot_start, now, grace_minutes):
    return now >= slot_start + timedelta(minutes=grace_minutes)


def check_arrival(appointment, visit, today):
    """The visit (site_id, vehicle_id) may be the arrival of the appointment only if it is still expected, for
    the same car at the same site, and today (site-local); otherwise the refusal names appointment_id."""
    if appointment.status not in EXPECTED:
        reason = f"Is {appointment.status}: only a booked or moved appointment can arrive."
        raise Conflict(f"Appointment {appointment.id} {reason[0].lower()}{reason[1:]}", {"appointment_id": [reason]})
    if appointment.site_id != visit.site_id:
        reason = f"Is booked at site {appointment.site_id}, the car is checked in at {visit.site_id}."
    elif appointment.vehicle_id != visit.vehicle_id:
        reason = "Is for another vehicle."
    elif appointment.day != today:
        reason = f"Is for {appointment.day.isoformat()}, not today ({today.isoformat()})."
    else:
        return
    raise InvalidInput(f"appointment_id: {reason}", {"appointment_id": [reason]})


def reminder_day(now_local):
    """Reminders go out the day before: for appointments on the site-local day after `now_local`."""
    return now_local.date() + timedelta(days=1)
