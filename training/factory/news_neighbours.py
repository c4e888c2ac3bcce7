"""A news sentence and the news sentence e5 finds nearest to it in *another story*: `neither`.

The `retrieved` rows (training.factory.retrieved) pair a claim only with a neighbour of another family of sources,
so news never meets news. In the 46k archive that is what is left of compare's false sides: with those rows the
345k campaign sided 19 passages of added documents for the dev claims and none rightly, all of them news of other
stories near the claim in e5 space (death tolls of other battles, other airstrikes near Raqqa). These rows are that
case, made safe: FNC-1 bodies joined into stories through the headlines they are related to (its train stances
agree / disagree / discuss: the bodies of one rumour), and a sentence paired with one of its TOP nearest sentences of
bodies of another story. Different rumours do not report each other's facts, however close their words.

Sentences keep the factory's split (`training.factory.labelled.split_of`, by source sentence), and a pair takes both
its sentences from one split, so held-out rows share nothing with training rows.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable

import numpy as np

from training.factory.labelled import split_of
from training.factory.public import row
from training.factory.retrieved import Row, embed_cached, near_draw
from training.factory.sources import DATA, Sentence, fnc1_sentences

RELATED = {"agree", "disagree", "discuss"}


def stories(stances: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Body id -> story key, from (headline, body id, stance) rows: the bodies related to one headline are one story,
    and stories sharing a body are one (union-find); the key is the story's smallest body id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, str] = {}
    for headline, body, stance in stances:
        find(body)
        if stance not in RELATED:
            continue
        other = first.setdefault(headline, body)
        a, b = find(other), find(body)
        if a != b:
            parent[max(a, b, key=int)] = min(a, b, key=int)
    return {body: find(body) for body in parent}


def fnc1_stories() -> dict[str, str]:
    """FNC-1's training bodies joined into stories (see `stories`)."""
    with (DATA / "fnc1" / "train_stances.csv").open(encoding="utf-8") as f:
        return stories((r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(f))


def neighbour_rows(
    sentences: list[Sentence], story: dict[str, str], n_claims: int, seed: int = 17, tag: str = "news"
) -> list[Row]:
    """Up to n_claims `neither` rows: a sentence and, drawn from its TOP nearest (e5, claim as query) among the
    sentences of other stories, one of them. Sentences of bodies with no known story give neither side."""
    rnd = random.Random(seed)
    known = [(s, story[body]) for s in sentences if (body := s.group.split(":", 1)[1]) in story]
    key = np.array([k for _, k in known])
    claims = rnd.sample(range(len(known)), min(n_claims, len(known)))
    q = embed_cached([known[i][0].text for i in claims], True, f"{tag}-claims")
    p = embed_cached([s.text for s, _ in known], False, f"{tag}-pool")
    out: list[Row] = []
    for n, i in enumerate(claims):
        drawn = near_draw(p, q[n], np.flatnonzero(key != key[i]), rnd)
        if drawn is None:
            continue
        claim, passage = known[i][0], known[drawn[0]][0]
        item = row(claim.text, passage.text, "neither", "news-neighbour", f"news-neighbour:{key[i]}", "en")
        out.append(item | {"bucket": "news-neighbour", "cosine": drawn[1]})
    return out


def news_neighbour_rows(n_train: int, n_held: int) -> tuple[list[Row], list[Row]]:
    """Training and held-out rows from FNC-1's body sentences the factory reads (each split its own sentences);
    the sentences and stories are read once for both."""
    sentences, story = fnc1_sentences(), fnc1_stories()

    def of(split: str, n: int) -> list[Row]:
        return neighbour_rows([s for s in sentences if split_of(s.uid) == split], story, n, tag=f"news-{split}")

    return of("train", n_train), of("heldout", n_held)
