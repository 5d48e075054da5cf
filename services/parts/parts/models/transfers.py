"""Tables of the transfers area: stock sent from one site of the group to another."""
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parts.models.base import Base, Money, Qty
from svckit.db import UtcDateTime, new_id, utcnow


class Transfer(Base):
    """A transfer between two sites. site_id is the SENDING site (whose stock leaves); to_site_id receives."""
    __tablename__ = "transfers"
    __table_args__ = (
        Index("ix_transfers_site_status", "site_id", "status"),
        Index("ix_transfers_to_site_status", "to_site_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    to_site_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    note: Mapped[str] = mapped_column(String(500), default="")
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at = mapped_column(UtcDateTime(), nullable=True)
    shipped_by: Mapped[str | None] = mapped_column(String(100))
    shipped_at = mapped_column(UtcDateTime(), nullable=True)
    received_by: Mapped[str | None] = mapped_column(String(100))
    received_at = mapped_column(UtcDateTime(), nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at = mapped_column(UtcDateTime(), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")

    lines = relationship("TransferLine", order_by="TransferLine.position", lazy="selectin",
                         back_populates="transfer")


class TransferLine(Base):
    """One part of a transfer: asked, shipped (at the sender's average cost), received and lost in transit."""
    __tablename__ = "transfer_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    transfer_id: Mapped[str] = mapped_column(ForeignKey("transfers.id"), index=True)
    site_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    reservation_id: Mapped[str | None] = mapped_column(String(36))
    shipped_quantity: Mapped[Decimal | None] = mapped_column(Qty)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    shipped_batches: Mapped[list] = mapped_column(JSON, default=list)
    received_quantity: Mapped[Decimal | None] = mapped_column(Qty)
    lost_quantity: Mapped[Decimal | None] = mapped_column(Qty)
    discrepancy_reason: Mapped[str] = mapped_column(String(200), default="")

    transfer = relationship(Transfer, back_populates="lines")
