"""Tables of the stocktake area."""
