"""One labelled (claim, passage) pair with its provenance and its stable split (by source sentence)."""

from __future__ import annotations

import hashlib
from typing import Any

from training.factory.sources import Sentence

HELD_OUT = 10  # percent, by source sentence (all variants of one sentence land in the same split)


def split_of(uid: str) -> str:
    """'heldout' for a stable tenth of source sentences, else 'train'."""
    return "heldout" if int(hashlib.sha1(uid.encode()).hexdigest(), 16) % 100 < HELD_OUT else "train"


def pair(
    claim: str,
    passage: str,
    label: str,
    src: Sentence,
    transform: str,
    claim_lang: str,
    passage_lang: str,
    source: str | None = None,
) -> dict[str, Any]:
    """One labelled pair with its provenance."""
    return {
        "claim": claim,
        "passage": passage,
        "label": label,
        "source": source or src.source,
        "transform": transform,
        "claim_lang": claim_lang,
        "passage_lang": passage_lang,
        "uid": src.uid,
        "split": split_of(src.uid),
    }
