"""workshop: repair orders from opening to completion (manual 2.2, 4.1-4.3, 9)."""
