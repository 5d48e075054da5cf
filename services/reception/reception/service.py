"""The reception service: the service advisor's desk, from the booking to the handover of the car.

One mixin per area holds its entrypoints; the rules live in reception.rules.
"""
from nameko.dependency_providers import Config
from nameko.rpc import rpc

from reception.api.appointments import AppointmentApi
from reception.api.check_in import CheckInApi
from reception.api.settlement import SettlementApi
from reception.api.tracking import TrackingApi
from reception.api.visits import VisitApi
from reception.models import Base
from svckit.auth import Auth
from svckit.db import Database
from svckit.health import health_report
from svckit.rpc import ServiceRpc


class ReceptionService(AppointmentApi, CheckInApi, VisitApi, SettlementApi, TrackingApi):
    name = "reception"

    db = Database(Base.metadata, migrations="reception:migrations")
    auth = Auth()
    config = Config()
    crm = ServiceRpc("crm")
    workshop = ServiceRpc("workshop")
    training = ServiceRpc("training")

    @rpc
    def health(self):
        return health_report(self.name, self.db)
