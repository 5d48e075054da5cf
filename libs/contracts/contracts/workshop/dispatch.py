"""workshop dispatch: filled in by its area."""

EVENTS = []
