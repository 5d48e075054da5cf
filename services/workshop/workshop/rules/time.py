"""Clocked time: how long technicians worked on a line, split into first work and rework; efficiency."""
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

WORK, REWORK = "work", "rework"
HOUR = Decimal(3600)
HUNDREDTH, TENTH = Decimal("0.01"), Decimal("0.1")
ZERO = Decimal("0.00")


def hours_between(start, end):
    return (Decimal((end - start).total_seconds()) / HOUR).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def clocked_hours(entries, now, phase=None):
    """Hours of the entries (all, or of one phase); an entry still open counts up to now."""
    return sum((hours_between(entry.started_at, entry.ended_at or now)
                for entry in entries if phase is None or entry.phase == phase), ZERO)


def hours_within(entries, start, end, now):
    """Hours of the entries that fall between start and end (an open entry counts up to now)."""
    total = ZERO
    for entry in entries:
        begin, finish = max(entry.started_at, start), min(entry.ended_at or now, end)
        if finish > begin:
            total += hours_between(begin, finish)
    return total


def phase_for(history):
    """rework once the order has ever been sent back for rework: every later entry is timed as rework."""
    return REWORK if any(change.to_status == REWORK for change in history) else WORK


def local_day(moment, zone):
    return moment.astimezone(zone).date()


def day_start(day, zone):
    """The moment `day` begins in the site's time zone."""
    return datetime.combine(day, time.min, tzinfo=zone)


def day_span(first_day, last_day, zone):
    """[start, end) of the days first_day through last_day in the site's time zone."""
    return day_start(first_day, zone), day_start(last_day + timedelta(days=1), zone)


def technician_efficiency(lines, now):
    """Per technician, over the labour lines they finished: standard, clocked and rework hours and efficiency.

    A line's standard hours are split between the technicians who clocked on it by their share of its clocked
    hours; a line nobody clocked on goes whole to the technician it was dispatched to. efficiency =
    standard / clocked x 100, one decimal, half up (None when nothing was clocked). Rework counts as clocked:
    it is unpaid time that lowers efficiency.
    """
    figures = {}

    def of(technician_id):
        return figures.setdefault(technician_id, {"standard": Decimal(0), "clocked": ZERO, "rework": ZERO,
                                                  "lines": 0})

    for line in lines:
        clocked, rework = {}, {}
        for entry in line.clock_entries:
            hours = hours_between(entry.started_at, entry.ended_at or now)
            clocked[entry.technician_id] = clocked.get(entry.technician_id, ZERO) + hours
            if entry.phase == REWORK:
                rework[entry.technician_id] = rework.get(entry.technician_id, ZERO) + hours
        line_clocked = sum(clocked.values(), ZERO)
        if not line_clocked:
            if line.technician_id:
                of(line.technician_id)["standard"] += line.hours
                of(line.technician_id)["lines"] += 1
            continue
        for technician_id, hours in clocked.items():
            technician = of(technician_id)
            technician["standard"] += line.hours * hours / line_clocked
            technician["clocked"] += hours
            technician["rework"] += rework.get(technician_id, ZERO)
            technician["lines"] += 1
    return {technician_id: _rounded(f) for technician_id, f in figures.items()}


def _rounded(figures):
    standard = figures["standard"].quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    clocked = figures["clocked"]
    return {"standard_hours": standard, "clocked_hours": clocked, "rework_hours": figures["rework"],
            "lines": figures["lines"], "efficiency_percent": efficiency_percent(standard, clocked)}


def efficiency_percent(standard, clocked):
    """standard / clocked as a percentage with one decimal, half up; None when nothing was clocked."""
    if not clocked:
        return None
    return (standard * 100 / clocked).quantize(TENTH, rounding=ROUND_HALF_UP)
