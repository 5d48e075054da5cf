"""The crm service: the customer database, their vehicles, and the care around each visit.

One mixin per area holds its entrypoints; the rules live in crm.rules.
"""
from nameko.dependency_providers import Config
from nameko.rpc import rpc

from crm.api.coupons import CouponApi
from crm.api.customers import CustomerApi
from crm.api.follow_ups import FollowUpApi
from crm.api.messages import MessageApi
from crm.api.recommendations import RecommendationApi
from crm.models import Base
from svckit.auth import Auth
from svckit.db import Database
from svckit.health import health_report


class CrmService(CustomerApi, FollowUpApi, RecommendationApi, MessageApi, CouponApi):
    name = "crm"

    db = Database(Base.metadata, migrations="crm:migrations")
    auth = Auth()
    config = Config()

    @rpc
    def health(self):
        return health_report(self.name, self.db)
