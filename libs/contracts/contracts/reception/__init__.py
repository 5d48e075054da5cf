"""reception: the service advisor's desk: appointments, check-in, delivery and settlement, the customer's
tracking link (manual 2.1, 3.1, 4.1.1, 4.1.5).

One module per area; this package re-exports every schema and event so callers write
`from contracts.reception import CheckIn, VEHICLE_DELIVERED`.
"""
from contracts.reception import appointments, check_in, settlement, tracking, visits
from contracts.reception.appointments import *  # noqa: F401,F403
from contracts.reception.check_in import *  # noqa: F401,F403
from contracts.reception.common import SOURCE  # noqa: F401
from contracts.reception.settlement import *  # noqa: F401,F403
from contracts.reception.tracking import *  # noqa: F401,F403
from contracts.reception.visits import *  # noqa: F401,F403

EVENTS = [*appointments.EVENTS, *check_in.EVENTS, *settlement.EVENTS, *tracking.EVENTS, *visits.EVENTS]
