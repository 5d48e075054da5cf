"""The workshop service's tables, one module per area. Importing this package declares them all."""
from workshop.models.base import Base  # noqa: F401
from workshop.models.repair_orders import LabourLine, PartLine, RepairOrder, StatusChange  # noqa: F401
from workshop.models.facilities import Bay  # noqa: F401
from workshop.models.time import ClockEntry  # noqa: F401
from workshop.models import diagnosis, dispatch, progress, quoting  # noqa: F401,E402  (declare their tables)
