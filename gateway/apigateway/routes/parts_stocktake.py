"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsStocktakeRoutes:
    """Routes of this area (mixed into GatewayService)."""
