"""Entrypoints of the training service, one mixin per area."""
