"""reception check in tables: filled in by its area."""
