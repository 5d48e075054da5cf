"""reception settlement tables: invoices with their lines and discounts, payments and refunds, the numbering."""
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.models.base import Base
from reception.rules.settlement import OPEN, VOIDED, balance_due
from svckit.db import UtcDateTime, new_id, utcnow

Money = Numeric(12, 2)

_LIVE = text(f"status <> '{VOIDED}'")


class Invoice(Base):
    """The invoice (结算单) of a visit, built from its repair order's approved lines. Totals are kept, not
    recomputed, so the printed invoice stays what the customer was shown."""
    __tablename__ = "invoices"
    __table_args__ = (
        # A visit has at most one invoice that is not voided; this index settles two simultaneous requests.
        Index("uq_invoices_live_visit_id", "visit_id", unique=True, postgresql_where=_LIVE, sqlite_where=_LIVE),
        Index("ix_invoices_site_id_created_at", "site_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    site_id: Mapped[str] = mapped_column(String(32))
    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    repair_order_id: Mapped[str] = mapped_column(String(36))
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
    vehicle_id: Mapped[str] = mapped_column(String(36))
    plate: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    labour_total: Mapped[Decimal] = mapped_column(Money)
    parts_total: Mapped[Decimal] = mapped_column(Money)
    sublet_total: Mapped[Decimal] = mapped_column(Money)
    subtotal: Mapped[Decimal] = mapped_column(Money)
    warranty_total: Mapped[Decimal] = mapped_column(Money)
    internal_total: Mapped[Decimal] = mapped_column(Money)
    goodwill_total: Mapped[Decimal] = mapped_column(Money)
    discount_total: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    vat: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    paid_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    refunded_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    voided_at = mapped_column(UtcDateTime(), nullable=True)
    void_reason: Mapped[str | None] = mapped_column(String(500))

    lines = relationship("InvoiceLine", order_by="InvoiceLine.position", cascade="all, delete-orphan")
    discounts = relationship("InvoiceDiscount", order_by="InvoiceDiscount.position", cascade="all, delete-orphan")
    payments = relationship("Payment", order_by="Payment.received_at", cascade="all, delete-orphan")

    @property
    def balance_due(self):
        return max(balance_due(self.total, self.paid_total, self.refunded_total), Decimal("0.00"))

    @property
    def totals_by_pay_type(self):
        return {"customer": self.subtotal, "warranty": self.warranty_total, "internal": self.internal_total,
                "goodwill": self.goodwill_total}


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    repair_order_line_id: Mapped[str] = mapped_column(String(36))
    code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit_price: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    pay_type: Mapped[str] = mapped_column(String(10))
    customer_amount: Mapped[Decimal] = mapped_column(Money)


class InvoiceDiscount(Base):
    __tablename__ = "invoice_discounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(200))
    applies_to: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money)


class Payment(Base):
    __tablename__ = "invoice_payments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)
    reference: Mapped[str] = mapped_column(String(100), default="")
    received_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    received_by: Mapped[str] = mapped_column(String(100))
    refunded_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    refunds = relationship("Refund", order_by="Refund.refunded_at", cascade="all, delete-orphan")


class Refund(Base):
    __tablename__ = "invoice_refunds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    payment_id: Mapped[str] = mapped_column(ForeignKey("invoice_payments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(500))
    refunded_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    refunded_by: Mapped[str] = mapped_column(String(100))


class InvoiceCounter(Base):
    """The last invoice number given at a site in a year; bumped in the invoicing transaction, so gapless."""
    __tablename__ = "invoice_counters"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
