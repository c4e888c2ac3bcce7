"""What part of an article a span of text is: body text, a headline, a photo caption or map legend, a reader
comment, a pull quote or a fact box. Read from general layout cues of scraped news pages (comment-thread
markers, photo credits, upper-case caption lead-ins, legends, source lines of encyclopedia boxes, repeated
sentences), never from the wording of any one article."""

from __future__ import annotations

import re
from dataclasses import dataclass

BODY, HEADLINE, CAPTION, COMMENT, QUOTE_BOX, FACT_BOX = "body", "headline", "caption", "comment", "quote_box", "fact_box"
ROLES = (BODY, HEADLINE, CAPTION, COMMENT, QUOTE_BOX, FACT_BOX)
# the order in which a side lists passages of equal standing: the article's own text first
RANK = {BODY: 0, HEADLINE: 0, QUOTE_BOX: 1, FACT_BOX: 1, CAPTION: 2, COMMENT: 3}
SPEAKER = {COMMENT: "reader comment"}

_UPPER = "A-ZÆØÅÄÖÉÜ"
# a comment thread: "6 responses to …", "12 kommentarer", or a reply form heading on a line of its own
_COMMENTS = re.compile(
    r"^\s*(\d+\s+(responses?|comments?|replies|kommentarer|kommentar|svar)\b"
    r"|(leave a (reply|comment)|post a comment|comments|kommentarer|kommentera|legg igjen en kommentar"
    r"|skriv en kommentar|lämna ett svar|lämna en kommentar)\s*:?\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
_CREDIT = re.compile(r"\b(Foto|Photo|Bilde|Bild|Fotograf|Photograph|Illustrasjon|Illustration)\s*:\s*\S", re.IGNORECASE)
_LEGEND = re.compile(rf"\b[{_UPPER}][\w-]*\s=\s\S")
# an upper-case lead-in ("RULLER FREM: …", "SLIK ER SYRIA I DAG: …"), after at most a few lower-case page widgets
_LEAD_IN = re.compile(rf"^\W{{0,3}}(?:[a-z][\w-]*\s+){{0,3}}[{_UPPER}][{_UPPER}0-9 \-]{{2,40}}:\s+\S")
_PULL_QUOTE = re.compile(r"^\s*(pull\s?quote|sitat|citat)\b", re.IGNORECASE)
_SOURCE_LINE = re.compile(r"[.!?»”]\s+(Kilde|Kilder|Källa|Källor|Kjelde|Source|Sources)\s*:\s*\S")
# an encyclopedia box opens by defining its subject: "X (…) er i utgangspunktet en …", "X is a …"
_DEFINITION = re.compile(r"^[^.!?]{0,160}?\b(er|är|is|was|var)\s+(\S+\s+){0,2}(en|ett|et|ei|an?|the)\s", re.IGNORECASE)
_HEADLINE_LINES = 6
_HEADLINE_WORDS = 20
_BOX_REACH = 4
_QUOTE_WORDS = 6


@dataclass(frozen=True)
class Span:
    """A stretch of the article text with one role."""

    start: int
    end: int
    role: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of non-blank lines."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text)]


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def _normalised(piece: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"^[\W\d]+", "", piece)).strip().lower()


def _is_caption(piece: str) -> bool:
    words = len(piece.split())
    if _CREDIT.search(piece) or len(_LEGEND.findall(piece)) >= 2:
        return True
    return bool(_LEAD_IN.match(piece)) and words <= 40


def _headline_lines(text: str, taken: list[Span]) -> list[Span]:
    """Short unpunctuated lines among the article's first lines: its headline and sub-headline."""
    out: list[Span] = []
    for start, end in _lines(text)[:_HEADLINE_LINES]:
        line = text[start:end].strip()
        if any(s.start <= start < s.end for s in taken):
            continue
        one_phrase = not re.search(r"[.?]\s", line) and not line.endswith((".", ":", ";", ",", "?", '"', "”", "»", "…"))
        if len(line.split()) <= _HEADLINE_WORDS and one_phrase and line[:1].isupper():
            out.append(Span(start, end, HEADLINE))
    return out


def spans(text: str) -> list[Span]:
    """Every non-body stretch of an article with its role (body is what no span covers)."""
    found: list[Span] = []
    marker = _COMMENTS.search(text)
    end_of_article = marker.start() if marker else len(text)
    if marker:
        found.append(Span(marker.start(), len(text), COMMENT))
    paragraphs = [(a, b) for a, b in _paragraphs(text) if a < end_of_article]
    # the other paragraphs a pull quote may repeat (marked boxes excluded), in order
    bodies = [_normalised(text[a:b]) if not _PULL_QUOTE.match(text[a:b]) else "" for a, b in paragraphs]
    for i, (start, end) in enumerate(paragraphs):
        piece = text[start:end]
        if _SOURCE_LINE.search(piece):
            first = i
            for j in range(i, max(-1, i - _BOX_REACH - 1), -1):
                if _DEFINITION.match(text[paragraphs[j][0] : paragraphs[j][1]]):
                    first = j
                    break
            found.append(Span(paragraphs[first][0], end, FACT_BOX))
        elif _PULL_QUOTE.match(piece):
            found.append(Span(start, end, QUOTE_BOX))
        elif _is_caption(piece):
            found.append(Span(start, end, CAPTION))
        else:
            quote = _normalised(piece)
            repeated = len(quote.split()) >= _QUOTE_WORDS and any(
                k != i and quote in b and (len(b) > len(quote) or k < i) for k, b in enumerate(bodies)
            )
            if repeated:  # a pull quote repeats a sentence of the body (the later of two identical ones)
                found.append(Span(start, end, QUOTE_BOX))
    found += _headline_lines(text, found)
    return sorted(found, key=lambda s: (s.start, -s.end))


_PRIORITY = (COMMENT, FACT_BOX, QUOTE_BOX, CAPTION, HEADLINE)


def role_at(found: list[Span], offset: int) -> str:
    """The role of the text at an offset: a comment thread or a box wins over what lies inside it; else body."""
    covering = {s.role for s in found if s.start <= offset < s.end}
    return next((role for role in _PRIORITY if role in covering), BODY)
