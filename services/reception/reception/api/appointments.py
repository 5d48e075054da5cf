"""Appointments (预约): booking against the site's real capacity, reminders, arrival.

A slot is refused when the site's advisors are all taken in it (training's active service advisors, one car
each per slot; a preferred advisor only once per slot) or when the day's appointments would take more hours than
the workshop has free that day (workshop `get_capacity`, which already counts bays out and orders promised).
Bookings of one site's day are decided one at a time under a lock on that day's row (appointment_days).
"""
import logging
from collections import Counter, defaultdict
from datetime import timedelta, timezone
from decimal import Decimal

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from contracts.reception import (
    APPOINTMENT_ARRIVED, APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_NO_SHOW,
    APPOINTMENT_REMINDER_DUE, AppointmentCancellation, AppointmentMoveInput, AppointmentQuery, AppointmentView,
    FreeSlotQuery, FreeSlotsView, NewAppointment,
)
from reception.models.appointments import Appointment, AppointmentMove, AppointmentService, BookingDayLock
from reception.rules import appointments as rules
from svckit.db import new_id, utcnow
from svckit.errors import InvalidInput, NotFound
from svckit.schemas import load

log = logging.getLogger(__name__)

BOOKERS = ("service_advisor", "customer_care")
ADVISORS = ("service_advisor",)
NO_SHOW_CHECK_SECONDS = 300
REMINDER_CHECK_SECONDS = 3600


class AppointmentApi:
    # --- booking ---

    @rpc
    def book_appointment(self, payload):
        """Book a slot for a customer's car, if the site's advisors and the workshop's day can take it."""
        self.auth.require_role(*BOOKERS)
        data = load(NewAppointment, payload)
        data["slot_start"] = data["slot_start"].astimezone(timezone.utc)
        self.auth.require_site(data["site_id"])
        desk = self._opening_hours()
        desk.check_slot(data["slot_start"], utcnow())
        vehicle = self._vehicle_at_site(data["vehicle_id"], data["site_id"])
        services = self._requested_services(data["services"], vehicle.get("model"))
        hours = rules.requested_hours(services)
        day = desk.day_of(data["slot_start"])
        limits = self._day_limits(data["site_id"], day)
        self._check_capacity(data["site_id"], day, limits, data["slot_start"], hours, data["preferred_advisor"])
        appointment = self.db.add(Appointment(
            id=new_id(), site_id=data["site_id"], customer_id=vehicle["customer_id"], vehicle_id=vehicle["vehicle_id"],
            plate=vehicle["plate"], slot_start=data["slot_start"], day=day, hours=hours,
            preferred_advisor=data["preferred_advisor"], notes=data["notes"], channel=data["channel"],
            status=rules.BOOKED, booked_by=self.auth.username, booked_at=utcnow(),
            services=[AppointmentService(id=new_id(), position=index, **service)
                      for index, service in enumerate(services)]))
        self.db.flush()
        view = AppointmentView().dump(appointment)
        self.db.emit(APPOINTMENT_BOOKED, APPOINTMENT_BOOKED.taken_from(view), site_id=appointment.site_id)
        self.db.commit()
        log.info("appointment %s: vehicle %s booked at %s for %s (%s h) by %s", appointment.id,
                 appointment.vehicle_id, appointment.site_id, view["slot_start"], hours, appointment.booked_by)
        return view

    @rpc
    def free_slots(self, payload):
        """The slots of a day where `hours` could still be booked, with what the day has left."""
        query = load(FreeSlotQuery, payload)
        self.auth.require_site(query["site_id"])
        hours = rules.hours(query["hours"])
        booking_day = self._booking_day(query["site_id"], query["date"], self._advisor_count(query["site_id"]))
        slots = booking_day.free_slots(hours, query["preferred_advisor"], after=utcnow())
        return FreeSlotsView().dump({
            "site_id": query["site_id"], "date": query["date"], "hours": hours, "advisors": booking_day.advisors,
            "workshop_free_hours": booking_day.free_hours, "booked_hours": booking_day.booked_hours,
            "remaining_hours": booking_day.remaining_hours,
            "slots": [{"slot_start": slot, "advisors_free": booking_day.advisors_free(slot)} for slot in slots]})

    # --- reading ---

    @rpc
    def get_appointment(self, appointment_id):
        return AppointmentView().dump(self._appointment(appointment_id))

    @rpc
    def list_appointments(self, payload):
        """Appointments of the caller's sites by slot, narrowed by site, day, status or vehicle."""
        query = load(AppointmentQuery, payload)
        statement = self.auth.restrict_to_sites(select(Appointment), Appointment.site_id, query["site_id"])
        if query["date"] is not None:
            statement = statement.where(Appointment.day == query["date"])
        if query["status"] is not None:
            statement = statement.where(Appointment.status == query["status"])
        if query["vehicle_id"] is not None:
            statement = statement.where(Appointment.vehicle_id == query["vehicle_id"])
        appointments = self.db.scalars(statement.order_by(Appointment.slot_start, Appointment.id)).all()
        return AppointmentView(many=True).dump(appointments)

    # --- changes ---

    @rpc
    def move_appointment(self, appointment_id, payload):
        """Move an expected appointment to another slot, checked against capacity like a new booking."""
        self.auth.require_role(*BOOKERS)
        data = load(AppointmentMoveInput, payload)
        data["slot_start"] = data["slot_start"].astimezone(timezone.utc)
        appointment = self._appointment(appointment_id)
        rules.check_expected(appointment.id, appointment.status, "moved")
        desk = self._opening_hours()
        desk.check_slot(data["slot_start"], utcnow())
        if data["slot_start"] == appointment.slot_start:
            reason = "Is the slot the appointment already has."
            raise InvalidInput(f"slot_start: {reason}", {"slot_start": [reason]})
        day = desk.day_of(data["slot_start"])
        limits = self._day_limits(appointment.site_id, day)
        appointment = self._appointment(appointment_id, for_update=True)
        rules.check_expected(appointment.id, appointment.status, "moved")
        self._check_capacity(appointment.site_id, day, limits, data["slot_start"], appointment.hours,
                             appointment.preferred_advisor, moving=appointment.id)
        moved_from = appointment.slot_start
        now = utcnow()
        appointment.moves.append(AppointmentMove(
            id=new_id(), from_slot_start=moved_from, to_slot_start=data["slot_start"], reason=data["reason"],
            moved_by=self.auth.username, moved_at=now))
        if day != appointment.day:
            appointment.reminder_sent_at = None  # the customer is reminded of the new day
        appointment.slot_start, appointment.day, appointment.status = data["slot_start"], day, rules.MOVED
        self.db.flush()
        view = AppointmentView().dump(appointment)
        self.db.emit(APPOINTMENT_MOVED, APPOINTMENT_MOVED.taken_from(
            {**view, "from_slot_start": moved_from.isoformat(), "reason": data["reason"]}),
            site_id=appointment.site_id)
        self.db.commit()
        log.info("appointment %s moved from %s to %s by %s", appointment.id, moved_from.isoformat(),
                 view["slot_start"], self.auth.username)
        return view

    @rpc
    def cancel_appointment(self, appointment_id, payload):
        self.auth.require_role(*BOOKERS)
        data = load(AppointmentCancellation, payload)
        appointment = self._appointment(appointment_id, for_update=True)
        rules.check_expected(appointment.id, appointment.status, "cancelled")
        appointment.status, appointment.cancel_reason = rules.CANCELLED, data["reason"]
        appointment.cancelled_by, appointment.cancelled_at = self.auth.username, utcnow()
        view = AppointmentView().dump(appointment)
        self.db.emit(APPOINTMENT_CANCELLED, APPOINTMENT_CANCELLED.taken_from({**view, "reason": data["reason"]}),
                     site_id=appointment.site_id)
        self.db.commit()
        log.info("appointment %s cancelled by %s", appointment.id, self.auth.username)
        return view

    @rpc
    def mark_no_show(self, appointment_id):
        """The customer did not come: allowed once the slot start plus the grace period has passed."""
        self.auth.require_role(*ADVISORS)
        appointment = self._appointment(appointment_id, for_update=True)
        rules.check_expected(appointment.id, appointment.status, "marked a no-show")
        now = utcnow()
        rules.check_no_show_due(appointment.slot_start, now, self._no_show_grace_minutes())
        view = self._record_no_show(appointment, now)
        self.db.commit()
        return view

    @timer(interval=NO_SHOW_CHECK_SECONDS)
    def mark_overdue_no_shows_regularly(self):
        self.mark_overdue_no_shows()

    @rpc
    def mark_overdue_no_shows(self):
        """One pass: every appointment still expected after its slot start plus the grace period is a no-show."""
        self.auth.require_role(*ADVISORS)
        now = utcnow()
        overdue_before = now - timedelta(minutes=self._no_show_grace_minutes())
        statement = select(Appointment).where(
            Appointment.status.in_(rules.EXPECTED), Appointment.slot_start <= overdue_before)
        overdue = self.db.scalars(self.auth.restrict_to_sites(statement, Appointment.site_id)
                                  .order_by(Appointment.slot_start).with_for_update(skip_locked=True)).all()
        for appointment in overdue:
            self._record_no_show(appointment, now)
        self.db.commit()
        return len(overdue)

    # --- reminders ---

    @timer(interval=REMINDER_CHECK_SECONDS)
    def send_appointment_reminders_hourly(self):
        self.send_appointment_reminders()

    @rpc
    def send_appointment_reminders(self):
        """One pass: appointment_reminder_due, once per appointment, for those tomorrow (site-local)."""
        now = utcnow()
        tomorrow = rules.reminder_day(now.astimezone(self._zone()))
        due = self.db.scalars(select(Appointment).where(
            Appointment.status.in_(rules.EXPECTED), Appointment.day == tomorrow,
            Appointment.reminder_sent_at.is_(None))
            .order_by(Appointment.slot_start).with_for_update(skip_locked=True)).all()
        for appointment in due:
            appointment.reminder_sent_at = now
            view = AppointmentView().dump(appointment)
            self.db.emit(APPOINTMENT_REMINDER_DUE, APPOINTMENT_REMINDER_DUE.taken_from(view),
                         site_id=appointment.site_id)
        self.db.commit()
        return len(due)

    # --- arrival (check-in) ---

    def appointment_arrived(self, appointment_id, visit):
        """The customer of `appointment_id` arrived and `visit` began (called by check-in, same transaction)."""
        appointment = self._appointment(appointment_id, for_update=True)
        now = utcnow()
        rules.check_arrival(appointment, visit, now.astimezone(self._zone()).date())
        appointment.status, appointment.visit_id, appointment.arrived_at = rules.ARRIVED, visit.id, now
        view = AppointmentView().dump(appointment)
        self.db.emit(APPOINTMENT_ARRIVED, APPOINTMENT_ARRIVED.taken_from(view), site_id=appointment.site_id)
        return view

    # --- capacity ---

    def _day_limits(self, site_id, day):
        """(active service advisors, the workshop's free hours) of the site's day, asked before any lock is taken."""
        return self._advisor_count(site_id), self._workshop_free_hours(site_id, day)

    def _check_capacity(self, site_id, day, limits, slot_start, hours, preferred_advisor, moving=None):
        """Refuse (409) what the day cannot take, offering the next free slots; else hold the day's lock until
        commit, so a booking made meanwhile by another worker is counted."""
        advisors, free_hours = limits
        self._lock_day(site_id, day)
        booking_day = self._booking_day(site_id, day, advisors, free_hours, excluding=moving)
        if booking_day.refusals(slot_start, hours, preferred_advisor):
            self.db.rollback()  # let go of the day while the other days are searched
            offered = self._next_free_slots(site_id, day, hours, preferred_advisor, advisors,
                                            after=max(slot_start, utcnow()), excluding=moving,
                                            known={day: booking_day})
            rules.check_bookable(booking_day, slot_start, hours, preferred_advisor, offered)

    def _next_free_slots(self, site_id, first_day, hours, preferred_advisor, advisors, after, excluding, known):
        days = (first_day + timedelta(days=offset) for offset in range(rules.SEARCH_DAYS))
        found = []
        for day in days:
            booking_day = known.get(day) or self._booking_day(site_id, day, advisors, excluding=excluding)
            found += booking_day.free_slots(hours, preferred_advisor, after)
            if len(found) >= rules.OFFERED_SLOTS:
                break
        return found[:rules.OFFERED_SLOTS]

    def _booking_day(self, site_id, day, advisors, free_hours=None, excluding=None):
        """What is booked on the site's day (appointments booked, moved or arrived) and what it can take."""
        if free_hours is None:
            free_hours = self._workshop_free_hours(site_id, day)
        statement = select(Appointment).where(
            Appointment.site_id == site_id, Appointment.day == day, Appointment.status.in_(rules.TAKING_CAPACITY))
        if excluding is not None:
            statement = statement.where(Appointment.id != excluding)
        appointments = self.db.scalars(statement).all()
        advisor_slots = defaultdict(set)
        for appointment in appointments:
            if appointment.preferred_advisor:
                advisor_slots[appointment.preferred_advisor].add(appointment.slot_start)
        return rules.BookingDay(
            day=day, slots=self._opening_hours().slots(day), advisors=advisors, free_hours=free_hours,
            booked_hours=rules.hours(sum((a.hours for a in appointments), Decimal("0"))),
            slot_counts=Counter(a.slot_start for a in appointments), advisor_slots=dict(advisor_slots))

    def _lock_day(self, site_id, day):
        """Take the site's day row (made on first use) FOR UPDATE: bookings of that day queue up behind it."""
        dialect = self.db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.db.execute(insert(BookingDayLock).values(site_id=site_id, day=day).on_conflict_do_nothing())
        self.db.scalars(select(BookingDayLock).where(
            BookingDayLock.site_id == site_id, BookingDayLock.day == day).with_for_update()).one()

    def _advisor_count(self, site_id):
        staff = self.training.list_staff({"site_id": site_id, "role": "service_advisor"})
        return sum(1 for member in staff if member["active"])

    def _workshop_free_hours(self, site_id, day):
        capacity = self.workshop.get_capacity({"site_id": site_id, "date": day.isoformat()})
        return rules.hours(capacity["free_hours"])

    # --- lookups ---

    def _appointment(self, appointment_id, for_update=False):
        statement = select(Appointment).where(Appointment.id == str(appointment_id))
        if for_update:
            statement = statement.with_for_update(of=Appointment).execution_options(populate_existing=True)
        appointment = self.db.scalars(statement).one_or_none()
        if appointment is None:
            raise NotFound(f"No appointment {appointment_id}.", {"appointment_id": ["Unknown appointment."]})
        self.auth.require_site(appointment.site_id)
        return appointment

    def _vehicle_at_site(self, vehicle_id, site_id):
        vehicle = self.crm.get_vehicle(vehicle_id)
        if vehicle["site_id"] != site_id:
            reason = f"Is registered at site {vehicle['site_id']}, not {site_id}."
            raise InvalidInput(f"vehicle_id: {reason}", {"vehicle_id": [reason]})
        return vehicle

    def _requested_services(self, services, model):
        return [rules.service_hours(index, service, self._catalogue_operation(service["operation_code"], model)
                                    if service["operation_code"] else None)
                for index, service in enumerate(services)]

    def _catalogue_operation(self, code, model):
        """The workshop's active operation for `code`: the entry for the car's model if any, else the generic one."""
        model = model if model and len(model) <= 60 else None
        entries = [entry for entry in self.workshop.list_operations({"code_prefix": code, "model": model,
                                                                     "limit": 500})
                   if entry["code"] == code]
        for wanted in ([model] if model else []) + [None]:
            for entry in entries:
                if entry["model"] == wanted:
                    return entry
        return None

    def _opening_hours(self):
        slot_minutes = int(self.config.get("APPOINTMENT_SLOT_MINUTES", rules.DEFAULT_SLOT_MINUTES))
        return rules.OpeningHours(
            zone=self._zone(), slot_minutes=slot_minutes,
            opening_hour=int(self.config.get("RECEPTION_OPENING_HOUR", rules.DEFAULT_OPENING_HOUR)),
            closing_hour=int(self.config.get("RECEPTION_CLOSING_HOUR", rules.DEFAULT_CLOSING_HOUR)))

    def _no_show_grace_minutes(self):
        return int(self.config.get("NO_SHOW_GRACE_MINUTES", rules.DEFAULT_NO_SHOW_GRACE_MINUTES))

    def _record_no_show(self, appointment, at):
        appointment.status, appointment.no_show_at = rules.NO_SHOW, at
        view = AppointmentView().dump(appointment)
        self.db.emit(APPOINTMENT_NO_SHOW, APPOINTMENT_NO_SHOW.taken_from(view), site_id=appointment.site_id)
        log.info("appointment %s: no-show (slot %s)", appointment.id, view["slot_start"])
        return view
