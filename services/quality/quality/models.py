"""Quality's own tables: an inspection per handover from the workshop, with its checklist."""
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quality.checklist import PENDING
from svckit.db import UtcDateTime, new_id, service_metadata, utcnow


class Base(DeclarativeBase):
    metadata = service_metadata()


class Inspection(Base):
    """The final inspection of one completed repair: pending until recorded, then passed or failed.

    A repair order that failed comes back after rework as a new inspection; at most one
    inspection per repair order is pending at a time.
    """
    __tablename__ = "inspections"
    __table_args__ = (
        Index("uq_inspections_pending_repair_order", "repair_order_id", unique=True,
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    repair_order_id: Mapped[str] = mapped_column(String(36), index=True)
    visit_id: Mapped[str] = mapped_column(String(36))
    vehicle_id: Mapped[str] = mapped_column(String(36))
    technician_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    remarks: Mapped[str] = mapped_column(Text, default="")
    inspector: Mapped[str | None] = mapped_column(String(100))
    inspected_at = mapped_column(UtcDateTime(), nullable=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)

    checklist: Mapped[list["ChecklistItem"]] = relationship(
        order_by="ChecklistItem.position", cascade="all, delete-orphan", lazy="selectin")


class ChecklistItem(Base):
    """One point of an inspection's checklist; passed is None until the inspection is recorded."""
    __tablename__ = "inspection_items"
    __table_args__ = (UniqueConstraint("inspection_id", "item"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(100))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
