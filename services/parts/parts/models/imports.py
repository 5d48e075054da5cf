"""Tables of the imports area."""
