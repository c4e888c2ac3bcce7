"""Pairs in which the claim is said word for word in the passage: the passage itself, or one of its sentences.

A statement supports itself, negation, denial and attribution and all. Trained on news-shaped and NLI pairs alone, a
model can learn that a "not", a denial or a distancing report ("the so-called ... said") in the passage leans to
`contradicts` whatever the claim says, and then read a sentence as contradicting itself (the campaign's weights at
260k pairs did so for a seed sentence: "The so-called Syrian Observatory for Human Rights said ... that the US had
airlifted ..."). These
rows teach the plain case: claim == passage, or claim == one sentence of a longer passage, label `supports`.

They are made from the passages of the mix's own rows and keep the row's group, so a held-out group's identity rows
are held out too. Half are drawn from passages with a negation, a denial or a reporting/distancing word ("so-called",
"claimed": the case that went wrong), half from the rest; the check on passages of sets this was not built on is
bench/identity_pairs.py.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from typing import Any

from sentencex import segment

from training.factory.public import row

Row = dict[str, Any]
# negation and denial words (en, sv, da, nb; de, fr, es for the check on XNLI's passages)
NEGATION = re.compile(
    r"n't\b|\b(not|no|never|denied|denies|deny|inte|ej|aldrig|ingen|inget|förnekade|förnekar|ikke|ikkje|aldri|"
    r"intet|nektet|nekter|benektet|afviste|benægtede|nicht|kein|keine|keinen|niemals|pas|jamais|nunca)\b",
    re.IGNORECASE,
)
# words that report or keep a distance from what is said ("so-called", "claimed", "according to"): a passage that
# attributes a statement still supports the same statement attributed the same way
DISTANCE = re.compile(
    r"\b(so-called|alleged|allegedly|claimed|claims|reportedly|according to|said|says|så kallade|påstod|påstår|"
    r"hävdade|hävdar|enligt|uppger|uppgav|såkalte|såkalt|angivelig|angiveligt|påsto|hevdet|hevder|ifølge|sa|sier|"
    r"sagde|siger)\b",
    re.IGNORECASE,
)


def marked(text: str) -> bool:
    """Whether a passage holds a negation, a denial or a distancing/reporting word (see NEGATION, DISTANCE)."""
    return bool(NEGATION.search(text) or DISTANCE.search(text))


MIN_WORDS, MAX_WORDS = 5, 60


def sentences(passage: str, lang: str) -> list[str]:
    """The passage's sentences, cut by sentencex (the segmenter training.factory.sources uses)."""
    return [s.strip() for s in segment(lang, passage) if s.strip()]


def identity_rows(rows: Iterable[Row], n: int, seed: int = 11) -> list[Row]:
    """Up to n identity rows from distinct passages of `rows`, half of them marked (see `marked`)."""
    seen: set[str] = set()
    flagged: list[Row] = []
    plain: list[Row] = []
    for r in rows:
        passage = r["passage"]
        if passage in seen or not MIN_WORDS <= len(passage.split()) <= MAX_WORDS:
            continue
        seen.add(passage)
        (flagged if marked(passage) else plain).append(r)
    rnd = random.Random(seed)
    rnd.shuffle(flagged)
    rnd.shuffle(plain)
    take = min(n // 2, len(flagged))
    picked = flagged[:take] + plain[: n - take]
    picked += flagged[take : take + n - len(picked)]  # too few plain passages: more marked ones
    out = []
    for r in picked:
        parts = [s for s in sentences(r["passage"], r["passage_lang"]) if len(s.split()) >= MIN_WORDS]
        claim = rnd.choice(parts) if len(parts) > 1 and rnd.random() < 0.5 else r["passage"]
        lang = r["passage_lang"]
        out.append({**row(claim, r["passage"], "supports", "identity", r["group"], lang), "bucket": "identity"})
    return out
