"""HTTP routes of the gateway, one module per service behind it."""
