"""Spelling-insensitive keys for names: folded case and diacritics, one Arabic article, consonant skeletons."""

from __future__ import annotations

import re
import unicodedata

_ARTICLE = re.compile(r"\b(al|el|ez|es|ad|ed|ar|as|at|an|az|ash|ul|ur)[-\s]+(?=\w)")
# An Arabic article fused with an assimilated sun letter: "Ezzor" (ez-Zor), "Arraqqa" (ar-Raqqa).
_FUSED_ARTICLE = re.compile(r"^[ae]([dlnrstz])\1(?=[a-z]{2})")
_SKELETON_DROP = set("aeiouyhw")


def fold(text: str) -> str:
    """Case- and diacritic-folded text."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def normalise(name: str) -> str:
    """Key insensitive to case, diacritics, hyphens, spaces and the form of the Arabic article."""
    text = fold(name)
    text = re.sub(r"[’']s?$", "", text)
    text = _ARTICLE.sub("al ", text)
    text = re.sub(r"[^a-z0-9]+", "", text)
    return re.sub(r"(?<=[aeiou])h$", "", text)


def _word_skeleton(word: str) -> str:
    word = _FUSED_ARTICLE.sub(r"\1", word)
    if not word:
        return ""
    rest = [c for c in word[1:] if c not in _SKELETON_DROP]
    out = word[0]
    for c in rest:
        if c != out[-1]:
            out += c
    return out


def content_words(name: str) -> list[str]:
    """The folded words of a name without Arabic articles."""
    text = _ARTICLE.sub(" ", fold(name))
    return [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in ("al", "el", "ez", "ad")]


def skeleton(name: str) -> str:
    """Consonant skeleton of a transliterated name: 'Dayr al-Zawr', 'Deir Ezzor', 'Deir ez-Zor' -> 'drzr'."""
    return "".join(_word_skeleton(w) for w in content_words(name))


def slug(name: str) -> str:
    """URL-safe stable id for an entity name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "entity"
