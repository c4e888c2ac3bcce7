"""Find name mentions in passages: capitalised spans, acronyms, hyphenated compounds, possessives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from text.entity.keys import fold
from text.entity.lexicon import function_words, place_suffixes, titles
from text.passages import Passage

TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\d+")
# Lowercase words that may sit inside a name: "Observatory for Human Rights", "Deir ez-Zor", "bin Laden".
CONNECTORS = frozenset({"for", "of", "de", "del", "al", "el", "ez", "ad", "as", "bin", "ibn"})
_SENTENCE_OPENERS = '.!?:«“”"–-\n('


@dataclass(frozen=True)
class Mention:
    """One surface form of a name in a passage, with absolute offsets into the document."""

    surface: str
    passage_id: str
    document_id: str
    start: int
    end: int
    titled: bool = False
    headline: bool = False


def is_name_token(token: str) -> bool:
    """Capitalised, or an Arabic-article compound with a capitalised part ('ez-Zor', 'al-Zawr')."""
    parts = token.split("-")
    return parts[0][:1].isupper() or (parts[0] in CONNECTORS and any(p[:1].isupper() for p in parts[1:]))


def trim_compound(token: str) -> str:
    """'IS-krigere' -> 'IS', 'ez-Zor-provinsen' -> 'ez-Zor', "USAs" -> 'USA', "Isis’" -> 'Isis'."""
    parts = token.split("-")
    while len(parts) > 1 and parts[-1][:1].islower():
        parts.pop()
    token = "-".join(parts)
    token = re.sub(r"[’']s?$", "", token)
    if re.fullmatch(r"[A-ZÆØÅÄÖ]{2,}s", token):
        token = token[:-1]
    return token


def _runs(text: str) -> list[tuple[int, int]]:
    """Token index ranges [i, j] of maximal capitalised runs, connectors allowed inside."""
    tokens = list(TOKEN.finditer(text))
    runs = []
    i = 0
    while i < len(tokens):
        if not is_name_token(tokens[i].group()):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            current, nxt = tokens[j].group(), tokens[j + 1].group()
            gap = text[tokens[j].end() : tokens[j + 1].start()]
            if gap != " " or ("-" in current and current.split("-")[-1][:1].islower()):
                break
            if is_name_token(nxt) or nxt in CONNECTORS and j + 2 < len(tokens) and is_name_token(tokens[j + 2].group()):
                j += 1
            else:
                break
        runs.append((tokens[i].start(), tokens[j].end()))
        i = j + 1
    return runs


def _strip_edges(text: str, start: int, end: int, opens: bool, lower_words: set[str]) -> tuple[int, int, bool]:
    """Drop leading titles and sentence-initial function words, trailing generic place words."""
    titled = False
    while True:
        first = TOKEN.match(text, start)
        if not first or first.end() >= end:
            break
        word = fold(first.group())
        if word in titles() or word.rstrip(".") in titles():
            titled = True
        elif not (opens and (word in function_words() or word in lower_words) and not first.group().isupper()):
            break
        start = first.end() + 1
        opens = False
    words = text[start:end].split(" ")
    while len(words) > 1 and fold(words[-1]) in place_suffixes():
        words.pop()
    return start, start + len(" ".join(words)), titled


def is_headline(text: str) -> bool:
    """Title Case text ('Daesh Militants Quit Raqqah Under US-backed Deal'), where capitals do not mark names."""
    words = [t.group() for t in TOKEN.finditer(text) if not t.group().isdigit()]
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def find_mentions(passage: Passage, lower_words: set[str] | None = None) -> list[Mention]:
    """Name mentions in a passage; a lone function word or known lowercase word at a sentence start is not a name.

    In a Title Case headline every capitalised word is a candidate on its own, flagged `headline`.
    """
    text = passage.text
    lower_words = lower_words or set()
    headline = is_headline(text)
    runs = [(t.start(), t.end()) for t in TOKEN.finditer(text) if is_name_token(t.group())] if headline else _runs(text)
    found = []
    for start, end in runs:
        before = text[:start].rstrip()
        opens = not before or before[-1] in _SENTENCE_OPENERS
        preceded_by_title = bool(before) and fold(before.split()[-1]).rstrip(".,") in titles()
        start, end, titled = _strip_edges(text, start, end, opens, lower_words)
        surface = trim_compound(text[start:end]).strip(" -")
        end = start + len(surface)
        if " " not in surface and not surface.isupper():
            word = fold(surface)
            if word in function_words() or (opens and word in lower_words):
                continue
        if len(surface) < 2 or surface.isdigit():
            continue
        found.append(
            Mention(
                surface,
                passage.passage_id,
                passage.document_id,
                passage.start + start,
                passage.start + end,
                titled or preceded_by_title,
                headline,
            )
        )
    return found


def find_phrase(passage: Passage, phrase: str) -> list[Mention]:
    """Case-insensitive occurrences of a defined name (e.g. 'islamske staten') with an optional possessive -s."""
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"s?(?!\w)", re.IGNORECASE)
    return [
        Mention(m.group(0), passage.passage_id, passage.document_id, passage.start + m.start(), passage.start + m.end())
        for m in pattern.finditer(passage.text)
    ]
