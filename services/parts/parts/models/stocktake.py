"""Tables of the stocktake area: count sessions and their lines (one per lot counted)."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parts.models.base import Base, Money, Qty
from svckit.db import UtcDateTime, new_id, utcnow

Share = Numeric(5, 4)


class Stocktake(Base):
    """A count at one site: full, or a cycle count of some categories or some bins.

    The figures (line_count ... value_accuracy) are fixed when the count is posted.
    """
    __tablename__ = "stocktakes"
    __table_args__ = (Index("ix_stocktakes_site_posted", "site_id", "posted_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    categories: Mapped[list] = mapped_column(JSON, default=list)
    bins: Mapped[list] = mapped_column(JSON, default=list)  # [{"warehouse_code", "bin_code"}]
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    count_round: Mapped[int] = mapped_column(Integer, default=1)
    opened_at = mapped_column(UtcDateTime(), default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(100))
    submitted_at = mapped_column(UtcDateTime(), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    approved_at = mapped_column(UtcDateTime(), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    posted_at = mapped_column(UtcDateTime(), nullable=True)
    posted_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at = mapped_column(UtcDateTime(), nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    line_count: Mapped[int | None] = mapped_column(Integer)
    lines_with_variance: Mapped[int | None] = mapped_column(Integer)
    quantity_variance: Mapped[Decimal | None] = mapped_column(Qty)
    value_variance: Mapped[Decimal | None] = mapped_column(Money)
    gross_value_variance: Mapped[Decimal | None] = mapped_column(Money)
    expected_value: Mapped[Decimal | None] = mapped_column(Money)
    accuracy: Mapped[Decimal | None] = mapped_column(Share)
    value_accuracy: Mapped[Decimal | None] = mapped_column(Share)

    lines = relationship("StocktakeLine", order_by="StocktakeLine.line_no", back_populates="stocktake")

    @property
    def reference(self):
        """What the stock ledger names this count by."""
        return f"stocktake:{self.id}"


class StocktakeLine(Base):
    """One lot to count (or stock found where the books had none): the books, the count, the variance.

    opened_quantity is the books when the count opened; expected_quantity the books when the line was
    counted. counting_key (bin|part|batch) is set while the count is active: one active count per lot.
    """
    __tablename__ = "stocktake_lines"
    __table_args__ = (UniqueConstraint("stocktake_id", "line_no"), UniqueConstraint("counting_key"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    stocktake_id: Mapped[str] = mapped_column(ForeignKey("stocktakes.id"))
    site_id: Mapped[str] = mapped_column(String(32))
    line_no: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[str | None] = mapped_column(String(36))
    bin_id: Mapped[str] = mapped_column(ForeignKey("bins.id"))
    warehouse_code: Mapped[str] = mapped_column(String(20))
    bin_code: Mapped[str] = mapped_column(String(20))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    batch: Mapped[str] = mapped_column(String(40), default="")
    expiry_date = mapped_column(Date, nullable=True)
    found: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_quantity: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    expected_quantity: Mapped[Decimal] = mapped_column(Qty, default=Decimal("0"))
    counted_quantity: Mapped[Decimal | None] = mapped_column(Qty)
    counted_at = mapped_column(UtcDateTime(), nullable=True)
    counted_by: Mapped[str | None] = mapped_column(String(100))
    count_round: Mapped[int] = mapped_column(Integer, default=1)
    previous_count: Mapped[Decimal | None] = mapped_column(Qty)
    recount_reason: Mapped[str] = mapped_column(String(200), default="")
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    quantity_variance: Mapped[Decimal | None] = mapped_column(Qty)
    value_variance: Mapped[Decimal | None] = mapped_column(Money)
    posted_quantity: Mapped[Decimal | None] = mapped_column(Qty)
    counting_key: Mapped[str | None] = mapped_column(String(120))

    stocktake = relationship(Stocktake, back_populates="lines")
