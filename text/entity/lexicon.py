"""Word lists the entity layer reads from text/data: function words, titles, organisation words, curated aliases."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from text.entity.keys import fold

_DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def _load(name: str) -> Any:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Closed-class words of en, nb and sv, which never start a name at the opening of a sentence."""
    raw = _load("function_words.json")
    return frozenset(fold(w) for lang in ("en", "nb", "sv") for w in raw[lang]) | calendar_words()


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Names of weekdays and months (folded): capitalised in English, never entities."""
    return frozenset(fold(w) for w in _load("name_words.json")["calendar"])


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Titles and roles that precede a person's name (folded)."""
    return frozenset(_load("name_words.json")["titles"])


@lru_cache(maxsize=1)
def organisation_words() -> frozenset[str]:
    """Words that make a name an organisation's (folded)."""
    return frozenset(_load("name_words.json")["organisation_words"])


@lru_cache(maxsize=1)
def place_suffixes() -> frozenset[str]:
    """Generic place words that trail a place name: 'Province', 'City'."""
    return frozenset(_load("name_words.json")["place_suffixes"])


@lru_cache(maxsize=1)
def curated_aliases() -> list[dict[str, Any]]:  # entries: name, type, aliases, reason
    """Groups of names a newsroom knows to be one entity (general world knowledge, documented per entry)."""
    return list(_load("aliases.json")["entities"])
