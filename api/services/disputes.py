"""Statements about an entity on which passages from different sources agree or disagree."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from api.services.compare import passage_view
from index.repository import Archive
from stance.engine import engine
from stance.labels import CONTRADICTS, SUPPORTS
from text.statements import same_statement_threshold

METHOD = "passages of different sources on the same statement (e5 cosine, measured thresholds); e5 stance cross-encoder"
_MAX_PASSAGES = 300


def _different_sources(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["document_id"] == b["document_id"]:
        return False
    return not (a.get("outlet") and a.get("outlet") == b.get("outlet"))


def disputes(archive: Archive, entity_id: str, limit: int) -> dict[str, Any]:
    """Statements mentioning the entity with the passages of other sources that support or contradict them."""
    entity = archive.get_entity(entity_id)
    passages = archive.entity_passages_with_vectors(entity_id, _MAX_PASSAGES)
    vectors = np.asarray([p["embedding"] for p in passages], dtype=np.float32).reshape(len(passages), -1)
    sims = vectors @ vectors.T if len(passages) else np.zeros((0, 0))
    related: dict[int, dict[str, list[dict[str, Any]]]] = {}
    pairs = [
        (i, j)
        for i, j in combinations(range(len(passages)), 2)
        if sims[i, j] >= same_statement_threshold(passages[i]["language"], passages[j]["language"])
        and _different_sources(passages[i], passages[j])
    ]
    others: dict[int, list[int]] = {}
    for i, j in pairs:
        others.setdefault(i, []).append(j)
    for i, js in others.items():
        # each pair already states the same thing (measured cosine threshold), so it is on topic; the model says
        # whether the other passage takes a position on it (one batch per statement, not one call per pair)
        texts, langs = [passages[j]["text"] for j in js], [passages[j]["language"] for j in js]
        verdicts = engine().judge(passages[i]["text"], texts, langs, [1.0] * len(js), passages[i]["language"])
        for j, verdict in zip(js, verdicts, strict=True):
            side = "contradicting" if verdict.stance == CONTRADICTS else "supporting" if verdict.stance == SUPPORTS else None
            if side is None:
                continue
            for x, y in ((i, j), (j, i)):
                view = passage_view(passages[y]) | {"stance": verdict.stance, "confidence": verdict.confidence}
                related.setdefault(x, {"supporting": [], "contradicting": []})[side].append(view)
    ranked = sorted(related.items(), key=lambda kv: (-len(kv[1]["contradicting"]), -len(kv[1]["supporting"]), kv[0]))
    statements, covered = [], set()
    for i, sides in ranked:
        if passages[i]["passage_id"] in covered:
            continue
        members = {p["passage_id"] for side in sides.values() for p in side}
        covered |= members | {passages[i]["passage_id"]}
        for judged in sides.values():
            judged.sort(key=lambda p: (-p["confidence"], p["passage_id"]))
        statements.append({"statement": passage_view(passages[i]), **sides, "disputed": bool(sides["contradicting"])})
        if len(statements) >= limit:
            break
    return {"id": entity["entity_id"], "name": entity["name"], "statements": statements, "method": METHOD}
