"""Find entity mentions in passages and group spelling variants into entities, from the corpus itself."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from index.passages import Passage

_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\d+")
# Lowercase words that may sit inside a name: "Observatory for Human Rights", "Deir ez-Zor", "bin Laden".
_CONNECTORS = {"for", "of", "de", "del", "al", "el", "ez", "ad", "as", "bin", "ibn"}
_ARTICLE = re.compile(r"\b(al|el|ez|es|ad|ed|ar|as|at|an|az|ash|ul)[-\s]+(?=\w)")
_PAREN_DEF = re.compile(r"(?P<long>(?:[A-ZÆØÅÄÖ][\w’'-]*\s+(?:(?:for|of|the|and)\s+)?){1,8})\((?P<short>[A-ZÆØÅÄÖ]{2,8})\)")
_FUNCTION_WORDS = Path(__file__).parent / "data" / "function_words.json"
FUZZY_THRESHOLD = 92
_MIN_FUZZY_LEN = 6


@dataclass(frozen=True)
class Mention:
    """One surface form of a name in a passage."""

    surface: str
    passage_id: str
    document_id: str
    start: int
    end: int


@dataclass
class Entity:
    """A group of mentions that name the same thing."""

    entity_id: str
    name: str
    keys: set[str] = field(default_factory=set)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        """Documents that mention the entity, sorted."""
        return sorted({m.document_id for m in self.mentions})

    @property
    def type(self) -> str | None:
        """A coarse type where the surface tells it (acronyms are organisations), otherwise None."""
        if any(re.fullmatch(r"[A-ZÆØÅÄÖ]{2,8}", a) for a in self.aliases) and len(self.name.split()) > 1:
            return "organisation"
        return None


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Closed-class words of en, nb and sv, which never start a name at the opening of a sentence."""
    raw = json.loads(_FUNCTION_WORDS.read_text(encoding="utf-8"))
    return frozenset(w for lang in ("en", "nb", "sv") for w in raw[lang])


def normalise(name: str) -> str:
    """Spelling-insensitive key: folded case and diacritics, one Arabic article form, no spaces or hyphens."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’']s$", "", text)
    text = _ARTICLE.sub("al ", text)
    text = re.sub(r"[^a-z0-9]+", "", text)
    return re.sub(r"(?<=[aeiou])h$", "", text)


def slug(name: str) -> str:
    """URL-safe stable id for an entity name."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


def _is_name_token(token: str) -> bool:
    """Capitalised, or an Arabic-article compound with a capitalised part ('ez-Zor', 'al-Zawr')."""
    parts = token.split("-")
    return parts[0][:1].isupper() or (parts[0] in _CONNECTORS and any(p[:1].isupper() for p in parts[1:]))


def _trim_compound(token: str) -> str:
    """'IS-krigere' -> 'IS', 'ez-Zor-provinsen' -> 'ez-Zor', "USAs" -> 'USA': drop lowercase tails."""
    parts = token.split("-")
    while len(parts) > 1 and parts[-1][:1].islower():
        parts.pop()
    token = "-".join(parts)
    token = re.sub(r"[’']s$", "", token)
    if re.fullmatch(r"[A-ZÆØÅÄÖ]{2,}s", token):
        token = token[:-1]
    return token


def find_mentions(passage: Passage) -> list[tuple[Mention, bool]]:
    """Capitalised spans and acronyms in a passage; the flag says whether the span opens a sentence."""
    tokens = list(_TOKEN.finditer(passage.text))
    found: list[tuple[Mention, bool]] = []
    i = 0
    while i < len(tokens):
        if not _is_name_token(tokens[i].group()):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            nxt = tokens[j + 1].group()
            gap = passage.text[tokens[j].end() : tokens[j + 1].start()]
            if gap not in (" ", "-") or "-" in tokens[j].group() and tokens[j].group().split("-")[-1][:1].islower():
                break
            if _is_name_token(nxt) or (nxt in _CONNECTORS and j + 2 < len(tokens) and _is_name_token(tokens[j + 2].group())):
                j += 1
                continue
            break
        start = tokens[i].start()
        last = _trim_compound(tokens[j].group())
        end = tokens[j].start() + len(last)
        surface = passage.text[start:end].strip(" -")
        if i == j:
            surface = _trim_compound(surface)
            end = start + len(surface)
        before = passage.text[:start].rstrip()
        opens = not before or before[-1] in '.!?:«“”"–-\n('
        if len(surface) >= 2 and not surface.isdigit():
            found.append(
                (Mention(surface, passage.passage_id, passage.document_id, passage.start + start, passage.start + end), opens)
            )
        i = j + 1
    return found


def _definitions(passages: Iterable[Passage]) -> list[tuple[str, str]]:
    """Acronyms the corpus defines in parentheses: 'Syrian Observatory for Human Rights (SOHR)'."""
    pairs = []
    for p in passages:
        for m in _PAREN_DEF.finditer(p.text):
            pairs.append((m.group("long").strip(), m.group("short")))
    return pairs


def _drop_function_word(m: Mention, opens: bool, lower_words: set[str]) -> tuple[Mention | None, bool]:
    """Drop a sentence-initial word the corpus also writes in lower case ('The US' -> 'US', 'Den' -> none)."""
    if not opens:
        return m, opens
    first, _, rest = m.surface.partition(" ")
    if first.isupper() or (first.lower() not in lower_words and first.lower() not in function_words()):
        return m, opens
    if not rest:
        return None, opens
    shift = len(first) + 1
    return Mention(rest, m.passage_id, m.document_id, m.start + shift, m.end), False


class _Groups:
    """Union-find over normalised keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_entities(passages: Sequence[Passage]) -> list[Entity]:
    """Group the corpus's mentions into entities by normalised key, fuzzy spelling and defined acronyms."""
    lower_words = {t.group() for p in passages for t in _TOKEN.finditer(p.text) if t.group().islower()}
    raw: list[tuple[Mention, bool]] = []
    for p in passages:
        for found, opens in find_mentions(p):
            kept, opens = _drop_function_word(found, opens, lower_words)
            if kept is not None:
                raw.append((kept, opens))
    mid_sentence = {m.surface for m, opens in raw if not opens}
    mentions = [m for m, opens in raw if not opens or m.surface in mid_sentence or m.surface.isupper() or " " in m.surface]
    groups = _Groups()
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        key = normalise(m.surface)
        if key:
            by_key[key].append(m)
            groups.find(key)
    keys = sorted(by_key)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if min(len(a), len(b)) >= _MIN_FUZZY_LEN and fuzz.ratio(a, b) >= FUZZY_THRESHOLD:
                groups.union(a, b)
    for long, short in _definitions(passages):
        words = long.split()
        while words and words[0].lower() in function_words():
            words.pop(0)
        lk, sk = normalise(" ".join(words)), normalise(short)
        if lk in by_key and sk in by_key:
            groups.union(lk, sk)
    clusters: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        clusters[groups.find(key)].append(key)
    entities = []
    used: set[str] = set()
    for members in clusters.values():
        ms = [m for k in members for m in by_key[k]]
        name = Counter(m.surface for m in ms).most_common(1)[0][0]
        entity_id = slug(name)
        while entity_id in used:
            entity_id += "-x"
        used.add(entity_id)
        aliases: dict[str, set[str]] = defaultdict(set)
        for m in ms:
            aliases[m.surface].add(m.document_id)
        entities.append(Entity(entity_id, name, set(members), dict(aliases), ms))
    return sorted(entities, key=lambda e: (-len(e.mentions), e.entity_id))
