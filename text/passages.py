"""Split a document into quotable passages with exact character offsets into the original text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sentencex import segment

from text.language import SUPPORTED, detect
from text.roles import role_at, spans

_DATA = Path(__file__).parent / "data" / "boilerplate.json"
_MIN_WORDS = 3
_TERMINAL = (".", "!", "?", "»", "”", '"', "…", ")")


@dataclass(frozen=True)
class Passage:
    """A quotable span: `text == document[start:end]`."""

    document_id: str
    position: int
    start: int
    end: int
    text: str
    language: str
    role: str = "body"  # text.roles.ROLES: body, headline, caption, comment, quote_box, fact_box

    @property
    def passage_id(self) -> str:
        """Deterministic id from the document id and the offsets, so re-indexing is idempotent."""
        return f"{self.document_id}:{self.start}-{self.end}"


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """Boilerplate patterns, compiled once."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {
        "drop": [re.compile(p, re.IGNORECASE) for p in raw["drop"]],
        "strip": [re.compile(p, re.IGNORECASE) for p in raw["strip"]],
        "trailing": [re.compile(p) for p in raw["trailing"]],
        "continuation": set(raw["continuation_words"]),
    }


def _spans(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) located in the original text, whitespace trimmed, per paragraph line."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    seg_lang = language if language in SUPPORTED else "en"
    for piece in segment(seg_lang, text):
        stripped = piece.strip()
        if not stripped:
            cursor += len(piece)
            continue
        found = text.find(stripped, cursor)
        if found < 0:
            continue
        # sentencex may keep line breaks inside a segment: split there, lines are separate units here
        offset = found
        for line in stripped.split("\n"):
            start = text.find(line, offset) if line.strip() else -1
            if start >= 0:
                lead = len(line) - len(line.lstrip())
                spans.append((start + lead, start + len(line.rstrip())))
                offset = start + len(line)
        cursor = found + len(stripped)
    return spans


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim boilerplate prefixes and suffixes; None when the whole span is boilerplate."""
    rules = _rules()
    for _ in range(3):
        piece = text[start:end]
        for pattern in rules["strip"]:
            m = pattern.match(piece)
            if m:
                start += m.end()
                piece = text[start:end]
        for pattern in rules["trailing"]:
            m = pattern.search(piece)
            if m and m.start() > 0:
                end = start + m.start()
                piece = text[start:end]
    piece = text[start:end].strip()
    if not piece or any(p.match(piece) for p in rules["drop"]):
        return None
    return start, end


def _needs_next(piece: str) -> bool:
    """A lead-in that is meaningless alone: ends with a colon or a dangling function word."""
    if piece.endswith(":"):
        return True
    last = piece.rsplit(None, 1)[-1].lower() if piece.split() else ""
    return not piece.endswith(_TERMINAL) and last in _rules()["continuation"]


def _continues(text: str, prev_end: int, start: int) -> bool:
    """A segment that starts in lower case within the same paragraph continues the previous sentence."""
    return text[start : start + 1].islower() and "\n\n" not in text[prev_end:start]


def _too_short(piece: str) -> bool:
    """Fragments of fewer than three words without closing punctuation (bylines, source tags)."""
    return len(piece.split()) < _MIN_WORDS and not piece.endswith(("!", "?"))


def split_passages(document_id: str, text: str, language: str) -> list[Passage]:
    """Quotable passages of a document, in order, each with exact offsets, its own language and its role."""
    cleaned = [s for s in (_clean(text, a, b) for a, b in _spans(text, language)) if s]
    merged: list[tuple[int, int]] = []
    carry: tuple[int, int] | None = None
    for start, end in cleaned:
        if carry:
            start = carry[0]
            carry = None
        elif merged and _continues(text, merged[-1][1], start):
            start = merged.pop()[0]
        if _needs_next(text[start:end]):
            carry = (start, end)
            continue
        merged.append((start, end))
    if carry:
        merged.append(carry)
    passages: list[Passage] = []
    layout = spans(text)
    for start, end in merged:
        piece = text[start:end]
        if _too_short(piece):
            continue
        lang = detect(piece, fallback=language)
        passages.append(Passage(document_id, len(passages), start, end, piece, lang, role_at(layout, start)))
    return passages
