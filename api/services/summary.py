"""What a fact-checker writes first about each side of a compare answer, from the passages the answer lists."""

from __future__ import annotations

from typing import Any

from text.roles import COMMENT


def _earliest(passages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The passage with the earliest publication date (a date known to the month or year sorts as its start; a
    tie goes to the first listed), or None when no passage is dated."""
    dated = [p for p in passages if p.get("published")]
    if not dated:
        return None
    first = min(dated, key=lambda p: str(p["published"]))
    return {k: first.get(k) for k in ("passage_id", "document_id", "outlet", "published")}


def side_summary(passages: list[dict[str, Any]]) -> dict[str, Any]:
    """One side's evidence in figures: the outlet's own text only (reader comments apart): how many passages and
    independent sources (origins), which outlets and languages, the earliest dated report, and whether every passage
    restates one origin (one source repeated, however many outlets carry it)."""
    own = [p for p in passages if p.get("role") != COMMENT]
    origins = {(p.get("origin") or {}).get("id") or p.get("origin_id") for p in own}
    return {
        "passages": len(own),
        "independent_sources": len(origins),
        "outlets": sorted({p["outlet"] for p in own if p.get("outlet")}),
        "languages": sorted({p["language"] for p in own if p.get("language")}),
        "earliest": _earliest(own),
        "one_origin_repeated": len(own) > 1 and len(origins) == 1,
    }
