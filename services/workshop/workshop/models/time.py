"""Technicians' time on labour lines: the source of efficiency and productivity."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from svckit.db import UtcDateTime, new_id
from workshop.models.base import Base


class ClockEntry(Base):
    """One stretch of a technician's work on one labour line; open while ended_at is empty.

    phase is "work", or "rework" when clocked while the order was being reworked after a failed inspection.
    """
    __tablename__ = "clock_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    labour_line_id: Mapped[str] = mapped_column(ForeignKey("labour_lines.id"), index=True)
    technician_id: Mapped[str] = mapped_column(String(36), index=True)
    phase: Mapped[str] = mapped_column(String(10))
    started_at = mapped_column(UtcDateTime(), nullable=False)
    ended_at = mapped_column(UtcDateTime(), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(20))
