"""Facilities rules, free of any database: when equipment and bays are in service, due dates, capacity, files.

Availability is asked for a period [start, end): a moment is the period of one microsecond starting at it, a
day is the site's opening hours that day. Equipment is out of service during the period if at any time in it:
  - an out-of-service fault of it is open (reported before the end, not repaired before the start);
  - a maintenance window of it (not cancelled) overlaps the period;
  - it needs calibration and a day of the period (in the site's time zone) is after its calibration due date.
A bay is out if it is inactive or any equipment standing in it is out.
"""
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from workshop.rules import repair_order as ro

BAY_INACTIVE, FAULT, MAINTENANCE, CALIBRATION_EXPIRED = "bay_inactive", "fault", "maintenance", "calibration_expired"
COMMITTING_APPROVALS = (ro.LINE_APPROVED, ro.PENDING)  # declined lines are only recommendations
HOURS = Decimal("0.01")
MOMENT = timedelta(microseconds=1)



# --- periods ---

def moment(at):
    """The period of a single moment."""
    return at, at + MOMENT


def working_day(day, zone, opens=time(8), closes=time(18)):
    """The site's opening hours on `day`, as aware datetimes: a bay out at any time in them is out that day."""
    return datetime.combine(day, opens, tzinfo=zone), datetime.combine(day, closes, tzinfo=zone)


def clock(value):
    """A time of day from an hour (8, 17.5) or "08:00"; the config gives hours, YAML reads 18:00 as a number."""
    if isinstance(value, str) and ":" in value:
        hours, _, minutes = value.partition(":")
        return time(int(hours), int(minutes))
    minutes = round(float(value) * 60)
    return time(minutes // 60, minutes % 60)


# --- availability ---

def out_of_service_reasons(equipment, start, end, zone):
    """Why `equipment` (with .faults and .maintenance_windows) is out of service in [start, end); [] if it is not."""
    reasons = []
    for fault in equipment.faults:
        if fault.out_of_service and fault.reported_at < end and (fault.repaired_at is None or fault.repaired_at > start):
            reasons.append(_reason(FAULT, equipment, f"Fault reported {_local(fault.reported_at, zone)}: "
                                                     f"{fault.description}", fault.repaired_at))
    for window in equipment.maintenance_windows:
        if window.cancelled_at is None and window.starts_at < end and window.ends_at > start:
            reasons.append(_reason(MAINTENANCE, equipment, f"Maintenance {_local(window.starts_at, zone)} to "
                                                           f"{_local(window.ends_at, zone)}: {window.reason}",
                                   window.ends_at))
    if equipment.calibration_required:
        last_day = (end - MOMENT).astimezone(zone).date()
        due = equipment.calibration_due_on
        if due is None:
            reasons.append(_reason(CALIBRATION_EXPIRED, equipment, "Never calibrated.", None))
        elif last_day > due:
            reasons.append(_reason(CALIBRATION_EXPIRED, equipment, f"Calibration expired after {due.isoformat()}.",
                                   None))
    return reasons


def bay_out_of_service_reasons(bay, equipment_in_bay, start, end, zone):
    """Why `bay` is out of service in [start, end): inactive, or some equipment standing in it is out."""
    reasons = []
    if not bay.active:
        reasons.append({"reason": BAY_INACTIVE, "detail": f"Bay {bay.code} is no longer in use.",
                        "equipment_id": None, "until": None})
    for equipment in equipment_in_bay:
        reasons.extend(out_of_service_reasons(equipment, start, end, zone))
    return reasons


def availability(reasons):
    return {"in_service": not reasons, "reasons": reasons}


def describe(reasons):
    """One sentence for an error message."""
    return "; ".join(reason["detail"] for reason in reasons)


def _reason(code, equipment, detail, until):
    return {"reason": code, "detail": f"{_label(equipment)}: {detail}", "equipment_id": equipment.id,
            "until": until}


def _label(equipment):
    return f"{equipment.kind.replace('_', ' ')} {equipment.asset_number}"


def _local(at, zone):
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


# --- due dates ---

def next_maintenance_due(done_on, interval_days):
    return done_on + timedelta(days=interval_days)


def alert_due(due_on, alerted_for, today, days_ahead):
    """Whether to raise a due alert now: due within `days_ahead` days (or overdue) and not yet raised for this date."""
    return due_on is not None and (due_on - today).days <= days_ahead and alerted_for != due_on


# --- capacity ---

def committed_hours(orders, day, zone, now):
    """Standard hours still to do on the open orders promised on `day` (approved or pending labour lines)."""
    total = Decimal("0.00")
    for order in orders:
        if order.status in ro.OPEN_STATES and order.promised_at.astimezone(zone).date() == day:
            total += sum((line.remaining_standard_hours(now) for line in order.labour_lines
                          if line.approval in COMMITTING_APPROVALS), Decimal("0.00"))
    return total.quantize(HOURS, rounding=ROUND_HALF_UP)


def capacity(bays_in_service, technicians_available, hours_per_day, committed):
    """capacity = min(bays in service, technicians) × hours per day; free = max(capacity − committed, 0)."""
    capacity_hours = (min(bays_in_service, technicians_available) * Decimal(hours_per_day)).quantize(
        HOURS, rounding=ROUND_HALF_UP)
    committed = Decimal(committed).quantize(HOURS, rounding=ROUND_HALF_UP)
    return {"capacity_hours": capacity_hours, "committed_hours": committed,
            "free_hours": max(capacity_hours - committed, Decimal("0.00"))}
