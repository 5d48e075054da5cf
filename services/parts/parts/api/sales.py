"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders."""


class SalesApi:
    """Entrypoints of this area (mixed into PartsService)."""
