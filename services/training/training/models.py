"""Training's own tables: the staff register, their certificates and the job credits that feed appraisals."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from svckit.db import UtcDateTime, new_id, service_metadata, utcnow

Hours = Numeric(8, 2)


class Base(DeclarativeBase):
    metadata = service_metadata()


class Staff(Base):
    """One member of staff at one site; technicians also carry a grade."""
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    grade: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class JobCredit(Base):
    """Labour hours of one closed repair order credited to one technician.

    No foreign key to staff: a technician may be credited before being registered here.
    """
    __tablename__ = "job_credits"
    __table_args__ = (UniqueConstraint("staff_id", "repair_order_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    staff_id: Mapped[str] = mapped_column(String(36))
    repair_order_id: Mapped[str] = mapped_column(String(36), index=True)
    hours: Mapped[Decimal] = mapped_column(Hours)
    credited_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Certificate(Base):
    """A certificate (上岗证/资质) of one staff member for one skill, valid from issued_on through expires_on."""
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("skill_code", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    skill_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(100))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
