"""Index settings and mappings, kept as JSON data next to the indexer."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).parent / "data"


@cache
def body(kind: str) -> dict[str, Any]:
    """Settings and mappings for one kind of index ('documents', 'passages', 'entities')."""
    return json.loads((_DATA / f"{kind}.json").read_text(encoding="utf-8"))
