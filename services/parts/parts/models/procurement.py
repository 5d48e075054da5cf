"""Tables of the procurement area."""
