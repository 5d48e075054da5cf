"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsSalesRoutes:
    """Routes of this area (mixed into GatewayService)."""
