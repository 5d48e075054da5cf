"""The workshop service: the repair order from check-in to close, on the floor of every site.

One mixin per area holds its entrypoints; the rules live in workshop.rules.
"""
from nameko.dependency_providers import Config
from nameko.rpc import rpc

from svckit.auth import Auth
from svckit.db import Database
from svckit.health import health_report
from svckit.rpc import ServiceRpc
from workshop.api.diagnosis import DiagnosisApi
from workshop.api.dispatch import DispatchApi
from workshop.api.facilities import FacilitiesApi
from workshop.api.progress import ProgressApi
from workshop.api.quoting import QuotingApi
from workshop.api.repair_orders import RepairOrderApi
from workshop.models import Base


class WorkshopService(RepairOrderApi, DiagnosisApi, QuotingApi, DispatchApi, ProgressApi, FacilitiesApi):
    name = "workshop"

    db = Database(Base.metadata, migrations="workshop:migrations")
    auth = Auth()
    config = Config()
    parts = ServiceRpc("parts")
    training = ServiceRpc("training")

    @rpc
    def health(self):
        return health_report(self.name, self.db)
