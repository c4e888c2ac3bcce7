"""Extract an article's outlet, publication date and title from what its text states."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import dateparser

# A `date 2017-10` header at the very start of an archived text.
_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b")
# A labelled publication stamp: "Publisert: 10.02.19 20:59", "Publicerad 2019-02-10", "Published: 3 May 2018".
_PUBLISHED_LABEL = re.compile(
    r"^\s*(?:Publisert|Publicerad|Published|Publiseret|Oppdatert først)\s*:?\s*(?P<date>[^\n]{4,40}?)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
# A line that is only a date, e.g. "Sunday, October 15, 2017".
_DATE_LINE = re.compile(
    r"^\s*(?:[A-Z][a-z]+day,?\s+)?(?:[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+[A-Za-zæøåäö]+\.?\s+\d{4})\s*$",
    re.MULTILINE,
)
# A line that is only a web domain, e.g. "presstv.ir".
_DOMAIN_LINE = re.compile(r"^\s*((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\s*$", re.MULTILINE)
# A source quoted *to* the outlet that publishes it: "sier Bali til VG", "skriver Bali til VG".
_TOLD_TO = re.compile(
    r"\b(?:sier|sa|skriver|sier til|säger|sa till|skriver till|told)\s+(?:[A-ZÆØÅ]\w+\s+)?(?:til|till|to)\s+"
    r"(?P<outlet>[A-ZÆØÅÄÖ]{2,6})\b"
)
_HEAD_LINES = 12


@dataclass
class FieldValue:
    """A metadata value with its provenance: source is 'text', 'curated', 'given' or 'none'."""

    value: Any
    source: str
    evidence: str
    precision: str | None = None

    def provenance(self) -> dict[str, Any]:
        """Provenance as a JSON-ready dict."""
        out: dict[str, Any] = {"source": self.source, "evidence": self.evidence}
        if self.precision:
            out["precision"] = self.precision
        return out


def _head(text: str) -> list[str]:
    """The first non-empty lines, where mastheads, datelines and titles live."""
    return [line.strip() for line in text.splitlines() if line.strip()][:_HEAD_LINES]


def _parse_date(raw: str, order: str) -> FieldValue | None:
    """Parse a stated date to day precision with dateparser, or None."""
    parsed = dateparser.parse(raw, settings={"DATE_ORDER": order, "STRICT_PARSING": True, "PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None
    return FieldValue(parsed.strftime("%Y-%m-%d"), "text", f"stated date {raw.strip()!r}", "day")


def extract_published(text: str) -> FieldValue | None:
    """The most precise publication date the text states, or None."""
    for match in _PUBLISHED_LABEL.finditer(text[:3000]):
        raw = re.sub(r"\s+\d{1,2}[:.]\d{2}$", "", match.group("date").strip())
        found = _parse_date(raw, "DMY")
        if found:
            found.evidence = f"publication stamp {match.group(0).strip()!r}"
            return found
    head = "\n".join(_head(text))
    line = _DATE_LINE.search(head)
    if line:
        found = _parse_date(line.group(0), "MDY")
        if found:
            found.evidence = f"dateline {line.group(0).strip()!r}"
            return found
    header = _DATE_HEADER.match(text)
    if header:
        year, month, day = header.groups()
        if day:
            return FieldValue(f"{year}-{month}-{day}", "text", f"archive header {header.group(0).strip()!r}", "day")
        return FieldValue(f"{year}-{month}", "text", f"archive header {header.group(0).strip()!r}", "month")
    return None


def extract_outlet(text: str) -> FieldValue | None:
    """The outlet named by a masthead domain line or by sources speaking to it, or None."""
    for line in _head(text):
        domain = _DOMAIN_LINE.match(line)
        if domain:
            return FieldValue(domain.group(1).lower(), "text", f"masthead domain line {line!r}")
    told = Counter(m.group("outlet") for m in _TOLD_TO.finditer(text))
    if told:
        outlet, count = told.most_common(1)[0]
        if count >= 2:
            example = next(m.group(0) for m in _TOLD_TO.finditer(text) if m.group("outlet") == outlet)
            return FieldValue(outlet, "text", f"sources speak to {outlet} {count} times, e.g. {example!r}")
    return None


def _is_title(line: str) -> bool:
    """A short headline-like line: 3-15 words, no sentence break inside, no closing period."""
    words = line.split()
    if not 3 <= len(words) <= 15:
        return False
    if re.search(r"[.?]\s", line) or line.endswith((".", ":", ",", "?", ";")):
        return False
    if _DATE_LINE.match(line) or _DOMAIN_LINE.match(line) or "Foto:" in line:
        return False
    return not re.match(r"^\d", line)


def extract_title(text: str) -> FieldValue | None:
    """The first headline-like line among the first three lines, or None."""
    for line in _head(text)[:3]:
        if _is_title(line):
            return FieldValue(line, "text", "first headline-like line of the text")
    return None


def extract_metadata(text: str) -> dict[str, FieldValue]:
    """Every metadata value the text itself states."""
    found = {"published": extract_published(text), "outlet": extract_outlet(text), "title": extract_title(text)}
    return {k: v for k, v in found.items() if v is not None}
