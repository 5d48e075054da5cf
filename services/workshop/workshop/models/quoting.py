"""The operation catalogue (labour time guide), canned jobs, and sublet lines of repair orders."""
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from svckit.db import UtcDateTime, new_id, utcnow
from workshop.models.base import Base
from workshop.rules.quoting import GENERIC, SubletLineRules
from workshop.rules.repair_order import CUSTOMER, PENDING


class Operation(Base):
    """One entry of the group's labour time guide; model "" is the generic entry of its code."""
    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("code", "model"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(60), default=GENERIC, server_default=GENERIC)
    description: Mapped[str] = mapped_column(String(200))
    standard_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    skill_code: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
    updated_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)


class CannedJob(Base):
    """A named bundle of operations and parts (套餐), e.g. the 40,000 km service of one model."""
    __tablename__ = "canned_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)

    operations = relationship("CannedJobOperation", order_by="CannedJobOperation.position", lazy="selectin",
                              cascade="all, delete-orphan")
    parts = relationship("CannedJobPart", order_by="CannedJobPart.position", lazy="selectin",
                         cascade="all, delete-orphan")


class CannedJobOperation(Base):
    __tablename__ = "canned_job_operations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    canned_job_id: Mapped[str] = mapped_column(ForeignKey("canned_jobs.id"), index=True)
    position: Mapped[int]
    operation_code: Mapped[str] = mapped_column(String(20))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))


class CannedJobPart(Base):
    __tablename__ = "canned_job_parts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    canned_job_id: Mapped[str] = mapped_column(ForeignKey("canned_jobs.id"), index=True)
    position: Mapped[int]
    part_number: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class SubletLine(SubletLineRules, Base):
    """Work sent out to another business (外协: glass, upholstery, ...), sold on the repair order."""
    __tablename__ = "sublet_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    position: Mapped[int]
    vendor: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200))
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    approval: Mapped[str] = mapped_column(String(10), default=PENDING)
    pay_type: Mapped[str] = mapped_column(String(10), default=CUSTOMER, server_default=CUSTOMER)
