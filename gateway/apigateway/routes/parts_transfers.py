"""Transfers of stock between the sites of the group, with stock in transit."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsTransfersRoutes:
    """Routes of this area (mixed into GatewayService)."""
