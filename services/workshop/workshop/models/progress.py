"""Progress tables: failed inspection items (rework), raised delay alerts, re-promised times and comeback
decisions. The rules live in workshop.rules.progress and workshop.rules.delays."""
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from svckit.db import UtcDateTime, new_id, utcnow
from workshop.models.base import Base
from workshop.models.repair_orders import RepairOrder


class ReworkItem(Base):
    """One item of a failed final inspection that sent the order back for rework (返修)."""
    __tablename__ = "rework_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    inspection_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(Integer)  # across all the order's failed inspections, in order
    item: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text)
    inspector: Mapped[str] = mapped_column(String(100))
    failed_at = mapped_column(UtcDateTime(), nullable=False)

    # Declared from this side so the repair order's own module need not know about rework: order.rework_items.
    repair_order = relationship(RepairOrder, backref=backref(
        "rework_items", order_by="ReworkItem.position", lazy="selectin"))


class DelayAlert(Base):
    """A delay risk raised for an order: once per order, reason kind and promised time."""
    __tablename__ = "delay_alerts"
    __table_args__ = (UniqueConstraint("repair_order_id", "kind", "promised_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text)
    promised_at = mapped_column(UtcDateTime(), nullable=False)
    expected_ready_at = mapped_column(UtcDateTime(), nullable=True)
    raised_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class PromisedTimeChange(Base):
    """The advisor promised the car for another time, and why."""
    __tablename__ = "promised_time_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    from_promised_at = mapped_column(UtcDateTime(), nullable=False)
    to_promised_at = mapped_column(UtcDateTime(), nullable=False)
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(100))
    at = mapped_column(UtcDateTime(), nullable=False)


class ComebackDecision(Base):
    """An order flagged as a comeback of an earlier one (at opening, or by a foreman), or unflagged."""
    __tablename__ = "comeback_decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    flagged: Mapped[bool] = mapped_column(Boolean)
    comeback_of: Mapped[str | None] = mapped_column(String(36))
    by: Mapped[str] = mapped_column(String(100))
    at = mapped_column(UtcDateTime(), nullable=False)
    reason: Mapped[str] = mapped_column(Text)
