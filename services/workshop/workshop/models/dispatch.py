"""workshop dispatch tables: filled in by its area."""
