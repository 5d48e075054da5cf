"""Tables of the sales area."""
