"""workshop quoting tables: filled in by its area."""
