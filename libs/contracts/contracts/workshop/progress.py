"""workshop progress: filled in by its area."""

EVENTS = []
