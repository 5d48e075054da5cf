"""The customer's tracking link of a visit: one live link per visit, kept only as the token's SHA-256."""
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reception.models.base import Base
from svckit.db import UtcDateTime


class TrackingLink(Base):
    """Issuing a new link replaces the digest, so the link before it stops working at once."""
    __tablename__ = "tracking_links"

    visit_id: Mapped[str] = mapped_column(String(36), ForeignKey("visits.id"), primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at = mapped_column(UtcDateTime(), nullable=False)
    issued_by: Mapped[str] = mapped_column(String(100))
    times_issued: Mapped[int] = mapped_column(Integer, default=1)
