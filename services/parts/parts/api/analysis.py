"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group."""


class AnalysisApi:
    """Entrypoints of this area (mixed into PartsService)."""
