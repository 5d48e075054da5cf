"""Procurement: suppliers, requests for quotation and bids, purchase orders, receiving with inspection, supplier scorecards, replenishment suggestions and purchase plans."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsProcurementRoutes:
    """Routes of this area (mixed into GatewayService)."""
