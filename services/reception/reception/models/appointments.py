"""Appointments (预约): the booking, its requested services, its moves, and the lock row of a site's day."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.models.base import Base
from reception.rules.appointments import BOOKED
from svckit.db import UtcDateTime, new_id, utcnow

Hours = Numeric(6, 2)


class Appointment(Base):
    """A customer's booking of a slot at the desk and of hours of the workshop's day (site-local `day`)."""
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_site_id_day", "site_id", "day"),
        Index("ix_appointments_status_slot_start", "status", "slot_start"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(36))
    vehicle_id: Mapped[str] = mapped_column(String(36), index=True)
    plate: Mapped[str] = mapped_column(String(16))
    slot_start = mapped_column(UtcDateTime(), nullable=False)
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)
    preferred_advisor: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(String(2000), default="")
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=BOOKED)
    booked_by: Mapped[str] = mapped_column(String(100))
    booked_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at = mapped_column(UtcDateTime(), nullable=True)
    no_show_at = mapped_column(UtcDateTime(), nullable=True)
    visit_id: Mapped[str | None] = mapped_column(String(36))
    arrived_at = mapped_column(UtcDateTime(), nullable=True)
    reminder_sent_at = mapped_column(UtcDateTime(), nullable=True)

    services: Mapped[list["AppointmentService"]] = relationship(
        order_by="AppointmentService.position", cascade="all, delete-orphan", lazy="selectin")
    moves: Mapped[list["AppointmentMove"]] = relationship(
        order_by="AppointmentMove.moved_at", cascade="all, delete-orphan", lazy="selectin")


class AppointmentService(Base):
    """One piece of work the customer asked for, with the hours it books."""
    __tablename__ = "appointment_services"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointments.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    operation_code: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(500))
    hours: Mapped[Decimal] = mapped_column(Hours)


class AppointmentMove(Base):
    """The appointment was moved from one slot to another: the history of a booking."""
    __tablename__ = "appointment_moves"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointments.id"), index=True)
    from_slot_start = mapped_column(UtcDateTime(), nullable=False)
    to_slot_start = mapped_column(UtcDateTime(), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), default="")
    moved_by: Mapped[str] = mapped_column(String(100))
    moved_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class BookingDayLock(Base):
    """One row per site and day, locked (SELECT ... FOR UPDATE) while a booking of that day is decided,
    so two advisors booking the last place at once queue up and only one gets it."""
    __tablename__ = "appointment_days"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
