"""reception appointments tables: filled in by its area."""
