"""The entrypoints of the crm service, one mixin per area."""
