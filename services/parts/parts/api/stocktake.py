"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy."""


class StocktakeApi:
    """Entrypoints of this area (mixed into PartsService)."""
