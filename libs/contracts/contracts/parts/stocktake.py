"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy."""

__all__ = ["EVENTS"]

EVENTS = []
