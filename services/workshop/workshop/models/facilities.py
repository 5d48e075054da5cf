"""Bays of the workshop floor and the equipment in them (manual ch. 9); the rules live in workshop.rules.facilities."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from svckit.db import UtcDateTime, new_id, utcnow
from workshop.models.base import Base


class Bay(Base):
    """A working place on the floor (工位): general repair, quick service, body, paint, EV, alignment."""
    __tablename__ = "bays"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Equipment(Base):
    """A lift, tool or rig in the register (设备台账); standing in a bay or portable (bay_id empty)."""
    __tablename__ = "equipment"
    __table_args__ = (UniqueConstraint("site_id", "asset_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    bay_id: Mapped[str | None] = mapped_column(ForeignKey("bays.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    asset_number: Mapped[str] = mapped_column(String(40))
    make: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    serial: Mapped[str] = mapped_column(String(100), default="")
    commissioned_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    calibration_required: Mapped[bool] = mapped_column(Boolean, default=False)
    calibration_due_on: Mapped[date | None] = mapped_column(Date)
    calibration_alerted_for: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    faults = relationship("EquipmentFault", order_by="EquipmentFault.reported_at", lazy="selectin")
    maintenance_windows = relationship("MaintenanceWindow", order_by="MaintenanceWindow.starts_at", lazy="selectin")
    maintenance_plan = relationship("MaintenancePlan", uselist=False, lazy="selectin")


class EquipmentFile(Base):
    """A document of the equipment's file (档案): manual, inspection certificate, photo; kept in the database."""
    __tablename__ = "equipment_files"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    site_id: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when the file is fetched
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class MaintenancePlan(Base):
    """Preventive maintenance of one piece of equipment (保养计划): every interval_days, these tasks."""
    __tablename__ = "maintenance_plans"

    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), primary_key=True)
    interval_days: Mapped[int] = mapped_column(Integer)
    tasks: Mapped[str] = mapped_column(Text)
    next_due_on: Mapped[date] = mapped_column(Date)
    alerted_for: Mapped[date | None] = mapped_column(Date)


class MaintenanceWindow(Base):
    """A scheduled stretch of time during which the equipment is being maintained, so out of service."""
    __tablename__ = "maintenance_windows"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(String(500))
    scheduled_by: Mapped[str] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class MaintenanceRecord(Base):
    """Maintenance done: by whom, on which day, what was found."""
    __tablename__ = "maintenance_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    done_on: Mapped[date] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class EquipmentFault(Base):
    """A fault (故障) reported on equipment; open until its repair is recorded."""
    __tablename__ = "equipment_faults"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    out_of_service: Mapped[bool] = mapped_column(Boolean)
    reported_by: Mapped[str] = mapped_column(String(100))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    repaired_by: Mapped[str | None] = mapped_column(String(100))
    repaired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    repair_notes: Mapped[str | None] = mapped_column(Text)

    @property
    def open(self):
        return self.repaired_at is None


class Calibration(Base):
    """A calibration (校准) done, with its certificate; valid until next_due_on."""
    __tablename__ = "calibrations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    equipment_id: Mapped[str] = mapped_column(ForeignKey("equipment.id"), index=True)
    calibrated_on: Mapped[date] = mapped_column(Date)
    certificate_number: Mapped[str] = mapped_column(String(60))
    next_due_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SiteSettings(Base):
    """A site's workshop settings; a site without a row uses the platform's defaults."""
    __tablename__ = "workshop_site_settings"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hours_per_day: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
