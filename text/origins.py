"""When two passages of different articles say the same thing (a copy, a near copy or a translation), so that
they count as one source: their e5 cosine reaches a floor measured on translations against same-topic sentences
(bench/origin_threshold.py, FLORES-200, never the archive's own articles), or most of the shorter one's word
5-grams recur verbatim in the other (a quote reused inside another sentence, in any language), or, for a
cross-language pair just under the floor, the stance model reads each as supporting the other
(bench/origin_mutual.py) — asked only of mutual nearest neighbours: each is the other's closest passage in its
language among other documents, the bitext-mining rule that keeps 99.7 % of the band's FLORES translations and
cuts the band's pairs in a 16k-passage archive from 24,043 to 450."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# the least floor whose false-link rate on the fit half is at most 0.05 % of same-topic pairs (0.94: recall
# 0.573, false links 0.0004; check half 0.556 / 0.0001); bench/results/origin_threshold.txt
SAME_ORIGIN_COSINE = 0.94
# below the floor, a cross-language pair whose cosine reaches MUTUAL_BAND restates itself when the stance model
# reads each side as supporting the other at MUTUAL_SUPPORT or more: the lowest threshold whose false links stay at
# most 0.05 % of same-topic pairs on the fit half (0.7: translations in the band linked 0.885, false links 0.041 %;
# check half 0.915 / 0.017 %), bench/results/origin_mutual.txt
MUTUAL_BAND = 0.88
MUTUAL_SUPPORT = 0.7
SHINGLE = 5
CONTAINMENT = 0.6
_MIN_WORDS = 8
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """The word n-grams of a text, case-folded."""
    words = _WORD.findall(text.casefold())
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def containment(a: str, b: str) -> float:
    """The share of the shorter text's word 5-grams found in the other (0 below eight words)."""
    short, long_ = sorted((a, b), key=len)
    return _share(shingles(short), shingles(long_), len(_WORD.findall(short)))


def _share(short: frozenset[tuple[str, ...]], other: frozenset[tuple[str, ...]], short_words: int) -> float:
    """containment() on 5-gram sets already made: the shorter text's grams, the other's, the shorter's word count."""
    if short_words < _MIN_WORDS or not short:
        return 0.0
    return len(short & other) / len(short)


def asks(text: str) -> bool:
    """Whether a passage is a question (it asserts nothing)."""
    return text.rstrip(" \t\n»”\"')").endswith("?")


def same_origin(cosine: float, a: str, b: str) -> bool:
    """Whether two passages restate one another: a question never restates an assertion, nor the reverse."""
    if asks(a) != asks(b):
        return False
    return cosine >= SAME_ORIGIN_COSINE or containment(a, b) >= CONTAINMENT


CANDIDATE_COSINE = 0.85  # pairs below it are not even checked for a reused quote


Restates = Callable[[list[tuple[str, str]]], list[float]]


def in_band(cosine: float, a: str, b: str, lang_a: str, lang_b: str) -> bool:
    """A cross-language pair below the cosine floor that a translation may still be (and of one mood): ask the
    model, when the two are mutual nearest neighbours."""
    return lang_a != lang_b and MUTUAL_BAND <= cosine < SAME_ORIGIN_COSINE and asks(a) == asks(b)


def group(
    documents: list[str],
    texts: list[str],
    vectors: np.ndarray,
    languages: list[str] | None = None,
    restates: Restates | None = None,
    block: int = 2048,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[int]:
    """For passages of several documents (document id, text, unit e5 vector and language of each), the index of
    the representative passage of each one's origin: passages of different documents that restate one another,
    and everything linked to them, share it (the smallest index in the group). `restates` (mutual support of
    each pair, from the stance model) decides the cross-language pairs in the band under the cosine floor that
    are mutual nearest neighbours across their two languages."""
    import numpy as np

    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, c: int) -> None:
        a, b = find(i), find(c)
        if a != b:
            parent[max(a, b)] = min(a, b)

    vecs = np.asarray(vectors, dtype=np.float32)
    block = max(64, min(block, (1 << 25) // max(len(texts), 1)))  # a block's cosines stay under 128 MiB
    # per passage once: its document as an integer, its mood, its word 5-grams and word count, its language
    doc_ids = np.unique(np.asarray(documents), return_inverse=True)[1]
    questions = np.array([asks(t) for t in texts], dtype=bool)
    grams = [shingles(t) for t in texts]
    words = [len(_WORD.findall(t)) for t in texts]
    langs = np.asarray(languages) if languages else None
    # per passage and language: its nearest passage of that language in another document (-1: none)
    codes = np.unique(langs, return_inverse=True)[1] if langs is not None else np.zeros(len(texts), dtype=int)
    columns = [np.nonzero(codes == c)[0] for c in range(int(codes.max(initial=0)) + 1)]
    nearest = np.full((len(texts), len(columns)), -1)
    band: list[tuple[int, int]] = []
    for start in range(0, len(texts), block):
        stop = min(start + block, len(texts))
        sims = vecs[start:stop] @ vecs.T
        rows_idx = np.arange(start, stop)[:, None]
        # pairs of different documents, each once, of one mood, over the candidate floor
        other_document = doc_ids[start:stop, None] != doc_ids[None, :]
        keep = (sims >= CANDIDATE_COSINE) & (np.arange(len(texts))[None, :] > rows_idx) & other_document
        keep &= questions[start:stop, None] == questions[None, :]
        if restates and langs is not None:
            elsewhere = np.where(other_document, sims, -np.inf)
            for code, cols_of in enumerate(columns):
                best = np.argmax(elsewhere[:, cols_of], axis=1)
                found = np.isfinite(elsewhere[np.arange(stop - start), cols_of[best]])
                nearest[start:stop, code] = np.where(found, cols_of[best], -1)
        rows, cols = np.nonzero(keep)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i, cosine = start + r, float(sims[r, c])
            if cosine >= SAME_ORIGIN_COSINE:
                union(i, c)
                continue
            short, other = (i, c) if len(texts[i]) <= len(texts[c]) else (c, i)  # as containment() orders them
            if _share(grams[short], grams[other], words[short]) >= CONTAINMENT:
                union(i, c)
            elif restates and langs is not None and langs[i] != langs[c] and cosine >= MUTUAL_BAND:
                band.append((i, c))
        if progress:
            progress("origins", stop, len(texts))
    band = [(i, c) for i, c in band if nearest[i, codes[c]] == c and nearest[c, codes[i]] == i]
    if band and restates:
        step = 256
        if progress:
            progress("translations", 0, len(band))
        for offset in range(0, len(band), step):
            chunk = band[offset : offset + step]
            for (i, c), support in zip(chunk, restates([(texts[i], texts[c]) for i, c in chunk]), strict=True):
                if support >= MUTUAL_SUPPORT:
                    union(i, c)
            if progress:
                progress("translations", min(offset + step, len(band)), len(band))
    return [find(i) for i in range(len(texts))]
