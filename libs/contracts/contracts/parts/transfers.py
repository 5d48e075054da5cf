"""Transfers of stock between the sites of the group, with stock in transit."""

__all__ = ["EVENTS"]

EVENTS = []
