"""Compare a claim with the archive: hybrid retrieval, rank fusion in Python, then a stance per passage."""

from __future__ import annotations

from typing import Any

import numpy as np

from api.config import Settings
from index.embedding import embed_query
from index.fusion import reciprocal_rank_fusion
from index.language import detect
from index.queries import passage_filters
from index.repository import Archive
from stance.rules import CONTRADICTS, SUPPORTS, judge

METHOD = "bm25+knn rrf; stance: e5 relevance bar + negation-cue polarity (first version)"


def passage_view(hit: dict[str, Any]) -> dict[str, Any]:
    """The public fields of a stored passage."""
    keep = (
        "document_id",
        "passage_id",
        "position",
        "text",
        "start",
        "end",
        "language",
        "outlet",
        "published",
        "published_precision",
    )
    return {k: hit.get(k) for k in keep}


def compare(archive: Archive, settings: Settings, request: dict[str, Any]) -> dict[str, Any]:
    """Supporting and contradicting passages for a claim, each with relevance score, stance and confidence."""
    claim = request["claim"].strip()
    limit = request.get("limit", settings.compare_default_limit)
    filters = passage_filters(
        request.get("languages"),
        request.get("outlets"),
        request["published_after"].isoformat() if request.get("published_after") else None,
        request["published_before"].isoformat() if request.get("published_before") else None,
    )
    vector = embed_query(claim)
    n = settings.compare_candidates
    lexical = archive.bm25(claim, n, filters)
    semantic = archive.knn(vector.tolist(), n, filters)
    fused = reciprocal_rank_fusion([[h["passage_id"] for h in lexical], [h["passage_id"] for h in semantic]])[:n]
    hits = archive.passages_with_vectors([pid for pid, _ in fused])
    sides: dict[str, list[dict[str, Any]]] = {SUPPORTS: [], CONTRADICTS: []}
    for pid, _ in fused:
        hit = hits.get(pid)
        if hit is None:
            continue
        relevance = float(np.dot(vector, np.asarray(hit["embedding"], dtype=np.float32)))
        verdict = judge(claim, hit["text"], relevance, settings.compare_min_relevance)
        if verdict.stance in sides:
            sides[verdict.stance].append(
                passage_view(hit) | {"score": round(relevance, 4), "stance": verdict.stance, "confidence": verdict.confidence}
            )
    for side in sides.values():
        side.sort(key=lambda p: (-p["confidence"], p["passage_id"]))
        del side[limit:]
    return {
        "claim": claim,
        "claim_language": detect(claim, fallback="und"),
        "supporting": sides[SUPPORTS],
        "contradicting": sides[CONTRADICTS],
        "outlets": {
            "supporting": len({p["outlet"] for p in sides[SUPPORTS] if p["outlet"]}),
            "contradicting": len({p["outlet"] for p in sides[CONTRADICTS] if p["outlet"]}),
        },
        "method": METHOD,
    }
