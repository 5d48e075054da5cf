from sqlalchemy.orm import DeclarativeBase

from svckit.db import service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()
