"""News-neighbour rows: FNC-1 bodies joined into stories through related headlines, and a sentence paired as
`neither` only with a near sentence of another story."""

from __future__ import annotations

import numpy as np

from training.factory import news_neighbours
from training.factory.news_neighbours import neighbour_rows, stories
from training.factory.sources import Sentence


def test_bodies_related_to_one_headline_are_one_story_and_unrelated_pairs_join_nothing():
    rows = [
        ("Rumour A", "5", "agree"),
        ("Rumour A", "9", "discuss"),
        ("Rumour A", "3", "unrelated"),
        ("Rumour B", "9", "disagree"),  # body 9 joins B's bodies to A's
        ("Rumour B", "12", "agree"),
        ("Rumour C", "3", "agree"),
        ("Rumour C", "5", "unrelated"),
    ]
    got = stories(rows)
    assert got["5"] == got["9"] == got["12"] == "5"
    assert got["3"] == "3"


def test_a_sentence_is_paired_as_neither_only_with_a_sentence_of_another_story(monkeypatch):
    texts = {
        "fnc1:1": ["ISIS fighters left Raqqa in buses.", "The buses drove towards Deir ez-Zor."],
        "fnc1:2": ["Fighters left the city of Raqqa on buses.", "A convoy drove east in the night."],
        "fnc1:7": ["A cat was found alive after weeks.", "Its owner said it was hungry."],
        "fnc1:99": ["A sentence of a body with no known story."],
    }
    sentences = [Sentence(t, "en", g, "fnc1-body", f"{g}:{i}") for g, ts in texts.items() for i, t in enumerate(ts)]
    story = {"1": "1", "2": "1", "7": "7"}  # bodies 1 and 2 are one story
    vocab = sorted({w for ts in texts.values() for t in ts for w in t.lower().split()})

    def bag(batch, _query, _tag):  # a bag of words stands in for e5: near means sharing words
        v = np.array([[t.lower().split().count(w) for w in vocab] for t in batch], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    monkeypatch.setattr(news_neighbours, "embed_cached", bag)
    out = neighbour_rows(sentences, story, 10, seed=3)
    body = {s.text: s.group.split(":")[1] for s in sentences}
    assert len(out) == 6  # every sentence of a known story, none of body 99
    for r in out:
        assert r["label"] == "neither" and r["bucket"] == "news-neighbour"
        assert story[body[r["claim"]]] != story[body[r["passage"]]]
        assert r["group"] == f"news-neighbour:{story[body[r['claim']]]}"
    assert "A sentence of a body with no known story." not in {r["passage"] for r in out} | {r["claim"] for r in out}
