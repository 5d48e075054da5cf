"""reception tracking tables: filled in by its area."""
