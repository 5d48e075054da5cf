"""Tables of the procurement area: suppliers, requests for quotation and bids, purchase orders,
goods receipts with incoming inspection, and purchase plans."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parts.models.base import Base, Money, Qty
from svckit.db import UtcDateTime, new_id, utcnow

ZERO = Decimal("0")


class Supplier(Base):
    """A supplier of the dealer group (group-wide, like the catalogue)."""
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    contacts: Mapped[list] = mapped_column(JSON, default=list)
    payment_terms: Mapped[str] = mapped_column(String(200), default="")
    lead_time_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow)


# --- requests for quotation ---

class Rfq(Base):
    """A request for quotation sent to several suppliers; awarded to one, which gets a purchase order."""
    __tablename__ = "rfqs"
    __table_args__ = (UniqueConstraint("number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(60))
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    reply_by = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    awarded_supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"))
    award_reason: Mapped[str] = mapped_column(String(500), default="")
    awarded_at = mapped_column(UtcDateTime(), nullable=True)
    awarded_by: Mapped[str | None] = mapped_column(String(100))
    purchase_order_id: Mapped[str | None] = mapped_column(String(36))

    lines = relationship("RfqLine", order_by="RfqLine.line_no", lazy="selectin")
    invitations = relationship("RfqInvitation", lazy="selectin")
    bids = relationship("RfqBid", order_by="RfqBid.submitted_at", lazy="selectin")


class RfqLine(Base):
    __tablename__ = "rfq_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rfq_id: Mapped[str] = mapped_column(ForeignKey("rfqs.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    quantity: Mapped[Decimal] = mapped_column(Qty)


class RfqInvitation(Base):
    """A supplier the request was sent to; only invited suppliers may bid."""
    __tablename__ = "rfq_invitations"
    __table_args__ = (UniqueConstraint("rfq_id", "supplier_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rfq_id: Mapped[str] = mapped_column(ForeignKey("rfqs.id"))
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))

    supplier = relationship(Supplier, lazy="joined")


class RfqBid(Base):
    """One supplier's answer: a unit price for every line and one lead time."""
    __tablename__ = "rfq_bids"
    __table_args__ = (UniqueConstraint("rfq_id", "supplier_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rfq_id: Mapped[str] = mapped_column(ForeignKey("rfqs.id"))
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    lead_time_days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    submitted_at = mapped_column(UtcDateTime(), default=utcnow)
    submitted_by: Mapped[str] = mapped_column(String(100))

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship("RfqBidLine", lazy="selectin")


class RfqBidLine(Base):
    __tablename__ = "rfq_bid_lines"
    __table_args__ = (UniqueConstraint("bid_id", "rfq_line_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bid_id: Mapped[str] = mapped_column(ForeignKey("rfq_bids.id"))
    rfq_line_id: Mapped[str] = mapped_column(ForeignKey("rfq_lines.id"))
    unit_price: Mapped[Decimal] = mapped_column(Money)


# --- purchase orders and receiving ---

class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (UniqueConstraint("number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(60))
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    expected_date = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    rfq_id: Mapped[str | None] = mapped_column(String(36))
    plan_id: Mapped[str | None] = mapped_column(String(36))
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    sent_at = mapped_column(UtcDateTime(), nullable=True)
    cancelled_at = mapped_column(UtcDateTime(), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    overdue_alerted_at = mapped_column(UtcDateTime(), nullable=True)

    supplier = relationship(Supplier, lazy="joined")
    lines = relationship("PurchaseOrderLine", order_by="PurchaseOrderLine.line_no", lazy="selectin")


class PurchaseOrderLine(Base):
    """Ordered, and so far delivered, accepted, rejected (returned to the supplier) and cancelled."""
    __tablename__ = "purchase_order_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Qty)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    delivered_quantity: Mapped[Decimal] = mapped_column(Qty, default=ZERO)
    accepted_quantity: Mapped[Decimal] = mapped_column(Qty, default=ZERO)
    rejected_quantity: Mapped[Decimal] = mapped_column(Qty, default=ZERO)
    cancelled_quantity: Mapped[Decimal] = mapped_column(Qty, default=ZERO)
    rfq_line_id: Mapped[str | None] = mapped_column(String(36))

    @property
    def outstanding_quantity(self):
        return self.quantity - self.accepted_quantity - self.cancelled_quantity


class GoodsReceipt(Base):
    """One delivery against a purchase order, inspected on arrival."""
    __tablename__ = "goods_receipts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    delivery_note: Mapped[str] = mapped_column(String(100), default="")
    received_at = mapped_column(UtcDateTime(), default=utcnow)
    received_on = mapped_column(Date, nullable=False, index=True)  # the sites' calendar date: vs the expected date
    on_time: Mapped[bool] = mapped_column(Boolean)
    received_by: Mapped[str] = mapped_column(String(100))

    lines = relationship("GoodsReceiptLine", lazy="selectin")


class GoodsReceiptLine(Base):
    __tablename__ = "goods_receipt_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("goods_receipts.id"), index=True)
    purchase_order_line_id: Mapped[str] = mapped_column(ForeignKey("purchase_order_lines.id"))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    delivered_quantity: Mapped[Decimal] = mapped_column(Qty)
    accepted_quantity: Mapped[Decimal] = mapped_column(Qty)
    rejected_quantity: Mapped[Decimal] = mapped_column(Qty)
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    unit_price: Mapped[Decimal] = mapped_column(Money)
    lot_id: Mapped[str | None] = mapped_column(String(36))


# --- purchase plans ---

class PurchasePlan(Base):
    """Replenishment suggestions for a site, edited by a clerk, approved by the site manager."""
    __tablename__ = "purchase_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    window_days: Mapped[int] = mapped_column(Integer)
    review_days: Mapped[int] = mapped_column(Integer)
    service_level_z: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    approved_at = mapped_column(UtcDateTime(), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(100))

    lines = relationship("PurchasePlanLine", order_by="PurchasePlanLine.part_number", lazy="selectin")


class PurchasePlanLine(Base):
    __tablename__ = "purchase_plan_lines"
    __table_args__ = (UniqueConstraint("plan_id", "part_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("purchase_plans.id"))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"))
    suggested_quantity: Mapped[Decimal] = mapped_column(Qty)
    quantity: Mapped[Decimal] = mapped_column(Qty)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # the replenishment figures behind the suggestion
    purchase_order_id: Mapped[str | None] = mapped_column(String(36))

    supplier = relationship(Supplier, lazy="joined")
