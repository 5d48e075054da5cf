"""parts: catalogue, stock per site, reservations, procurement, sales and transfers (manual 2.3, ch. 5).

One module per area; this package re-exports every schema and event so callers write
`from contracts.parts import NewPart, LOW_STOCK`.
"""
from contracts.parts.catalogue import *  # noqa: F401,F403
from contracts.parts.catalogue import EVENTS as _CATALOGUE_EVENTS
from contracts.parts.common import SOURCE, PartNumber  # noqa: F401
from contracts.parts.stock import *  # noqa: F401,F403
from contracts.parts.stock import EVENTS as _STOCK_EVENTS

EVENTS = [*_CATALOGUE_EVENTS, *_STOCK_EVENTS]
