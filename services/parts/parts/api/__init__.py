"""The parts service's entrypoints, one mixin per area; PartsService (service.py) lists them."""
