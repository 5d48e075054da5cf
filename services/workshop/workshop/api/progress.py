"""Progress (进度管理, manual 2.2 and 4.3): the board of every open order, delay alerts raised before the promised
time passes, re-promised times, the failed items of a rework, and comebacks (返修) with their rate.

The forecast behind the board and the alerts is workshop.rules.delays; what counts as the same concern is
workshop.rules.progress.
"""
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from nameko.rpc import rpc
from nameko.timer import Timer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from contracts.workshop import (
    COMEBACK_FLAGGED, COMEBACK_UNFLAGGED, PROMISED_TIME_CHANGED, REPAIR_ORDER_DELAY_RISK, BoardEntry, BoardQuery,
    ComebackClear, ComebackFlag, ComebackReport, ComebackReportQuery, DelayAlertQuery, DelayAlertView,
    NewPromisedTime,
)
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound, ServiceTimeout, ServiceUnavailable
from svckit.schemas import load
from workshop.models import Bay, RepairOrder
from workshop.models.progress import ComebackDecision, DelayAlert, PromisedTimeChange, ReworkItem
from workshop.rules import delays
from workshop.rules import progress as board
from workshop.rules import repair_order as ro
from workshop.rules.time import REWORK, WORK

DEFAULT_DELAY_CHECK_SECONDS = 60
DEFAULT_DELAY_BUFFER_MINUTES = 30  # the final inspection and the wash, after the last labour
FORECAST_STATES = (ro.APPROVED, ro.WAITING_FOR_PARTS, ro.IN_PROGRESS, ro.ON_HOLD)  # approved, not yet completed
DELIVERED_STATES = (ro.DELIVERED, ro.CLOSED)
WORKSHOP = "workshop"


class ConfiguredTimer(Timer):
    """A timer whose interval (seconds) is the config value `setting`, read at setup; `default` without one."""

    def __init__(self, setting, default, **kwargs):
        super().__init__(interval=default, **kwargs)
        self.setting = setting

    def setup(self):
        self.interval = float(self.container.config.get(self.setting, self.interval))


class ProgressApi:
    # --- the board (进度看板) ---

    @rpc
    def progress_board(self, payload):
        """Every open order of the site(s), by promised time: who, where, how far, what it waits for, at risk."""
        query = load(BoardQuery, payload)
        now = utcnow()
        orders = self.db.scalars(self.auth.restrict_to_sites(
            select(RepairOrder).where(RepairOrder.status.in_(ro.OPEN_STATES))
            .order_by(RepairOrder.promised_at, RepairOrder.opened_at), RepairOrder.site_id, query["site_id"])).all()
        remaining = _remaining_work(orders, now)
        bay_ids = {line.bay_id for order in orders for line in order.labour_lines if line.bay_id}
        bay_codes = dict(self.db.execute(select(Bay.id, Bay.code).where(Bay.id.in_(bay_ids)))) if bay_ids else {}
        return [self._board_entry(order, now, orders, remaining, bay_codes) for order in orders]

    def _board_entry(self, order, now, orders, remaining, bay_codes):
        approved = [line for line in order.labour_lines if line.approval == ro.LINE_APPROVED]
        standard = sum((line.hours for line in approved), Decimal("0.00"))
        clocked = sum((line.clocked_hours_at(now, WORK) for line in approved), Decimal("0.00"))
        waiting = self._waiting_parts(order) if _waiting_part_lines(order) else []
        forecast = delays.DelayForecast(None, ())
        if order.status in FORECAST_STATES and (remaining[order.id] or waiting):
            forecast = delays.forecast_delay(now, order.promised_at, remaining[order.id], waiting or (),
                                             _backlog(order, orders, remaining), self._delay_buffer())
        known_parts = waiting if waiting is not None else [
            delays.WaitingPart(line.part_number, None) for line in _waiting_part_lines(order)]
        return BoardEntry().dump({
            **columns(order), "repair_order_id": order.id,
            "technicians": sorted({line.technician_id for line in approved if line.technician_id}),
            "bays": [{"bay_id": bay_id, "code": bay_codes.get(bay_id)}
                     for bay_id in sorted({line.bay_id for line in approved if line.bay_id})],
            "minutes_left": board.minutes_left(now, order.promised_at),
            "standard_hours": standard, "clocked_hours": clocked,
            "rework_hours": sum((line.clocked_hours_at(now, REWORK) for line in approved), Decimal("0.00")),
            "progress_percent": board.progress_percent(clocked, standard),
            "waiting_reason": board.waiting_reason(
                order.status, waiting_parts=[(part.part_number, part.expected_at) for part in known_parts],
                hold_reason=_hold_reason(order),
                pending_lines=sum(1 for line in order.lines() if line.approval == ro.PENDING),
                rework_items=[(item.item, item.note) for item in _latest_failed_items(order)]),
            "rework_items": [columns(item) for item in order.rework_items],
            "delay_risk": {"at_risk": forecast.at_risk, "expected_ready_at": forecast.expected_ready_at,
                           "reasons": [vars(reason) for reason in forecast.reasons]},
        })

    # --- delay alerts (延误预警) ---

    @ConfiguredTimer.decorator("DELAY_CHECK_SECONDS", DEFAULT_DELAY_CHECK_SECONDS)
    def watch_for_delays(self):
        self.check_delays()

    @rpc
    def check_delays(self):
        """One pass: raise repair_order_delay_risk for every approved, not yet completed order expected to miss its
        promised time, while that time is still ahead; once per order, reason kind and promised time."""
        self.auth.require_role("foreman", "service_advisor", "site_manager")
        now = utcnow()
        orders = self.db.scalars(self.auth.restrict_to_sites(
            select(RepairOrder).where(RepairOrder.status.in_(FORECAST_STATES)), RepairOrder.site_id)).all()
        remaining = _remaining_work(orders, now)
        raised = []
        for order in orders:
            if order.promised_at <= now or not (remaining[order.id] or _waiting_part_lines(order)):
                continue
            waiting = self._waiting_parts(order) if _waiting_part_lines(order) else []
            if waiting is None:
                continue  # parts did not answer: better no alert than a wrong one; the next pass asks again
            forecast = delays.forecast_delay(now, order.promised_at, remaining[order.id], waiting,
                                             _backlog(order, orders, remaining), self._delay_buffer())
            raised.extend(self._raise_delay_alert(order, forecast, now))
        self.db.commit()
        return [DelayAlertView().dump(columns(alert)) for alert in raised]

    def _raise_delay_alert(self, order, forecast, now):
        already = set(self.db.scalars(select(DelayAlert.kind).where(
            DelayAlert.repair_order_id == order.id, DelayAlert.promised_at == order.promised_at)))
        new = [reason for reason in forecast.reasons if reason.kind not in already]
        if not new:
            return []
        savepoint = self.db.session.begin_nested()  # another replica may raise the same alert at the same moment
        try:
            alerts = [self.db.add(DelayAlert(
                site_id=order.site_id, repair_order_id=order.id, kind=reason.kind, detail=reason.detail,
                promised_at=order.promised_at, expected_ready_at=forecast.expected_ready_at, raised_at=now))
                for reason in new]
            self.db.flush()
            self.db.emit(REPAIR_ORDER_DELAY_RISK, {
                "repair_order_id": order.id, "visit_id": order.visit_id, "vehicle_id": order.vehicle_id,
                "plate": order.plate, "promised_at": order.promised_at.isoformat(),
                "expected_ready_at": forecast.expected_ready_at.isoformat() if forecast.expected_ready_at else None,
                "reasons": [vars(reason) for reason in new],
            }, site_id=order.site_id)
            savepoint.commit()
            return alerts
        except IntegrityError:
            savepoint.rollback()
            return []

    @rpc
    def list_delay_alerts(self, payload):
        query = load(DelayAlertQuery, payload)
        statement = self.auth.restrict_to_sites(
            select(DelayAlert).order_by(DelayAlert.raised_at.desc()).limit(500), DelayAlert.site_id, query["site_id"])
        if query["repair_order_id"]:
            statement = statement.where(DelayAlert.repair_order_id == query["repair_order_id"])
        return [DelayAlertView().dump(columns(alert)) for alert in self.db.scalars(statement)]

    @rpc
    def change_promised_time(self, repair_order_id, payload):
        """The advisor promises the car for another time, with the reason (crm tells the customer)."""
        self.auth.require_role("service_advisor")
        data = load(NewPromisedTime, payload)
        promised_at = data["promised_at"].astimezone(timezone.utc)
        order = self._repair_order(repair_order_id)
        now = utcnow()
        if order.status not in ro.OPEN_STATES or order.status == ro.READY_FOR_DELIVERY:
            raise Conflict(f"The repair order is {order.status}; its promised time can no longer change.",
                           {"status": [f"Is {order.status}."]})
        if promised_at <= now:
            raise InvalidInput("The new promised time must be ahead.",
                               {"promised_at": [f"Must be after now ({now.isoformat()})."]})
        if promised_at == order.promised_at:
            raise InvalidInput("That is the promised time already.", {"promised_at": ["Same as the current one."]})
        self.db.add(PromisedTimeChange(repair_order_id=order.id, from_promised_at=order.promised_at,
                                       to_promised_at=promised_at, reason=data["reason"], by=self.auth.username,
                                       at=now))
        self.db.emit(PROMISED_TIME_CHANGED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "customer_id": order.customer_id,
            "vehicle_id": order.vehicle_id, "plate": order.plate,
            "previous_promised_at": order.promised_at.isoformat(), "promised_at": promised_at.isoformat(),
            "reason": data["reason"], "by": self.auth.username, "at": now.isoformat(),
        }, site_id=order.site_id)
        order.promised_at = promised_at
        self.db.commit()
        return self._view(order)

    def _waiting_parts(self, order):
        """The parts the order's approved lines still wait for, with when parts expects them; None when parts
        cannot say right now."""
        waiting = []
        for line in _waiting_part_lines(order):
            expected_at = None
            if line.reservation_id:
                try:
                    answer = self.parts.get_reservation(line.reservation_id)
                except (ServiceUnavailable, ServiceTimeout, NotFound):
                    return None
                if answer.get("expected_at"):
                    expected_at = datetime.fromisoformat(answer["expected_at"]).astimezone(timezone.utc)
            waiting.append(delays.WaitingPart(line.part_number, expected_at))
        return waiting

    def _delay_buffer(self):
        return timedelta(minutes=float(self.config.get("DELAY_BUFFER_MINUTES", DEFAULT_DELAY_BUFFER_MINUTES)))

    # --- rework (返修) ---

    def keep_failed_items(self, order, inspection):
        """The items of a failed final inspection, kept on the order with the inspector and the time."""
        first = len(order.rework_items)
        for offset, failed in enumerate(inspection["failed_items"]):
            order.rework_items.append(ReworkItem(
                inspection_id=str(inspection["inspection_id"]), position=first + offset, item=failed["item"],
                note=failed["note"], inspector=inspection["inspector"], failed_at=inspection["inspected_at"]))

    # --- comebacks (返修/返工 within 30 days) ---

    def flag_if_comeback(self, order):
        """At opening: an order repeating the concern of an order of the same vehicle delivered within the window
        is a comeback of it."""
        window = timedelta(days=float(self.config.get("COMEBACK_WINDOW_DAYS", board.COMEBACK_WINDOW.days)))
        earlier_orders = {past.id: past for past in self.db.scalars(select(RepairOrder).where(
            RepairOrder.vehicle_id == order.vehicle_id, RepairOrder.id != order.id,
            RepairOrder.status.in_(DELIVERED_STATES)))}
        repeated = board.repeated_order(order.concern, order.opened_at, [
            board.PastOrder(past.id, past.concern, _delivered_at(past)) for past in earlier_orders.values()], window)
        if repeated:
            similarity = board.concern_similarity(order.concern, repeated.concern)
            self._flag_comeback(order, earlier_orders[repeated.repair_order_id],
                                WORKSHOP, order.opened_at,
                                f"Same concern as the order delivered {repeated.delivered_at:%Y-%m-%d} "
                                f"(similarity {similarity:.2f}).")

    @rpc
    def flag_comeback(self, repair_order_id, payload):
        """A foreman judges the order a comeback of an earlier, delivered order of the same vehicle."""
        self.auth.require_role("foreman")
        data = load(ComebackFlag, payload)
        order = self._repair_order(repair_order_id)
        earlier = self.db.get(RepairOrder, str(data["comeback_of"]))
        if earlier is None:
            raise NotFound(f"No repair order {data['comeback_of']}.", {"comeback_of": ["Unknown repair order."]})
        problem = _comeback_problem(order, earlier)
        if problem:
            raise InvalidInput(problem, {"comeback_of": [problem]})
        self._flag_comeback(order, earlier, self.auth.username, utcnow(), data["reason"])
        self.db.commit()
        return self._view(order)

    @rpc
    def clear_comeback(self, repair_order_id, payload):
        self.auth.require_role("foreman")
        reason = load(ComebackClear, payload)["reason"]
        order = self._repair_order(repair_order_id)
        if order.comeback_of is None:
            raise Conflict("The repair order is not flagged as a comeback.", {"comeback_of": ["Not flagged."]})
        was_comeback_of, now = order.comeback_of, utcnow()
        order.comeback_of = None
        self.db.add(ComebackDecision(repair_order_id=order.id, flagged=False, comeback_of=was_comeback_of,
                                     by=self.auth.username, at=now, reason=reason))
        self.db.emit(COMEBACK_UNFLAGGED, {
            "repair_order_id": order.id, "vehicle_id": order.vehicle_id, "was_comeback_of": was_comeback_of,
            "by": self.auth.username, "reason": reason}, site_id=order.site_id)
        self.db.commit()
        return self._view(order)

    @rpc
    def comeback_report(self, payload):
        """Comebacks opened in the period, orders closed in it, and the comeback rate (first-time-fix = 100 - it)."""
        query = load(ComebackReportQuery, payload)
        zone = self._zone()
        start = datetime.combine(query["from_"], time.min, tzinfo=zone)
        end = datetime.combine(query["to"] + timedelta(days=1), time.min, tzinfo=zone)
        comebacks = self.db.scalars(self.auth.restrict_to_sites(
            select(RepairOrder).where(RepairOrder.comeback_of.is_not(None), RepairOrder.opened_at >= start,
                                      RepairOrder.opened_at < end).order_by(RepairOrder.opened_at),
            RepairOrder.site_id, query["site_id"])).all()
        closed = self.db.execute(self.auth.restrict_to_sites(
            select(func.count()).select_from(RepairOrder).where(RepairOrder.closed_at >= start,
                                                                RepairOrder.closed_at < end),
            RepairOrder.site_id, query["site_id"])).scalar_one()
        earlier = {past.id: past for past in self.db.scalars(
            select(RepairOrder).where(RepairOrder.id.in_({order.comeback_of for order in comebacks})))}
        decisions = self._latest_flags([order.id for order in comebacks])
        rate = board.percentage(len(comebacks), closed)
        return ComebackReport().dump({
            "site_id": query["site_id"], "from_": query["from_"], "to": query["to"],
            "comebacks": [{
                **columns(order), "repair_order_id": order.id,
                "earlier_concern": earlier[order.comeback_of].concern if order.comeback_of in earlier else None,
                "flagged_by": decisions[order.id].by if order.id in decisions else WORKSHOP,
                "reason": decisions[order.id].reason if order.id in decisions else "",
            } for order in comebacks],
            "comeback_count": len(comebacks), "orders_closed": closed, "comeback_rate_percent": rate,
            "first_time_fix_rate_percent": None if rate is None else Decimal("100.00") - rate,
        })

    def _flag_comeback(self, order, earlier, by, at, reason):
        order.comeback_of = earlier.id
        self.db.add(ComebackDecision(repair_order_id=order.id, flagged=True, comeback_of=earlier.id, by=by, at=at,
                                     reason=reason))
        self.db.emit(COMEBACK_FLAGGED, {
            "repair_order_id": order.id, "visit_id": order.visit_id, "customer_id": order.customer_id,
            "vehicle_id": order.vehicle_id, "comeback_of": earlier.id, "concern": order.concern,
            "earlier_concern": earlier.concern, "by": by, "reason": reason}, site_id=order.site_id)

    def _latest_flags(self, repair_order_ids):
        latest = {}
        if repair_order_ids:
            for decision in self.db.scalars(select(ComebackDecision).where(
                    ComebackDecision.repair_order_id.in_(repair_order_ids), ComebackDecision.flagged.is_(True))
                    .order_by(ComebackDecision.at)):
                latest[decision.repair_order_id] = decision
        return latest


def _waiting_part_lines(order):
    return [line for line in order.part_lines
            if line.approval == ro.LINE_APPROVED and line.reservation_status != "reserved"]


def _remaining_work(orders, now):
    """{order id: {technician: remaining standard hours}} for orders whose approved work is still to be done."""
    return {order.id: delays.remaining_by_technician(order.labour_lines, now) if order.status in FORECAST_STATES
            else {} for order in orders}


def _backlog(order, orders, remaining):
    """Remaining hours of this order's technicians on the site's other open orders promised earlier."""
    technicians = {tech for tech in remaining[order.id] if tech}
    backlog = defaultdict(lambda: Decimal("0.00"))
    for other in orders:
        if other.id != order.id and other.site_id == order.site_id and other.promised_at < order.promised_at:
            for tech, hours in remaining[other.id].items():
                if tech in technicians:
                    backlog[tech] += hours
    return dict(backlog)


def _hold_reason(order):
    holds = [change for change in order.history if change.to_status == ro.ON_HOLD]
    return holds[-1].reason if holds else None


def _latest_failed_items(order):
    if not order.rework_items:
        return []
    latest = order.rework_items[-1].inspection_id
    return [item for item in order.rework_items if item.inspection_id == latest]


def _delivered_at(order):
    delivered = [change.at for change in order.history if change.to_status == ro.DELIVERED]
    return delivered[-1] if delivered else order.closed_at


def _comeback_problem(order, earlier):
    """Why `earlier` cannot be the order `order` comes back from, or None."""
    if earlier.id == order.id:
        return "An order cannot be a comeback of itself."
    if earlier.vehicle_id != order.vehicle_id:
        return "That order is for another vehicle."
    if earlier.status not in DELIVERED_STATES:
        return f"That order is {earlier.status}, not delivered yet."
    if _delivered_at(earlier) > order.opened_at:
        return "That order was delivered after this one was opened."
    return None
