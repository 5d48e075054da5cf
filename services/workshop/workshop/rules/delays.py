"""Delay alerts (延误预警, manual 4.3): will a repair order miss its promised time, and why, before it does.

The forecast, in plain terms:
- the order's remaining work is split into streams, one per technician its labour lines are dispatched to
  (lines not yet dispatched form one stream of their own); a technician works his stream line after line;
- a stream begins when its technician has finished his work on other open orders promised earlier (his
  backlog) and every part still waited for has come, whichever is later, and lasts its remaining standard
  hours;
- the car is ready when the last stream ends plus a buffer for the final inspection and the wash.

The reasons (each a kind an alert is raised for once per promised time):
- labour: the longest stream alone, started now, does not fit before the promised time;
- parts: a part still waited for has no expected date, or comes too late for that work to fit after it;
- technician_overloaded: a technician's backlog plus his stream here does not fit.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from workshop.rules.repair_order import LINE_APPROVED

LABOUR, PARTS, TECHNICIAN_OVERLOADED = "labour", "parts", "technician_overloaded"
KINDS = (LABOUR, PARTS, TECHNICIAN_OVERLOADED)
DEFAULT_BUFFER = timedelta(minutes=30)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DelayReason:
    kind: str
    detail: str


@dataclass(frozen=True)
class WaitingPart:
    """A part an approved line still waits for; expected_at None when no delivery is expected."""
    part_number: str
    expected_at: datetime | None


@dataclass(frozen=True)
class DelayForecast:
    expected_ready_at: datetime | None  # None while a part has no expected date
    reasons: tuple

    @property
    def at_risk(self):
        return bool(self.reasons)


def duration(hours):
    return timedelta(seconds=float(Decimal(hours) * 3600))


def in_hours(span):
    return (Decimal(span.total_seconds()) / 3600).quantize(CENT)


def remaining_by_technician(labour_lines, now):
    """{technician id (None: not dispatched yet): remaining standard hours} of the approved labour lines."""
    streams = {}
    for line in labour_lines:
        if line.approval == LINE_APPROVED:
            streams[line.technician_id] = streams.get(line.technician_id, ZERO) + line.remaining_standard_hours(now)
    return streams


def forecast_delay(now, promised_at, remaining_by_technician, waiting_parts=(), backlog_by_technician=None,
                   buffer=DEFAULT_BUFFER):
    """The expected ready time of an order and the reasons it will miss `promised_at` (none when on time).

    remaining_by_technician: {technician id, or None for lines not dispatched yet: remaining standard hours}
    of the order's approved labour; backlog_by_technician: {technician id: remaining standard hours on other
    open orders promised earlier}.
    """
    streams = {tech: Decimal(hours) for tech, hours in remaining_by_technician.items() if hours > 0}
    backlog = {tech: Decimal(hours) for tech, hours in (backlog_by_technician or {}).items()}
    longest = max(streams.values(), default=ZERO)
    reasons = []

    if now + duration(longest) + buffer > promised_at:
        reasons.append(DelayReason(LABOUR, (
            f"{longest} h of approved work left, {_hours_left(now, promised_at)} until the promised time "
            f"({_minutes(buffer)} min of it kept for the final inspection and wash).")))

    for part in waiting_parts:
        if part.expected_at is None:
            reasons.append(DelayReason(PARTS, f"Part {part.part_number} is on backorder with no delivery expected."))
        elif part.expected_at + duration(longest) + buffer > promised_at:
            reasons.append(DelayReason(PARTS, (
                f"Part {part.part_number} is expected by {part.expected_at.isoformat()}, too late for "
                f"{longest} h of work and the final inspection before the promised time.")))

    for tech, hours in sorted(streams.items(), key=lambda item: str(item[0])):
        earlier = backlog.get(tech, ZERO) if tech is not None else ZERO
        if earlier > 0 and now + duration(earlier + hours) + buffer > promised_at:
            reasons.append(DelayReason(TECHNICIAN_OVERLOADED, (
                f"Technician {tech} has {earlier} h of work on orders promised earlier before his {hours} h "
                f"here, {_hours_left(now, promised_at)} until the promised time.")))

    return DelayForecast(_ready_at(now, streams, waiting_parts, backlog, buffer), _one_per_kind(reasons))


def _ready_at(now, streams, waiting_parts, backlog, buffer):
    if any(part.expected_at is None for part in waiting_parts):
        return None
    parts_ready = max([now, *(part.expected_at for part in waiting_parts)])
    ends = [max(now + duration(backlog.get(tech, ZERO) if tech is not None else ZERO), parts_ready) + duration(hours)
            for tech, hours in streams.items()]
    return max(ends, default=parts_ready) + buffer


def _one_per_kind(reasons):
    """Reasons of one kind (several late parts, several overloaded technicians) joined into one."""
    merged = {}
    for reason in reasons:
        merged.setdefault(reason.kind, []).append(reason.detail)
    return tuple(DelayReason(kind, " ".join(merged[kind])) for kind in KINDS if kind in merged)


def _hours_left(now, promised_at):
    return f"{in_hours(promised_at - now)} h"


def _minutes(span):
    return int(span.total_seconds() // 60)
