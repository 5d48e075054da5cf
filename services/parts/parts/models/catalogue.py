from decimal import Decimal

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from parts.models.base import Base, Money
from svckit.db import UtcDateTime, utcnow


class Part(Base):
    """A catalogue part; the catalogue is the dealer group's, shared by all its sites."""
    __tablename__ = "parts"

    part_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50), default="general", index=True)
    brand: Mapped[str | None] = mapped_column(String(50))
    fitment: Mapped[list] = mapped_column(JSON, default=list)
    specification: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    cost_price: Mapped[Decimal] = mapped_column(Money)
    retail_price: Mapped[Decimal] = mapped_column(Money)
    workshop_price: Mapped[Decimal] = mapped_column(Money)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    superseded_by: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow)

    @property
    def tracks_batches(self):
        return self.shelf_life_days is not None
