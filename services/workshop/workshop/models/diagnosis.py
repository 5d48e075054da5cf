"""workshop diagnosis tables: filled in by its area."""
