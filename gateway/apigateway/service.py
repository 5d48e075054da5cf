"""The gateway: the platform's HTTP routes, each a thin call to the service that owns the data.

The routes live in apigateway/routes, one module per service behind the gateway.
"""
from nameko.dependency_providers import Config

from apigateway.models import Base
from apigateway.routes.accounts import AccountRoutes
from apigateway.routes.crm import CrmRoutes
from apigateway.routes.parts import PartsRoutes
from apigateway.routes.parts_analysis import PartsAnalysisRoutes
from apigateway.routes.parts_imports import PartsImportsRoutes
from apigateway.routes.parts_procurement import PartsProcurementRoutes
from apigateway.routes.parts_sales import PartsSalesRoutes
from apigateway.routes.parts_stocktake import PartsStocktakeRoutes
from apigateway.routes.parts_transfers import PartsTransfersRoutes
from apigateway.routes.platform import SERVICES, PlatformRoutes
from apigateway.routes.quality import QualityRoutes
from apigateway.routes.reception import ReceptionRoutes
from apigateway.routes.reception_appointments import ReceptionAppointmentsRoutes
from apigateway.routes.reception_settlement import ReceptionSettlementRoutes
from apigateway.routes.reception_tracking import ReceptionTrackingRoutes
from apigateway.routes.training import TrainingRoutes
from apigateway.routes.workshop import WorkshopRoutes
from apigateway.routes.workshop_diagnosis import WorkshopDiagnosisRoutes
from apigateway.routes.workshop_dispatch import WorkshopDispatchRoutes
from apigateway.routes.workshop_facilities import WorkshopFacilitiesRoutes
from apigateway.routes.workshop_progress import WorkshopProgressRoutes
from apigateway.routes.workshop_quoting import WorkshopQuotingRoutes
from svckit.auth import Auth
from svckit.db import Database
from svckit.rpc import ServiceRpc

__all__ = ["GatewayService", "SERVICES"]


class GatewayService(PlatformRoutes, AccountRoutes, CrmRoutes, PartsRoutes, PartsImportsRoutes, PartsStocktakeRoutes,
                     PartsProcurementRoutes, PartsSalesRoutes, PartsTransfersRoutes, PartsAnalysisRoutes,
                     ReceptionRoutes, ReceptionAppointmentsRoutes, ReceptionSettlementRoutes,
                     ReceptionTrackingRoutes, WorkshopRoutes, WorkshopDiagnosisRoutes, WorkshopQuotingRoutes,
                     WorkshopDispatchRoutes, WorkshopProgressRoutes, WorkshopFacilitiesRoutes, QualityRoutes,
                     TrainingRoutes):
    name = "gateway"

    db = Database(Base.metadata, migrations="apigateway:migrations")
    auth = Auth()
    config = Config()
    reception = ServiceRpc("reception")
    workshop = ServiceRpc("workshop")
    parts = ServiceRpc("parts")
    quality = ServiceRpc("quality")
    crm = ServiceRpc("crm")
    training = ServiceRpc("training")
