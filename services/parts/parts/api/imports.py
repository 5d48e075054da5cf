"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line."""


class CatalogueImportApi:
    """Entrypoints of this area (mixed into PartsService)."""
