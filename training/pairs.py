"""Labelled (claim, passage) pairs as JSON Lines, the format the factory writes and the trainer reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_pairs(path: Path | str, limit: int | None = None) -> list[dict[str, Any]]:
    """Factory pairs from a JSON Lines file, the first `limit` of them when given."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows
