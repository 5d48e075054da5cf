"""Clocked time: how long technicians worked on a line, split into first work and rework."""
from decimal import ROUND_HALF_UP, Decimal

WORK, REWORK = "work", "rework"
HOUR = Decimal(3600)


def hours_between(start, end):
    return (Decimal((end - start).total_seconds()) / HOUR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clocked_hours(entries, now, phase=None):
    """Hours of the entries (all, or of one phase); an entry still open counts up to now."""
    return sum((hours_between(entry.started_at, entry.ended_at or now)
                for entry in entries if phase is None or entry.phase == phase), Decimal("0.00"))
