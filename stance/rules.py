"""A first, transparent stance rule: relevance from e5 similarity, polarity from negation cues."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Negation and denial cues in English, Norwegian and Swedish.
_NEGATION = re.compile(
    r"\b(not|no|never|n't|none|nobody|denied|denies|deny|rejected|refused|"
    r"ikke|ikkje|aldri|ingen|intet|nektet|nekter|avviste|avviser|"
    r"inte|icke|aldrig|inga|inget|förnekade|förnekar|avvisade|avvisar)\b",
    re.IGNORECASE,
)
SUPPORTS, CONTRADICTS, NEITHER = "supports", "contradicts", "neither"


@dataclass(frozen=True)
class Judgement:
    """A stance with a confidence in [0, 1]."""

    stance: str
    confidence: float


# "not only X but Y", "ikke bare", "inte bara", "inte endast": additive, not negation.
_NOT_ONLY = re.compile(r"\b(not (only|just|merely)|ikke (bare|bara|kun)|inte (bara|endast|enbart))\b", re.IGNORECASE)


def negated(text: str) -> bool:
    """True when the text carries an odd number of negation or denial cues ('not only' does not count)."""
    text = _NOT_ONLY.sub(" ", text.replace("n’t", "n't"))
    return len(_NEGATION.findall(text)) % 2 == 1


def judge(claim: str, passage: str, relevance: float, min_relevance: float) -> Judgement:
    """Neither below the relevance bar; otherwise contradicts when polarity differs, else supports."""
    if relevance < min_relevance:
        return Judgement(NEITHER, round(1.0 - relevance, 3))
    confidence = round(min(1.0, max(0.0, (relevance - min_relevance) / (1.0 - min_relevance))), 3)
    if negated(claim) != negated(passage):
        return Judgement(CONTRADICTS, confidence)
    return Judgement(SUPPORTS, confidence)
