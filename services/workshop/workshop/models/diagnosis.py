"""Diagnosis: who diagnosed the car when, the findings per concern with their codes, and photos."""
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from svckit.db import UtcDateTime, new_id, utcnow
from workshop.models.base import Base


class DiagnosisSession(Base):
    """One stretch of diagnosis of a repair order by a technician (a car may be diagnosed again after the quote)."""
    __tablename__ = "diagnoses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    technician_id: Mapped[str] = mapped_column(String(36))
    started_by: Mapped[str] = mapped_column(String(100))
    started_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
    finished_by: Mapped[str | None] = mapped_column(String(100))
    finished_at = mapped_column(UtcDateTime(), nullable=True)


class Finding(Base):
    """What was found for one of the customer's concerns, and why."""
    __tablename__ = "findings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    repair_order_id: Mapped[str] = mapped_column(ForeignKey("repair_orders.id"), index=True)
    position: Mapped[int]
    concern: Mapped[str] = mapped_column(Text)
    finding: Mapped[str] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)

    codes = relationship("FindingCode", order_by="FindingCode.position", lazy="selectin",
                         cascade="all, delete-orphan")
    photos = relationship("FindingPhoto", order_by="FindingPhoto.uploaded_at", lazy="selectin",
                          cascade="all, delete-orphan")


class FindingCode(Base):
    """A trouble code read from the car (OBD-II), with the equipment that read it."""
    __tablename__ = "finding_codes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(5))
    description: Mapped[str | None] = mapped_column(String(200))
    equipment: Mapped[str | None] = mapped_column(String(100))


class FindingPhoto(Base):
    """A photo of a finding, kept in the database so every replica serves it; the bytes load only when asked."""
    __tablename__ = "finding_photos"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), server_default="")
    content_type: Mapped[str] = mapped_column(String(30))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
