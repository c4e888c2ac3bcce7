"""Opaque page cursors: the last item's sort values, bound to the list and query they came from."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from marshmallow import ValidationError

WINDOW = 10_000  # Elasticsearch's index.max_result_window: from + size may not exceed it


def _scope(kind: str, query: str) -> str:
    return hashlib.sha256(f"{kind}\x00{query}".encode()).hexdigest()[:12]


def encode(kind: str, query: str, sort_values: Sequence[Any]) -> str:
    """A URL-safe cursor that resumes after an item with these sort values."""
    raw = json.dumps({"s": _scope(kind, query), "a": list(sort_values)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(kind: str, query: str, cursor: str, field: str = "cursor") -> list[Any]:
    """The sort values in a cursor; 422 naming `field` when it is malformed or from another list or query."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = raw["a"]
        valid = raw["s"] == _scope(kind, query) and isinstance(after, list) and 0 < len(after) <= 4
        valid = valid and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in after)
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid:
        raise ValidationError({field: ["Not a cursor this list returned for this query."]})
    return list(after)


def page(
    fetch: Callable[[int, int, list[Any] | None], tuple[list[dict[str, Any]], int]],
    kind: str,
    query: str,
    limit: int,
    offset: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], int, str | None]:
    """One page from `fetch(size, offset, after)`, the total, and the cursor of the next page (None on the last)."""
    after = decode(kind, query, cursor) if cursor else None
    # one item more than asked tells whether a next page exists; offset pages stay inside Elasticsearch's
    # 10,000-hit window (the schemas cap offset + limit at it), where the total tells instead
    peek = 1 if after is not None or offset + limit < WINDOW else 0
    hits, total = fetch(limit + peek, offset, after)
    more = len(hits) > limit if peek else offset + limit < total
    hits = hits[:limit]
    next_cursor = encode(kind, query, hits[-1]["_sort"]) if more and hits and hits[-1].get("_sort") else None
    return hits, total, next_cursor
