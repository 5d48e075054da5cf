"""Check-in (接车): what the desk recorded when the car came in, beyond the visit itself, and its photos."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from reception.models.base import Base
from svckit.db import UtcDateTime, new_id, utcnow


class CheckInRecord(Base):
    """One per visit: the mileage correction, how the promised time came about, the walk-around (环车检查)
    and the customer's signature or typed acknowledgement of it."""
    __tablename__ = "check_in_records"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    mileage_correction_reason: Mapped[str | None] = mapped_column(String(500))
    recorded_mileage_km: Mapped[int | None] = mapped_column(Integer)
    estimated_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    promised_at_source: Mapped[str] = mapped_column(String(20))
    customer_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    vehicle_registered: Mapped[bool] = mapped_column(Boolean, default=False)
    damage_marks: Mapped[list] = mapped_column(JSON, default=list)
    fuel_level_percent: Mapped[int | None] = mapped_column(Integer)
    belongings: Mapped[list] = mapped_column(JSON, default=list)
    concerns: Mapped[list] = mapped_column(JSON, default=list)
    walk_around_recorded_by: Mapped[str | None] = mapped_column(String(100))
    walk_around_recorded_at = mapped_column(UtcDateTime(), nullable=True)
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    signature_size_bytes: Mapped[int | None] = mapped_column(Integer)
    signed_at = mapped_column(UtcDateTime(), nullable=True)
    acknowledged_name: Mapped[str | None] = mapped_column(String(100))
    acknowledged_at = mapped_column(UtcDateTime(), nullable=True)
    signature_recorded_by: Mapped[str | None] = mapped_column(String(100))


class CheckInPhoto(Base):
    """A photo taken at the walk-around, kept in reception's database."""
    __tablename__ = "check_in_photos"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(30))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
