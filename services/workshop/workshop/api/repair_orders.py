"""The repair order's life: opened at check-in, the job, hold and cancel, waiting for parts, closed at delivery."""
from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import select

from contracts.quality import INSPECTION_FAILED, INSPECTION_PASSED
from contracts.reception import VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from contracts.parts import PART_RESERVED
from contracts.workshop import (
    REPAIR_COMPLETED, REPAIR_ORDER_CLOSED, REPAIR_ORDER_OPENED,
    REPAIR_ORDER_STATUS_CHANGED, REPAIR_STARTED,
    JobStart, LabourLineDone, Reason, PartLineDone, RepairOrderQuery,
    RepairOrderView,
)
from svckit.config import site_time_zone
from svckit.db import columns, utcnow
from svckit.errors import InvalidInput, NotFound
from svckit.events import consumes
from svckit.schemas import load
from workshop.rules import repair_order as ro
from workshop.rules.time import REWORK
from workshop.models import RepairOrder


class RepairOrderApi:
    # --- reading ---

    @rpc
    def get_repair_order(self, repair_order_id):
        return self._view(self._repair_order(repair_order_id))

    @rpc
    def list_repair_orders(self, payload):
        query = load(RepairOrderQuery, payload)
        statement = self.auth.restrict_to_sites(
            select(RepairOrder).order_by(RepairOrder.opened_at.desc()).limit(200), RepairOrder.site_id,
            query["site_id"])
        if query["visit_id"]:
            statement = statement.where(RepairOrder.visit_id == query["visit_id"])
        if query["status"]:
            statement = statement.where(RepairOrder.status == query["status"])
        return [self._view(order) for order in self.db.scalars(statement)]

    # --- opening and quoting ---

    @consumes(VEHICLE_CHECKED_IN)
    def open_repair_order(self, event):
        visit = event.payload
        order = self.db.add(RepairOrder(
            site_id=event.site_id, visit_id=visit["visit_id"], customer_id=visit["customer_id"],
            vehicle_id=visit["vehicle_id"], plate=visit["plate"], vin=visit["vin"], mileage_km=visit["mileage_km"],
            concern=visit["concern"], promised_at=visit["promised_at"],
            status=ro.OPENED, opened_at=utcnow()))
        order.record_status_change(None, ro.OPENED, f"reception:{visit['advisor']}", order.opened_at)
        self.db.flush()
        self.flag_if_comeback(order)
        self._announce(order, None, ro.OPENED, f"reception:{visit['advisor']}", order.opened_at)
        self.db.emit(REPAIR_ORDER_OPENED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "customer_id": order.customer_id,
            "vehicle_id": order.vehicle_id, "concern": order.concern, "promised_at": visit["promised_at"].isoformat(),
        }, site_id=order.site_id)

    # --- the job ---

    @rpc
    def start_job(self, repair_order_id, payload):
        self.auth.require_role("foreman", "technician")
        job = load(JobStart, payload)
        technician = self.training.get_staff(job["technician_id"])
        order = self._repair_order(repair_order_id)
        problem = technician_problem(technician, order.site_id)
        if problem:
            raise InvalidInput(problem, {"technician_id": [problem]})
        now = utcnow()
        self._move(order, ro.IN_PROGRESS, self.auth.username, now)
        order.technician_id = technician["staff_id"]
        order.started_at = order.started_at or now
        self.give_undispatched_lines(order, technician, now)  # certificates checked: workshop.api.dispatch
        self.db.emit(REPAIR_STARTED, {
            "repair_order_id": order.id, "technician_id": order.technician_id, "started_at": now.isoformat(),
        }, site_id=order.site_id)
        self.db.commit()
        return self._view(order)

    @rpc
    def complete_job(self, repair_order_id):
        """The technician is done: the car goes to quality for the final inspection."""
        self.auth.require_role("foreman", "technician")
        order = self._repair_order(repair_order_id)
        order.require_completable()
        now = utcnow()
        self._move(order, ro.COMPLETED, self.auth.username, now)
        order.completed_at = now
        self.db.emit(REPAIR_COMPLETED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "customer_id": order.customer_id,
            "vehicle_id": order.vehicle_id, "technician_id": order.technician_id, "concern": order.concern,
            "completed_at": now.isoformat(),
            "labour_lines": _approved_labour(order),
            "part_lines": [PartLineDone().dump({"line_id": line.id, **columns(line)})
                           for line in order.part_lines if line.approval == ro.LINE_APPROVED],
            "labour_total": str(order.labour_total), "parts_total": str(order.parts_total),
        }, site_id=order.site_id)
        self.db.commit()
        return self._view(order)

    # --- holding and cancelling ---

    @rpc
    def put_on_hold(self, repair_order_id, payload):
        self.auth.require_role("foreman", "service_advisor")
        reason = load(Reason, payload)["reason"]
        order = self._repair_order(repair_order_id)
        self._move(order, ro.ON_HOLD, self.auth.username, utcnow(), reason=reason)
        self.db.commit()
        return self._view(order)

    @rpc
    def resume(self, repair_order_id):
        self.auth.require_role("foreman", "service_advisor")
        order = self._repair_order(repair_order_id)
        self._move(order, order.status_before_hold(), self.auth.username, utcnow(), reason="Resumed")
        self._resume_if_parts_complete(order)  # parts may have come while it was on hold
        self.db.commit()
        return self._view(order)

    @rpc
    def cancel(self, repair_order_id, payload):
        """Cancel before completion, with a reason; the parts set aside for it go back to stock."""
        self.auth.require_role("service_advisor", "foreman")
        reason = load(Reason, payload)["reason"]
        order = self._repair_order(repair_order_id)
        self._move(order, ro.CANCELLED, self.auth.username, utcnow(), reason=reason)
        for line in order.part_lines:
            if line.reservation_id and line.reservation_status in ("reserved", "backordered"):
                self.parts.release_reservation(line.reservation_id)
                line.reservation_status = "released"
        self.db.commit()
        return self._view(order)

    # --- after the job ---

    @consumes(INSPECTION_PASSED)
    def mark_ready_for_delivery(self, event):
        order = self._repair_order(event.payload["repair_order_id"])
        self._move(order, ro.READY_FOR_DELIVERY, f"quality:{event.payload['inspector']}", utcnow())

    @consumes(INSPECTION_FAILED)
    def send_back_for_rework(self, event):
        order = self._repair_order(event.payload["repair_order_id"])
        failed = "; ".join(f"{item['item']}: {item['note']}" for item in event.payload["failed_items"])
        self.keep_failed_items(order, event.payload)
        self._move(order, ro.REWORK, f"quality:{event.payload['inspector']}", utcnow(), reason=failed)

    @consumes(VEHICLE_DELIVERED)
    def close_repair_order(self, event):
        order = self._repair_order(event.payload["repair_order_id"])
        now = utcnow()
        self._move(order, ro.DELIVERED, "reception", event.payload["delivered_at"])
        self._move(order, ro.CLOSED, "reception", now)
        order.closed_at = now
        self.db.emit(REPAIR_ORDER_CLOSED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "vehicle_id": order.vehicle_id,
            "closed_at": now.isoformat(), "labour_lines": _approved_labour(order),
            "labour_hours_sold": str(order.labour_hours_sold),
        }, site_id=order.site_id)

    # --- waiting for parts ---

    @consumes(PART_RESERVED)
    def take_parts_that_arrived(self, event):
        """A backordered part line got its stock: once every approved part is reserved, the job may start."""
        reservation = event.payload
        if reservation["repair_order_id"] is None:
            return
        order = self.db.get(RepairOrder, reservation["repair_order_id"])
        if order is None:
            return
        for line in order.part_lines:
            if line.reservation_id == reservation["reservation_id"]:
                line.reservation_status = "reserved"
        self._resume_if_parts_complete(order)

    @timer(interval=60)
    def check_orders_waiting_for_parts(self):
        self.recheck_waiting_for_parts()

    @rpc
    def recheck_waiting_for_parts(self):
        """Ask parts about every line still waiting: a safety net should a part_reserved ever be missed."""
        resumed = 0
        orders = self.db.scalars(select(RepairOrder).where(RepairOrder.status == ro.WAITING_FOR_PARTS)).all()
        for order in orders:
            for line in _waiting_lines(order):
                if line.reservation_id and self.parts.get_reservation(line.reservation_id)["status"] == "reserved":
                    line.reservation_status = "reserved"
            resumed += self._resume_if_parts_complete(order)
        self.db.commit()
        return resumed

    def _resume_if_parts_complete(self, order):
        if order.status == ro.WAITING_FOR_PARTS and not _waiting_lines(order):
            self._move(order, ro.APPROVED, "parts", utcnow(), reason="All approved parts are reserved.")
            return 1
        return 0

    # --- helpers ---

    def _move(self, order, status, by, at, reason=None):
        """Every change of state goes through here: recorded in the history and published."""
        from_status = order.status
        order.move_to(status, by, at, reason=reason)
        if from_status == ro.IN_PROGRESS:
            _stop_the_clocks(order, at, status)
        self._announce(order, from_status, status, by, at, reason)

    def _announce(self, order, from_status, status, by, at, reason=None):
        self.db.emit(REPAIR_ORDER_STATUS_CHANGED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "vehicle_id": order.vehicle_id,
            "from_status": from_status, "to_status": status, "by": by, "reason": reason,
            "at": at.isoformat(), "promised_at": order.promised_at.isoformat(),
        }, site_id=order.site_id)

    def _zone(self):
        """The sites' time zone: what "today" and "the day" mean for certificates, capacity and reports."""
        return site_time_zone(self.config)

    def _repair_order(self, repair_order_id):
        order = self.db.get(RepairOrder, str(repair_order_id))
        if order is None:
            raise NotFound(f"No repair order {repair_order_id}.", {"repair_order_id": ["Unknown repair order."]})
        self.auth.require_site(order.site_id)
        return order

    def _view(self, order):
        now = utcnow()
        return RepairOrderView().dump({
            **columns(order),
            "labour_lines": [{**columns(line), "amount": line.amount, "clocked_hours": line.clocked_hours_at(now),
                              "rework_hours": line.clocked_hours_at(now, REWORK)} for line in order.labour_lines],
            "part_lines": [{**columns(line), "amount": line.amount} for line in order.part_lines],
            "sublet_lines": [{**columns(line), "amount": line.amount} for line in order.sublet_lines],
            "history": [columns(change) for change in order.history],
            "rework_items": [columns(item) for item in order.rework_items],
            "labour_total": order.labour_total, "parts_total": order.parts_total, "total": order.total,
            "sublet_total": order.sublet_total, "totals_by_pay_type": order.totals_by_pay_type,
            "customer_total": order.customer_total, "findings": self._finding_views(order),
        })


def _stop_the_clocks(order, at, why):
    """Work stops when the order leaves in_progress (held, completed, cancelled): close open clock entries."""
    for line in order.labour_lines:
        for entry in line.clock_entries:
            if entry.ended_at is None:
                entry.ended_at, entry.end_reason = at, why


def _waiting_lines(order):
    return [line for line in order.part_lines
            if line.approval == ro.LINE_APPROVED and line.reservation_status != "reserved"]


def technician_problem(technician, site_id):
    """Why this staff member may not take a job at this site, or None."""
    if technician["role"] != "technician":
        return f"{technician['name']} is a {technician['role']}, not a technician."
    if not technician["active"]:
        return f"{technician['name']} is no longer active."
    if technician["site_id"] != site_id:
        return f"{technician['name']} works at site {technician['site_id']}, not {site_id}."
    return None


def _approved_labour(order):
    return [LabourLineDone().dump({"line_id": line.id, **columns(line)})
            for line in order.labour_lines if line.approval == ro.LINE_APPROVED]

