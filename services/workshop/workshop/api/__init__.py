"""HTTP-free entrypoints of the workshop service, one mixin per area."""
