"""reception settlement tables: filled in by its area."""
