"""Pairs of a claim and the passage e5 retrieval finds nearest to it among texts of another kind: `neither`.

In a large archive most of what compare hands the model is near the claim in e5 space and says nothing about it:
in the 46k archive of bench/archive_build.py the 286k weights sided 40 passages of added documents for the dev
claims and their variants and hardly one was right ("Raqqa är nästan helt förstört." against the Norwegian
"Konklusjonen er meget krass.", contradicts 0.74). The mix's `neither` rows are random pairs (easy) or pairs
from one article or one NLI premise (same story); nothing taught the model the retrieval neighbour from another
story. These rows do: for a claim of one family of sources, the passage nearest to it by the e5 cosine compare
uses, among the mix's passages of the *other* families (encyclopaedia, news, NLI captions, debate), all languages
together as compare's kNN searches them. Crossing families keeps the label safe: a Wikipedia sentence, a news
sentence and an image caption drawn from different sets do not state each other's facts, however close their words.

Built from training rows for training and from held-out rows for held-out (the same split as the rows they come
from), so the calibration and the campaign's checkpoint reading see them too. Embeddings are cached under
build/retrieved/ by the hash of the texts, so a rebuilt mix costs no second embedding pass.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.arrays import cached
from training.factory.public import row

Row = dict[str, Any]
ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "retrieved"
# bucket -> family of sources; buckets not named here give neither claims nor passages
FAMILY = {
    "vitaminc": "encyclopaedia",
    "vitaminc-synthetic": "encyclopaedia",
    "danfever": "encyclopaedia",
    "danfever-nb": "encyclopaedia",
    "fm2": "encyclopaedia",
    "factory-monolingual": "news",
    "factory-crosslingual": "news",
    "factory-nli": "news",
    "snli": "nli",
    "swenli": "nli",
    "swenli-nb": "nli",
    "swenli-cross": "nli",
    "nli-hard": "nli",
    "perspectrum": "debate",
}
TOP = 5  # the passage is drawn from the claim's TOP nearest of other families


def embed_cached(texts: Sequence[str], query: bool, tag: str) -> np.ndarray:
    """e5 vectors of texts (as queries or as passages), cached by the hash of the texts."""
    key = hashlib.sha1(("q" if query else "p").encode() + "\n".join(texts).encode()).hexdigest()[:16]

    def vectors() -> np.ndarray:
        from text.embedding import embed_passages, embed_queries

        return np.asarray(embed_queries(texts) if query else embed_passages(texts), dtype=np.float32)

    return cached(CACHE / f"{tag}-{key}.npy", vectors)


def near_draw(pool: np.ndarray, query: np.ndarray, allowed: np.ndarray, rnd: random.Random) -> tuple[int, float] | None:
    """One of the TOP pool vectors nearest the query among the allowed indices, drawn at random: its index in the
    pool and its cosine (rounded); None when nothing is allowed."""
    if not len(allowed):
        return None
    scores = pool[allowed] @ query
    top = np.argsort(-scores)[:TOP]
    j = int(top[rnd.randrange(len(top))])
    return int(allowed[j]), round(float(scores[j]), 4)


def retrieved_rows(rows: list[Row], n_claims: int, n_pool: int, seed: int = 13, tag: str = "train") -> list[Row]:
    """Up to n_claims `neither` rows: a claim of the rows and, drawn from its TOP nearest passages (e5 cosine) among
    up to n_pool distinct passages of the rows' other families, one passage; the claim's row gives the group."""
    rnd = random.Random(seed)
    kept = [r for r in rows if r.get("bucket") in FAMILY]
    claims: dict[str, Row] = {}
    passages: dict[str, Row] = {}
    for r in kept:
        claims.setdefault(r["claim"], r)
        passages.setdefault(r["passage"], r)
    claim_rows = rnd.sample(sorted(claims.values(), key=lambda r: r["claim"]), min(n_claims, len(claims)))
    pool = rnd.sample(sorted(passages.values(), key=lambda r: r["passage"]), min(n_pool, len(passages)))
    q = embed_cached([r["claim"] for r in claim_rows], True, f"{tag}-claims")
    p = embed_cached([r["passage"] for r in pool], False, f"{tag}-pool")
    family = np.array([FAMILY[r["bucket"]] for r in pool])
    out = []
    for i, r in enumerate(claim_rows):
        drawn = near_draw(p, q[i], np.flatnonzero(family != FAMILY[r["bucket"]]), rnd)
        if drawn is None:
            continue
        pick = pool[drawn[0]]
        lang = r["claim_lang"]
        item = row(r["claim"], pick["passage"], "neither", "retrieved", r["group"], lang, pick["passage_lang"])
        out.append(item | {"bucket": "retrieved", "cosine": drawn[1]})
    return out
