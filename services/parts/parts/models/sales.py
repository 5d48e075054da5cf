"""Tables of the sales area: trade accounts, counter sales and their lines, invoice counters, delivery orders."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from parts.models.base import Base, Money, Qty
from svckit.db import UtcDateTime, new_id, utcnow

Percent = Numeric(5, 2)
Rate = Numeric(5, 4)


class TradeAccount(Base):
    """A garage (or fleet) that buys parts from one site at a trade discount."""
    __tablename__ = "sales_trade_accounts"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class CounterSale(Base):
    """A sale over the parts counter: a quote, then an order, a pick and an invoice."""
    __tablename__ = "counter_sales"
    __table_args__ = (
        UniqueConstraint("invoice_number"),
        Index("ix_counter_sales_site_status", "site_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="quote")
    trade_account_id: Mapped[str | None] = mapped_column(ForeignKey("sales_trade_accounts.id"))
    customer_name: Mapped[str | None] = mapped_column(String(100))
    customer_phone: Mapped[str | None] = mapped_column(String(20))
    trade_discount_percent: Mapped[Decimal] = mapped_column(Percent)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    valid_until = mapped_column(Date, nullable=False)
    subtotal: Mapped[Decimal] = mapped_column(Money)
    discount: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    invoice_number: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    ordered_at = mapped_column(UtcDateTime(), nullable=True)
    picked_at = mapped_column(UtcDateTime(), nullable=True)
    invoiced_at = mapped_column(UtcDateTime(), nullable=True)
    cancelled_at = mapped_column(UtcDateTime(), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))

    trade_account = relationship(TradeAccount)
    lines = relationship("CounterSaleLine", order_by="CounterSaleLine.position", lazy="selectin",
                         back_populates="sale")


class CounterSaleLine(Base):
    """One part on a sale, priced when quoted; reserved as `sale-line:<id>` when ordered."""
    __tablename__ = "counter_sale_lines"
    __table_args__ = (UniqueConstraint("sale_id", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sale_id: Mapped[str] = mapped_column(ForeignKey("counter_sales.id"))
    site_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    requested_part_number: Mapped[str] = mapped_column(String(40))
    part_number: Mapped[str] = mapped_column(ForeignKey("parts.part_number"))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    trade_discount_percent: Mapped[Decimal] = mapped_column(Percent)
    discount_percent: Mapped[Decimal] = mapped_column(Percent)
    gross: Mapped[Decimal] = mapped_column(Money)
    discount: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(20), default="quoted")
    reservation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    picked_from: Mapped[list] = mapped_column(JSON, default=list)

    sale = relationship(CounterSale, back_populates="lines")

    @property
    def reference(self):
        return f"sale-line:{self.id}"


class InvoiceCounter(Base):
    """The last invoice number given at a site in a year; bumped in the invoicing transaction, so gapless."""
    __tablename__ = "counter_sale_invoice_counters"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class DeliveryOrder(Base):
    """Taking an invoiced sale to the customer's address; `history` keeps every status with its time."""
    __tablename__ = "sales_delivery_orders"
    __table_args__ = (UniqueConstraint("sale_id"), Index("ix_sales_delivery_orders_site_status", "site_id", "status"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32))
    sale_id: Mapped[str] = mapped_column(ForeignKey("counter_sales.id"))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    address: Mapped[str] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(20))
    carrier: Mapped[str] = mapped_column(String(100))
    driver: Mapped[str | None] = mapped_column(String(100))
    scheduled_for = mapped_column(UtcDateTime(), nullable=True)
    proof_of_delivery: Mapped[str | None] = mapped_column(String(500))
    history: Mapped[list] = mapped_column(JSON, default=list)
    created_at = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    out_for_delivery_at = mapped_column(UtcDateTime(), nullable=True)
    delivered_at = mapped_column(UtcDateTime(), nullable=True)
    failed_at = mapped_column(UtcDateTime(), nullable=True)

    sale = relationship(CounterSale)
