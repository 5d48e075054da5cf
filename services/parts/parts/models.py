"""Parts' own tables. Stock rules live on `Stock` as plain methods (see stock.py for the errors)."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from parts.stock import StockRules
from svckit.db import UtcDateTime, new_id, service_metadata, utcnow

Money = Numeric(12, 2)
Qty = Numeric(12, 2)


class Base(DeclarativeBase):
    metadata = service_metadata()


class Part(Base):
    """A catalogue part; the catalogue is the dealer group's, shared by all its sites."""
    __tablename__ = "parts"

    part_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    cost_price: Mapped[Decimal] = mapped_column(Money)
    retail_price: Mapped[Decimal] = mapped_column(Money)
    created_at = mapped_column(UtcDateTime(), default=utcnow)


class Stock(StockRules, Base):
    """One part at one site. on_hand - reserved is what may still be promised."""
    __tablename__ = "stock"
    __table_args__ = (
        UniqueConstraint("site_id", "part_number"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    on_hand: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    reserved: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    reorder_point: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    reorder_quantity: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    average_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))


class Reservation(Base):
    """Stock set aside for one demand, named by the caller's reference (e.g. an RO line)."""
    __tablename__ = "reservations"
    __table_args__ = (UniqueConstraint("site_id", "reference"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    reference: Mapped[str] = mapped_column(String(100))
    repair_order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(20), default="reserved")
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    issued_at = mapped_column(UtcDateTime(), nullable=True)
