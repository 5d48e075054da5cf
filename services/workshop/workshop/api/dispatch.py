"""Dispatch (派工) and clocking (打卡): work to certified technicians and bays, their time, load and efficiency."""
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.workshop import (
    LABOUR_LINE_DISPATCHED, REPAIR_STARTED, ClockEntryView, ClockOff, ClockOn, EfficiencyQuery,
    EfficiencyReportView, LineDispatch, TechnicianLoadQuery, TechnicianLoadView,
)
from svckit.db import utcnow
from svckit.errors import Conflict, InvalidInput
from svckit.schemas import load
from workshop.api.repair_orders import technician_problem
from workshop.models import ClockEntry, LabourLine, RepairOrder
from workshop.rules import dispatch as rules
from workshop.rules import repair_order as ro
from workshop.rules.time import (
    day_span, hours_between, hours_within, local_day, phase_for, technician_efficiency,
)

FINISHED = (ro.COMPLETED, ro.READY_FOR_DELIVERY, ro.DELIVERED, ro.CLOSED)


class DispatchApi:
    # --- dispatch ---

    @rpc
    def dispatch_line(self, repair_order_id, line_id, payload):
        self.auth.require_role("foreman")
        data = load(LineDispatch, payload)
        order = self._repair_order(repair_order_id)
        line = rules.labour_line(order, line_id)
        rules.require_dispatchable(order, line)
        technician = self._qualified_technician(order, [line], data["technician_id"])
        bay_id = line.bay_id
        if data["bay_id"] is not None:
            bay_id = self.bay_for_dispatch(order.site_id, data["bay_id"]).id
        rules.require_reassignable(line, technician["staff_id"])
        self._give_line(order, line, technician["staff_id"], bay_id, utcnow())
        self.db.commit()
        return self._view(order)

    def give_undispatched_lines(self, order, technician, now):
        """start_job's technician takes every approved line nobody has yet, if certified for each.

        No labour_line_dispatched here: start_job announces the technician with repair_started.
        """
        lines = [line for line in order.labour_lines if line.approval == ro.LINE_APPROVED and line.technician_id is None]
        self._require_certified(technician, lines)
        for line in lines:
            line.technician_id = technician["staff_id"]

    # --- clocking ---

    @rpc
    def clock_on(self, repair_order_id, line_id, payload):
        self.auth.require_role("technician", "foreman")
        technician_id = load(ClockOn, payload)["technician_id"]
        order = self._repair_order(repair_order_id)
        line = rules.labour_line(order, line_id)
        rules.require_clockable(order, line)
        rules.require_dispatched_to(line, technician_id)
        rules.require_not_clocked_on(self._open_entry(technician_id), line, self._describe_job)
        technician = self._qualified_technician(order, [line], technician_id)  # a certificate may lapse after dispatch
        now = utcnow()
        if line.technician_id is None:
            self._give_line(order, line, technician_id, line.bay_id, now)
        if order.status in (ro.APPROVED, ro.REWORK):
            self._start(order, technician["staff_id"], now)
        entry = ClockEntry(site_id=order.site_id, repair_order_id=order.id, labour_line_id=line.id,
                           technician_id=technician_id, phase=phase_for(order.history), started_at=now)
        line.clock_entries.append(entry)
        try:
            self.db.commit()
        except IntegrityError:  # the same technician clocked on elsewhere at the same moment
            self.db.rollback()
            raise Conflict("The technician clocked on another line at the same moment; clock off there first.",
                           {"technician_id": ["Already clocked on another line."]}) from None
        return self._entry_view(entry, order, now)

    @rpc
    def clock_off(self, repair_order_id, line_id, payload):
        """End the technician's open stretch on the line; allowed whatever the order's state."""
        self.auth.require_role("technician", "foreman")
        data = load(ClockOff, payload)
        order = self._repair_order(repair_order_id)
        line = rules.labour_line(order, line_id)
        entry = next((e for e in line.clock_entries
                      if e.technician_id == data["technician_id"] and e.ended_at is None), None)
        if entry is None:
            elsewhere = self._open_entry(data["technician_id"])
            where = f"; they are clocked on {self._describe_job(elsewhere)}" if elsewhere else ""
            raise Conflict(f"Technician {data['technician_id']} is not clocked on line {line.operation_code}{where}.",
                           {"technician_id": [f"Not clocked on this line{where}."]})
        now = utcnow()
        entry.ended_at, entry.end_reason = now, data["reason"]
        self.db.commit()
        return self._entry_view(entry, order, now)

    # --- load and efficiency ---

    @rpc
    def technician_load(self, payload):
        """Every active technician of the site with the work dispatched to them and their time today."""
        site_id = load(TechnicianLoadQuery, payload)["site_id"]
        self.auth.require_site(site_id)
        now = utcnow()
        technicians = [staff for staff in self.training.list_staff({"site_id": site_id, "role": "technician"})
                       if staff["active"]]
        orders = self.db.scalars(select(RepairOrder).where(
            RepairOrder.site_id == site_id, RepairOrder.status.in_(rules.WORK_AHEAD))
            .order_by(RepairOrder.promised_at)).all()
        today_start, _ = day_span(local_day(now, self._zone()), local_day(now, self._zone()), self._zone())
        entries = self.db.scalars(select(ClockEntry).where(
            ClockEntry.site_id == site_id, (ClockEntry.ended_at.is_(None)) | (ClockEntry.ended_at > today_start))
            .order_by(ClockEntry.started_at)).all()
        load_of = []
        for staff in technicians:
            lines = [(order, line) for order in orders for line in order.labour_lines
                     if line.technician_id == staff["staff_id"] and line.approval == ro.LINE_APPROVED]
            own = [entry for entry in entries if entry.technician_id == staff["staff_id"]]
            open_entry = next((entry for entry in own if entry.ended_at is None), None)
            load_of.append({
                **staff,
                "lines": [_load_line(order, line, now) for order, line in lines],
                "remaining_hours": sum((line.remaining_standard_hours(now) for _, line in lines), Decimal("0.00")),
                "clocked_today_hours": hours_within(own, today_start, now, now),
                "clocked_on": open_entry and {
                    "repair_order_id": open_entry.repair_order_id, "line_id": open_entry.labour_line_id,
                    "operation_code": self.db.get(LabourLine, open_entry.labour_line_id).operation_code,
                    "phase": open_entry.phase, "since": open_entry.started_at},
            })
        return TechnicianLoadView(many=True).dump(load_of)

    @rpc
    def technician_efficiency(self, payload):
        """Standard hours of the lines finished in the period against the hours clocked on them, per technician."""
        self.auth.require_role("foreman", "site_manager")
        query = load(EfficiencyQuery, payload)
        self.auth.require_site(query["site_id"])
        start, end = day_span(query["from_day"], query["to_day"], self._zone())
        orders = self.db.scalars(select(RepairOrder).where(
            RepairOrder.site_id == query["site_id"], RepairOrder.status.in_(FINISHED),
            RepairOrder.completed_at >= start, RepairOrder.completed_at < end)).all()
        lines = [line for order in orders for line in order.labour_lines if line.approval == ro.LINE_APPROVED]
        figures = technician_efficiency(lines, utcnow())
        names = {staff["staff_id"]: staff["name"]
                 for staff in self.training.list_staff({"site_id": query["site_id"]})} if figures else {}
        return EfficiencyReportView().dump({
            **query,
            "technicians": sorted(({"staff_id": staff_id, "name": names.get(staff_id), **numbers}
                                   for staff_id, numbers in figures.items()),
                                  key=lambda row: (row["name"] or "", row["staff_id"])),
        })

    # --- helpers ---

    def _qualified_technician(self, order, lines, technician_id):
        """The technician, if an active technician of the order's site certified for every line's skill."""
        technician = self.training.get_staff(technician_id)
        problem = technician_problem(technician, order.site_id)
        if problem:
            raise InvalidInput(problem, {"technician_id": [problem]})
        self._require_certified(technician, lines)
        return technician

    def _require_certified(self, technician, lines):
        skills = sorted({line.skill_code for line in lines if line.skill_code})
        if not skills:
            return
        today = local_day(utcnow(), self._zone())
        qualifications = self.training.qualifications(technician["staff_id"], {"on_day": today.isoformat()})
        for skill_code in skills:
            rules.require_certified(technician["name"], skill_code, qualifications)

    def _give_line(self, order, line, technician_id, bay_id, now):
        previous = line.technician_id
        line.technician_id, line.bay_id = technician_id, bay_id
        order.technician_id = order.technician_id or technician_id
        self.db.emit(LABOUR_LINE_DISPATCHED, {
            "repair_order_id": order.id, "line_id": line.id, "operation_code": line.operation_code,
            "skill_code": line.skill_code, "technician_id": technician_id, "previous_technician_id": previous,
            "bay_id": bay_id, "by": self.auth.username, "at": now.isoformat(),
        }, site_id=order.site_id)

    def _start(self, order, technician_id, now):
        """The first clock-on starts the job (or its rework), as start_job does."""
        self._move(order, ro.IN_PROGRESS, self.auth.username, now, reason="Clocked on.")
        order.technician_id = order.technician_id or technician_id
        order.started_at = order.started_at or now
        self.db.emit(REPAIR_STARTED, {
            "repair_order_id": order.id, "technician_id": order.technician_id, "started_at": now.isoformat(),
        }, site_id=order.site_id)

    def _open_entry(self, technician_id):
        return self.db.scalars(select(ClockEntry).where(
            ClockEntry.technician_id == technician_id, ClockEntry.ended_at.is_(None))).first()

    def _describe_job(self, entry):
        line = self.db.get(LabourLine, entry.labour_line_id)
        return f"line {line.operation_code} of repair order {entry.repair_order_id}"

    def _entry_view(self, entry, order, now):
        return ClockEntryView().dump({
            "id": entry.id, "repair_order_id": entry.repair_order_id, "labour_line_id": entry.labour_line_id,
            "technician_id": entry.technician_id, "phase": entry.phase, "started_at": entry.started_at,
            "ended_at": entry.ended_at, "end_reason": entry.end_reason,
            "hours": hours_between(entry.started_at, entry.ended_at or now), "order_status": order.status})



def _load_line(order, line, now):
    return {"repair_order_id": order.id, "line_id": line.id, "plate": order.plate, "order_status": order.status,
            "operation_code": line.operation_code, "description": line.description, "skill_code": line.skill_code,
            "bay_id": line.bay_id, "standard_hours": line.hours, "remaining_hours": line.remaining_standard_hours(now),
            "promised_at": order.promised_at}
