"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line."""
from apigateway.http import api  # noqa: F401
from contracts import parts as c  # noqa: F401


class PartsImportsRoutes:
    """Routes of this area (mixed into GatewayService)."""
