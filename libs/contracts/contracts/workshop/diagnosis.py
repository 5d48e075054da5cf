"""workshop diagnosis: filled in by its area."""

EVENTS = []
