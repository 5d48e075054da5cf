from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parts.models.base import Base, Money, Qty
from parts.rules.stock import StockRules
from svckit.db import UtcDateTime, new_id, utcnow


class Warehouse(Base):
    __tablename__ = "warehouses"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))


class Bin(Base):
    __tablename__ = "bins"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.id"))
    code: Mapped[str] = mapped_column(String(20))

    warehouse = relationship(Warehouse, lazy="joined")


class Stock(StockRules, Base):
    """One part at one site: the totals reservations are checked against.

    on_hand always equals the sum of the part's lots at the site; on_hand - reserved is
    what may still be promised.
    """
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


class Lot(Base):
    """Stock of one part in one bin, of one batch (batch "" where the part has no shelf life)."""
    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("bin_id", "part_number", "batch"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_lots_site_part", "site_id", "part_number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    bin_id: Mapped[str] = mapped_column(ForeignKey("bins.id"))
    batch: Mapped[str] = mapped_column(String(40), default="")
    expiry_date = mapped_column(Date, nullable=True)
    quantity: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    received_at = mapped_column(UtcDateTime(), default=utcnow)
    expiry_alerted_at = mapped_column(UtcDateTime(), nullable=True)

    bin = relationship(Bin, lazy="joined")


class StockMovement(Base):
    """The ledger: every change of stock, signed (+ into stock, - out), with what caused it."""
    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_site_part_at", "site_id", "part_number", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    lot_id: Mapped[str | None] = mapped_column(String(36))
    reservation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    reference: Mapped[str | None] = mapped_column(String(100), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    at = mapped_column(UtcDateTime(), default=utcnow)
    by: Mapped[str] = mapped_column(String(100))


class Reservation(Base):
    """Stock set aside for one demand, named by the caller's reference (e.g. an RO line)."""
    __tablename__ = "reservations"
    __table_args__ = (
        UniqueConstraint("site_id", "reference"),
        Index("ix_reservations_backorders", "site_id", "part_number", "status", "requested_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    reference: Mapped[str] = mapped_column(String(100))
    repair_order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="repair_order")
    status: Mapped[str] = mapped_column(String(20), default="reserved")
    filled_at_request: Mapped[bool] = mapped_column(Boolean, default=True)  # for the fill rate
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    returned_quantity: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    requested_at = mapped_column(UtcDateTime(), default=utcnow)
    reserved_at = mapped_column(UtcDateTime(), nullable=True)
    issued_at = mapped_column(UtcDateTime(), nullable=True)
