"""Analysis: fill rate, turnover, days of supply, obsolete stock, per site and group."""

__all__ = ["EVENTS"]

EVENTS = []
