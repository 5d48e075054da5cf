"""The visit: one stay of a car at a site. Its rules live on `Visit` as plain methods (rules/visits.py)."""
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from reception.models.base import Base
from reception.rules.visits import CHECKED_IN, DELIVERED, VisitRules
from svckit.db import UtcDateTime, new_id, utcnow

Money = Numeric(12, 2)

_OPEN = text(f"status <> '{DELIVERED}'")


class Visit(VisitRules, Base):
    """One stay of a car at a site, from check-in to delivery.

    Vehicle and customer details are copied from crm at check-in: the visit keeps what
    was true when the car came in.
    """
    __tablename__ = "visits"
    __table_args__ = (
        # A vehicle has at most one open visit; this index settles two simultaneous check-ins.
        Index("uq_visits_open_vehicle_id", "vehicle_id", unique=True,
              postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index("ix_visits_site_id_checked_in_at", "site_id", "checked_in_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    vehicle_id: Mapped[str] = mapped_column(String(36), index=True)
    vin: Mapped[str] = mapped_column(String(17))
    plate: Mapped[str] = mapped_column(String(16))
    mileage_km: Mapped[int] = mapped_column(Integer)
    concern: Mapped[str] = mapped_column(String(2000))
    walk_around_notes: Mapped[str] = mapped_column(String(4000), default="")
    promised_at = mapped_column(UtcDateTime(), nullable=False)
    checked_in_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    advisor: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=CHECKED_IN)
    repair_order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    ready_at = mapped_column(UtcDateTime(), nullable=True)
    delivered_at = mapped_column(UtcDateTime(), nullable=True)
    promised_time_kept: Mapped[bool | None] = mapped_column(Boolean)
    labour_total: Mapped[Decimal | None] = mapped_column(Money)
    parts_total: Mapped[Decimal | None] = mapped_column(Money)
    total: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    delivery_notes: Mapped[str] = mapped_column(String(2000), default="")
