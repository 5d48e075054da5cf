"""crm's own tables: customers, their vehicles, follow-up calls, messages to customers, declined work."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from svckit.db import UtcDateTime, new_id, service_metadata, utcnow


class Base(DeclarativeBase):
    metadata = service_metadata()


class Customer(Base):
    """A customer of one site; a phone number identifies one customer per site."""
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("site_id", "phone"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UtcDateTime(), default=utcnow)


class Vehicle(Base):
    """A customer's car. A VIN is registered once in the whole dealer group."""
    __tablename__ = "vehicles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    vin: Mapped[str] = mapped_column(String(17), unique=True)
    plate: Mapped[str] = mapped_column(String(10), index=True)
    model: Mapped[str] = mapped_column(String(100))
    mileage_km: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UtcDateTime(), default=utcnow)


class FollowUp(Base):
    """A care call after a delivered visit; one per visit."""
    __tablename__ = "follow_ups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"), index=True)
    visit_id: Mapped[str] = mapped_column(String(36), unique=True)
    due_at = mapped_column(UtcDateTime(), nullable=False)
    channel: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UtcDateTime(), default=utcnow)


class CustomerMessage(Base):
    """A message to a customer about their visit, queued for the SMS/WeChat gateway of the dealer."""
    __tablename__ = "customer_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"), index=True)
    repair_order_id: Mapped[str | None] = mapped_column(String(36), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UtcDateTime(), default=utcnow)


class Recommendation(Base):
    """Work the customer declined on a visit: kept on the vehicle so the advisor and care agents can offer it
    again (建议维修项目). Closed when done on a later visit or dismissed."""
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("repair_order_line_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"), index=True)
    repair_order_id: Mapped[str] = mapped_column(String(36))
    repair_order_line_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    mileage_km: Mapped[int] = mapped_column(Integer)
    declined_at = mapped_column(UtcDateTime(), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="open")


class Coupon(Base):
    """A coupon (优惠券): money or a percentage off labour, parts or the whole bill; used once, on one invoice."""
    __tablename__ = "coupons"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32))
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    applies_to: Mapped[str] = mapped_column(String(10))
    minimum_spend: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    valid_from = mapped_column(UtcDateTime(), nullable=False)
    valid_until = mapped_column(UtcDateTime(), nullable=False)
    description: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="issued")
    redeemed_invoice_id: Mapped[str | None] = mapped_column(String(36))
    redeemed_at = mapped_column(UtcDateTime(), nullable=True)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class RecommendationReminder(Base):
    """A reminder to the customer, some days after a delivery, of the work they declined; one per visit."""
    __tablename__ = "recommendation_reminders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"), index=True)
    visit_id: Mapped[str] = mapped_column(String(36), unique=True)
    recommendation_ids: Mapped[list] = mapped_column(JSON)
    due_at = mapped_column(UtcDateTime(), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    sent_at = mapped_column(UtcDateTime(), nullable=True)
