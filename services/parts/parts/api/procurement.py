"""Procurement: suppliers, requests for quotation and bids, purchase orders, receiving with inspection, supplier scorecards, replenishment suggestions and purchase plans."""


class ProcurementApi:
    """Entrypoints of this area (mixed into PartsService)."""
