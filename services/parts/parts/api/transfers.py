"""Transfers of stock between the sites of the group, with stock in transit."""


class TransferApi:
    """Entrypoints of this area (mixed into PartsService)."""
