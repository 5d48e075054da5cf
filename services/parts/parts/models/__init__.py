"""The parts service's tables, one module per area. Importing this package declares them all."""
from parts.models.base import Base  # noqa: F401
from parts.models.catalogue import Part  # noqa: F401
from parts.models.stock import Bin, Lot, Reservation, Stock, StockMovement, Warehouse  # noqa: F401
from parts.models import imports, procurement, sales, stocktake, transfers  # noqa: F401,E402  (declare their tables)
