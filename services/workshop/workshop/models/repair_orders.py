"""The repair order, its lines and its history; the rules live in workshop.rules.repair_order."""
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from svckit.db import UtcDateTime, new_id, utcnow
from workshop.models.base import Base
from workshop.rules.repair_order import CUSTOMER, PENDING, LabourLineRules, PartLineRules, RepairOrderRules


class RepairOrder(RepairOrderRules, Base):
    __tablename__ = "repair_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    visit_id: Mapped[str] = mapped_column(String(36), unique=True)
    customer_id: Mapped[str] = mapped_column(String(36))
    vehicle_id: Mapped[str] = mapped_column(String(36), index=True)
    plate: Mapped[str] = mapped_column(String(10), server_default="")
    vin: Mapped[str] = mapped_column(String(17), server_default="")
    mileage_km: Mapped[int] = mapped_column(Integer, server_default="0")
    concern: Mapped[str] = mapped_column(Text)
    promised_at = mapped_column(UtcDateTime(), nullable=False)
    status: Mapped[str] = mapped_column(String(30), index=True)
    technician_id: Mapped[str | None] = mapped_column(String(36))
    comeback_of: Mapped[str | None] = mapped_column(String(36))
    opened_at = mapped_column(UtcDateTime(), default=utcnow)
    started_at = mapped_column(UtcDateTime(), nullable=True)
    completed_at = mapped_column(UtcDateTime(), nullable=True)
    closed_at = mapped_column(UtcDateTime(), nullable=True)

    labour_lines = relationship("LabourLine", order_by="LabourLine.position", lazy="selectin",
                                cascade="all, delete-orphan")
    part_lines = relationship("PartLine", order_by="PartLine.position", lazy="selectin",
                              cascade="all, delete-orphan")
    sublet_lines = relationship("SubletLine", order_by="SubletLine.position", lazy="selectin",
                                cascade="all, delete-orphan")
    history = relationship("StatusChange", order_by="StatusChange.position", lazy="selectin",
                           cascade="all, delete-orphan")

    def record_status_change(self, from_status, to_status, by, at, reason=None):
        self.history.append(StatusChange(from_status=from_status, to_status=to_status, by=by, at=at,
                                         reason=reason, position=len(self.history)))


class LabourLine(LabourLineRules, Base):
    __tablename__ = "labour_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    position: Mapped[int]
    operation_code: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    rate: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    approval: Mapped[str] = mapped_column(String(10), default=PENDING)
    pay_type: Mapped[str] = mapped_column(String(10), default=CUSTOMER, server_default=CUSTOMER)
    skill_code: Mapped[str | None] = mapped_column(String(40))
    technician_id: Mapped[str | None] = mapped_column(String(36))
    bay_id: Mapped[str | None] = mapped_column(String(36))
    clock_entries = relationship("ClockEntry", order_by="ClockEntry.started_at", lazy="selectin")


class PartLine(PartLineRules, Base):
    __tablename__ = "part_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    position: Mapped[int]
    part_number: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    approval: Mapped[str] = mapped_column(String(10), default=PENDING)
    pay_type: Mapped[str] = mapped_column(String(10), default=CUSTOMER, server_default=CUSTOMER)
    reservation_id: Mapped[str | None] = mapped_column(String(36))
    reservation_status: Mapped[str | None] = mapped_column(String(20))


class StatusChange(Base):
    """Who moved a repair order from which state to which, and when."""
    __tablename__ = "status_changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    position: Mapped[int]
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at = mapped_column(UtcDateTime(), nullable=False)
    by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
