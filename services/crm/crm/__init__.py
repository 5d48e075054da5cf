"""crm: the customer database, vehicles and care calls after service (manual chapter 7)."""
