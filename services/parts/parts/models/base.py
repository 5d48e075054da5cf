from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from svckit.db import service_metadata

Money = Numeric(12, 2)
Qty = Numeric(12, 2)


class Base(DeclarativeBase):
    metadata = service_metadata()
