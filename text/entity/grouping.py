"""Group mentions into entities by spelling keys, fuzzy matching, corpus definitions, a gazetteer and curated aliases."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from text.entity.gazetteer import is_place, place_id
from text.entity.keys import content_words, fold, normalise, skeleton, slug
from text.entity.lexicon import curated_aliases, function_words, organisation_words
from text.entity.mentions import TOKEN, Mention, find_mentions, find_phrase
from text.passages import Passage

# Levenshtein ratio on normalised keys above which two names are one spelling of the same name; read off the
# pairs that bench/entity_threshold.py prints for the seed corpus (6,555 pairs): true variants score 90+
# ('Mostafa Bali'/'Mustafa Bali' 90.9), the closest distinct pair that ends alike scores 78 ('Dillon'/'Ryan Dillon').
# Keys must also end alike (_SAME_ENDING): inflection is suffixal in en/nb/sv ('Syrians'/'Syrias' 92.3 are not one).
FUZZY_THRESHOLD = 88
_SAME_ENDING = 3
_MIN_FUZZY_LEN = 6
_MIN_SKELETON = 4
# "Long name (A, B, C)": the parenthesis lists names or acronyms for the words just before it.
_PAREN = re.compile(r"\(([^()]{2,80})\)")
_ITEM = re.compile(r"^(?:[A-ZÆØÅÄÖ][\w’'-]*|(?:al|el|ez|ad|as)-[A-Z][\w’'-]*)(?:[ -][\w’'-]+){0,4}$")


@dataclass
class Entity:
    """A group of mentions that name the same thing."""

    entity_id: str
    name: str
    type: str | None
    keys: set[str] = field(default_factory=set)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        """Documents that mention the entity, sorted."""
        return sorted({m.document_id for m in self.mentions})


def fuzzy_same(a: str, b: str) -> bool:
    """Two normalised keys are spellings of one name: long enough, alike, same ending, neither a prefix of the other."""
    if min(len(a), len(b)) < _MIN_FUZZY_LEN or a[-_SAME_ENDING:] != b[-_SAME_ENDING:]:
        return False
    return not (a.startswith(b) or b.startswith(a)) and fuzz.ratio(a, b) >= FUZZY_THRESHOLD


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


def _long_form_before(text: str, end: int) -> str | None:
    """The name just before a parenthesis: a run starting with a capital, at most two lowercase words."""
    words = text[:end].rstrip().split(" ")
    picked: list[str] = []
    lowercase = 0
    for word in reversed(words):
        if not word or word[-1] in '.,;:!?»”")':
            break
        if word[:1].islower():
            lowercase += 1
            if lowercase > 2:
                break
        picked.insert(0, word)
    while picked and picked[0][:1].islower():
        picked.pop(0)
    return " ".join(picked) if picked else None


def _phrase(long: str) -> str:
    """A defined name written in lower case, as searched for: no leading function words, no genitive -s."""
    words = long.split()
    while len(words) > 1 and fold(words[0]) in function_words():
        words.pop(0)
    return re.sub(r"(?<=[a-zæøåäö])s$", "", " ".join(words))


def definitions(passages: Iterable[Passage]) -> list[tuple[str, list[str]]]:
    """Names the corpus defines in parentheses: 'Syrian Observatory for Human Rights (SOHR)', 'IS-staten (IS, ISIL)'."""
    found = []
    for p in passages:
        for m in _PAREN.finditer(p.text):
            items = [i.strip() for i in m.group(1).split(",")]
            if not items or not all(_ITEM.match(i) for i in items):
                continue
            long = _long_form_before(p.text, m.start())
            if long:
                found.append((long, items))
    return found


def _resolve(long: str, keys: set[str]) -> str | None:
    """The key of the longest tail of a long form that the corpus mentions as a name."""
    words = long.split()
    for i in range(len(words)):
        key = normalise(" ".join(words[i:]))
        if key in keys:
            return key
    return None


def _is_person_like(surface: str) -> bool:
    words = surface.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(fold(w) in organisation_words() for w in words)
    )


def _curated_groups() -> list[tuple[dict[str, Any], set[str]]]:
    return [(entry, {normalise(_phrase(a)) for a in entry["aliases"]}) for entry in curated_aliases()]


def _collect(passages: Sequence[Passage]) -> tuple[dict[str, list[Mention]], list[tuple[str, list[str]]]]:
    """Mentions by key, and the corpus's definitions resolved to keys (defined lower-case names searched as phrases)."""
    lower_words = {t.group() for p in passages for t in TOKEN.finditer(p.text) if t.group().islower()}
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for p in passages:
        for m in find_mentions(p, lower_words):
            key = normalise(m.surface)
            if key:
                by_key[key].append(m)
    for key in [k for k, ms in by_key.items() if all(m.headline for m in ms)]:
        if not any(m.surface.isupper() for m in by_key[key]):
            del by_key[key]
    _attach_surnames(by_key)
    resolved: list[tuple[str, list[str]]] = []
    for long, items in definitions(passages):
        found = _resolve(long, set(by_key))
        if found is None and any(w[:1].islower() for w in long.split()):
            phrase = _phrase(long)
            key = normalise(phrase)
            if key and key not in by_key:
                # a long form across a line break ("in April.\nglb/sb (Reuters, AFP)") is found nowhere as a phrase
                mentions = [m for p in passages for m in find_phrase(p, phrase)]
                if mentions:
                    by_key[key] = mentions
            found = key if key in by_key else None
        if found:
            resolved.append((found, items))
    return by_key, resolved


def _link(groups: _Groups, by_key: dict[str, list[Mention]], defs: list[tuple[str, list[str]]]) -> None:
    """Union keys that name the same thing."""
    keys = sorted(by_key)
    surfaces = {k: Counter(m.surface for m in by_key[k]).most_common(1)[0][0] for k in keys}
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    by_place: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        name = surfaces[k]
        if len(content_words(name)) >= 2 and len(skeleton(name)) >= _MIN_SKELETON:
            by_skeleton[skeleton(name)].append(k)
        place = place_id(name)
        if place:
            by_place[place].append(k)
    for bucket in (*by_skeleton.values(), *by_place.values()):
        for k in bucket[1:]:
            groups.union(bucket[0], k)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if fuzzy_same(a, b):
                groups.union(a, b)
    for k in keys:
        # Scandinavian genitive and English plural: 'Syrias' -> 'Syria', 'Syrians' -> 'Syrian' (not acronyms: ISIS)
        if k.endswith("s") and k[:-1] in by_key and not surfaces[k].isupper():
            groups.union(k[:-1], k)
    for lk, items in defs:
        for item in items:
            ik = normalise(item)
            if lk in by_key and ik in by_key:
                groups.union(lk, ik)
    for _, alias_keys in _curated_groups():
        present = sorted(alias_keys & set(keys))
        for k in present[1:]:
            groups.union(present[0], k)


def _attach_surnames(by_key: dict[str, list[Mention]]) -> None:
    """A lone surname in a document that names the person in full becomes a mention of that person ('Bali')."""
    full_names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, ms in by_key.items():
        for m in ms:
            if _is_person_like(m.surface) and place_id(m.surface) is None:
                full_names[(m.document_id, normalise(m.surface.split()[-1]))].add(key)
    for key in list(by_key):
        keep = []
        for m in by_key[key]:
            targets = full_names.get((m.document_id, key), set())
            if " " in m.surface or m.surface.isupper() or len(targets) != 1:
                keep.append(m)
            else:
                by_key[next(iter(targets))].append(m)
        if keep:
            by_key[key] = keep
        else:
            del by_key[key]


def _type(keys: set[str], ms: list[Mention], defs_long: set[str], curated_type: str | None) -> str | None:
    if curated_type:
        return curated_type
    surfaces = {m.surface for m in ms}
    if any(m.titled for m in ms):
        return "person"
    if any(is_place(s) for s in surfaces):
        return "place"
    if keys & defs_long or any(fold(w) in organisation_words() for s in surfaces for w in s.split()):
        return "organisation"
    if any(_is_person_like(s) for s in surfaces) and any(" " not in s for s in surfaces):
        return "person"
    return None


def _display_name(ms: list[Mention]) -> str:
    counts = Counter(m.surface for m in ms)
    multi = [(n, s) for s, n in counts.items() if " " in s and s[:1].isupper()]
    return max(multi)[1] if multi else counts.most_common(1)[0][0]


def build_entities(passages: Sequence[Passage]) -> list[Entity]:
    """Group the corpus's mentions into entities, most mentioned first."""
    by_key, defs = _collect(passages)
    groups = _Groups()
    for key in by_key:
        groups.find(key)
    _link(groups, by_key, defs)
    clusters: dict[str, list[str]] = defaultdict(list)
    for key in sorted(by_key):
        clusters[groups.find(key)].append(key)
    defs_long = {key for key, _ in defs}
    curated = _curated_groups()
    entities = []
    used: set[str] = set()
    for members in clusters.values():
        ms = [m for k in members for m in by_key[k]]
        entry = next((e for e, alias_keys in curated if alias_keys & set(members)), None)
        name = str(entry["name"]) if entry else _display_name(ms)
        entity_id = slug(name)
        while entity_id in used:
            entity_id += "-2"
        used.add(entity_id)
        aliases: dict[str, set[str]] = defaultdict(set)
        for m in ms:
            aliases[m.surface].add(m.document_id)
        keys = set(members) | {skeleton(s) for s in aliases if len(skeleton(s)) >= _MIN_SKELETON}
        if entry:
            keys |= {normalise(_phrase(a)) for a in entry["aliases"]}
        etype = _type(set(members), ms, defs_long, str(entry["type"]) if entry else None)
        entities.append(Entity(entity_id, name, etype, keys, dict(aliases), ms))
    return sorted(entities, key=lambda e: (-len(e.mentions), e.entity_id))
