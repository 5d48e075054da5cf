"""Catalogue import from CSV or XLSX: tens of thousands of rows, progress, bad rows by line."""

__all__ = ["EVENTS"]

EVENTS = []
