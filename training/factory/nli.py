"""Permissively licensed labelled sets mapped onto supports / contradicts / neither."""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from typing import Any

from training.factory.sources import DATA, Sentence

_NLI = {"entailment": "supports", "contradiction": "contradicts", "neutral": "neither"}


def _row(claim: str, passage: str, label: str, source: str, uid: str, lang: str) -> dict[str, Any]:
    from training.factory.labelled import pair

    return pair(claim, passage, label, Sentence(passage, lang, uid, source, uid), "nli", lang, lang, source)


def swenli(limit: int = 4000) -> Iterator[dict[str, Any]]:
    """SweNLI dev (CC BY 4.0): hypothesis as claim, premise as passage."""
    with (DATA / "swenli" / "swenli_dev.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for row in rows[:limit]:
        if row["label"] in _NLI:
            yield _row(row["hypothesis"], row["premise"], _NLI[row["label"]], "swenli", f"swenli-nli:{row['id']}", "sv")


def negation_nli() -> Iterator[dict[str, Any]]:
    """Hossain et al. 2020 negation NLI (MIT): pairs where negation decides the label."""
    for name in ("SNLI.txt", "MNLI.txt", "RTE.txt"):
        raw = (DATA / "negation_nli_hossain2020" / name).read_bytes().decode("cp1252", errors="replace")
        for row in csv.DictReader(raw.splitlines(), delimiter="\t"):
            label = (row.get("gold_label") or row.get("label") or "").strip()
            label = {"entailment": "entailment", "not_entailment": "neutral"}.get(label, label)
            text, hyp = row.get("Text") or row.get("sentence1"), row.get("Hypothesis") or row.get("sentence2")
            if label in _NLI and text and hyp:
                yield _row(hyp, text, _NLI[label], "negation-nli", f"negnli:{name}:{row.get('index')}", "en")


def breaking_nli(limit: int = 1500, seed: int = 3) -> Iterator[dict[str, Any]]:
    """Breaking NLI (CC BY-SA 4.0): lexical substitutions, mostly contradictions."""
    rows = [json.loads(line) for line in (DATA / "breaking_nli" / "data" / "dataset.jsonl").open(encoding="utf-8")]
    random.Random(seed).shuffle(rows)
    for row in rows[:limit]:
        if row["gold_label"] in _NLI:
            yield _row(row["sentence2"], row["sentence1"], _NLI[row["gold_label"]], "breaking-nli", f"bnli:{row['pairID']}", "en")


def fnc1(limit: int = 2500, seed: int = 5) -> Iterator[dict[str, Any]]:
    """FNC-1 (terms unstated): headline vs the body sentence sharing most words; agree/disagree/unrelated."""
    csv.field_size_limit(10_000_000)
    with (DATA / "fnc1" / "train_bodies.csv").open(encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with (DATA / "fnc1" / "train_stances.csv").open(encoding="utf-8") as f:
        stances = list(csv.DictReader(f))
    rnd = random.Random(seed)
    rnd.shuffle(stances)
    quota = {"agree": limit // 3, "disagree": limit // 3, "unrelated": limit // 3}
    label_of = {"agree": "supports", "disagree": "contradicts", "unrelated": "neither"}
    for row in stances:
        stance = row["Stance"]
        if quota.get(stance, 0) <= 0:
            continue
        head = set(re.findall(r"\w+", row["Headline"].lower()))
        sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", bodies[row["Body ID"]]) if 6 <= len(s.split()) <= 50]
        if not sents:
            continue
        best = max(sents, key=lambda s: len(head & set(re.findall(r"\w+", s.lower()))))
        quota[stance] -= 1
        yield _row(row["Headline"], best, label_of[stance], "fnc1", f"fnc1-stance:{row['Body ID']}:{row['Headline'][:30]}", "en")


def all_pairs(rnd: random.Random) -> list[dict[str, Any]]:
    """Every permissive labelled set, capped so that generated pairs dominate."""
    out = list(swenli()) + list(breaking_nli())
    neg = list(negation_nli())
    rnd.shuffle(neg)
    return out + neg[:2000] + list(fnc1(limit=6000))
