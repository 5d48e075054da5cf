"""Tables of the transfers area."""
