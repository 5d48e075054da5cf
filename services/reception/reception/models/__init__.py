"""The reception service's tables, one module per area. Importing this package declares them all."""
from reception.models.base import Base  # noqa: F401
from reception.models.visits import Visit  # noqa: F401
from reception.models import appointments, check_in, settlement, tracking  # noqa: F401,E402  (declare their tables)
