"""workshop dispatch: the clock entries (workshop.models.time) and labour lines carry its data.

The database keeps the rule that a technician has at most one open clock entry, so two clock-ons at the same
moment cannot both win.
"""
from sqlalchemy import Index

from workshop.models.time import ClockEntry

ONE_OPEN_ENTRY_PER_TECHNICIAN = Index(
    "uq_clock_entries_open_technician_id", ClockEntry.technician_id, unique=True,
    postgresql_where=ClockEntry.ended_at.is_(None), sqlite_where=ClockEntry.ended_at.is_(None))
