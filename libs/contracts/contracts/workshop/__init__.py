"""workshop: repair orders, quoting, dispatch and time, progress, facilities (manual 2.2, 4.1-4.3, ch. 9).

One module per area; this package re-exports every schema and event so callers write
`from contracts.workshop import LabourLineInput, REPAIR_COMPLETED`.
"""
from contracts.workshop import diagnosis, dispatch, facilities, orders, progress, quoting
from contracts.workshop.common import SOURCE  # noqa: F401
from contracts.workshop.diagnosis import *  # noqa: F401,F403
from contracts.workshop.dispatch import *  # noqa: F401,F403
from contracts.workshop.facilities import *  # noqa: F401,F403
from contracts.workshop.orders import *  # noqa: F401,F403
from contracts.workshop.progress import *  # noqa: F401,F403
from contracts.workshop.quoting import *  # noqa: F401,F403

EVENTS = [*orders.EVENTS, *diagnosis.EVENTS, *quoting.EVENTS, *dispatch.EVENTS, *progress.EVENTS, *facilities.EVENTS]
