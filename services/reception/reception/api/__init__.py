"""The entrypoints of the reception service, one mixin per area."""
