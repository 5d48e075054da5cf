"""PartsService is put together from one mixin per area: no area may silently replace another's method."""
from itertools import combinations

from parts.service import PartsService


def own_names(area):
    return {name for name in vars(area) if not name.startswith("__")}


def test_no_two_areas_define_the_same_name():
    areas = [base for base in PartsService.__mro__[1:] if base.__module__.startswith("parts.api.")]
    assert len(areas) >= 8
    clashes = {(a.__name__, b.__name__): own_names(a) & own_names(b) for a, b in combinations(areas, 2)}
    assert {pair: names for pair, names in clashes.items() if names} == {}
