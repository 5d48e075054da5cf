"""reception: the service advisor's desk, vehicle check-in and delivery (manual 2.1, 4.1.1, 4.1.5)."""
