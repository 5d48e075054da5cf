"""The parts service: the parts department of every site. One mixin per area holds its entrypoints."""
from nameko.dependency_providers import Config
from nameko.rpc import rpc

from parts.api.analysis import AnalysisApi
from parts.api.catalogue import CatalogueApi
from parts.api.imports import CatalogueImportApi
from parts.api.procurement import ProcurementApi
from parts.api.sales import SalesApi
from parts.api.stock import StockApi
from parts.api.stocktake import StocktakeApi
from parts.api.transfers import TransferApi
from parts.models import Base
from svckit.auth import Auth
from svckit.db import Database
from svckit.health import health_report


class PartsService(CatalogueApi, CatalogueImportApi, StockApi, StocktakeApi, ProcurementApi, SalesApi, TransferApi,
                   AnalysisApi):
    name = "parts"

    db = Database(Base.metadata, migrations="parts:migrations")
    auth = Auth()
    config = Config()

    @rpc
    def health(self):
        return health_report(self.name, self.db)
