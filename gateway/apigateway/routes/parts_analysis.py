"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsAnalysisRoutes:
    """Routes of this area (mixed into GatewayService)."""
