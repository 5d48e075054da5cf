"""parts: catalogue, stock per site, reservations, procurement, sales and transfers (manual 2.3, ch. 5).

One module per area; this package re-exports every schema and event so callers write
`from contracts.parts import NewPart, LOW_STOCK`.
"""
from contracts.parts import analysis, catalogue, imports, procurement, sales, stock, stocktake, transfers
from contracts.parts.analysis import *  # noqa: F401,F403
from contracts.parts.catalogue import *  # noqa: F401,F403
from contracts.parts.common import SOURCE, PartNumber  # noqa: F401
from contracts.parts.imports import *  # noqa: F401,F403
from contracts.parts.procurement import *  # noqa: F401,F403
from contracts.parts.sales import *  # noqa: F401,F403
from contracts.parts.stock import *  # noqa: F401,F403
from contracts.parts.stocktake import *  # noqa: F401,F403
from contracts.parts.transfers import *  # noqa: F401,F403

EVENTS = [*catalogue.EVENTS, *stock.EVENTS, *imports.EVENTS, *stocktake.EVENTS, *procurement.EVENTS,
          *sales.EVENTS, *transfers.EVENTS, *analysis.EVENTS]
