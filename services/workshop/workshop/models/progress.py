"""workshop progress tables: filled in by its area."""
