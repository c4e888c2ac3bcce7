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
from stance.engine import CONTRADICTS, SUPPORTS, engine

METHOD = "candidates: bm25 (nb/sv/en analysers) + kNN (e5), reciprocal rank fusion; stance: e5 cross-encoder"


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


def retrieve(
    archive: Archive, settings: Settings, claim: str, vector: np.ndarray, filters: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], float]]:
    """Candidates for the stance model: BM25 and kNN fused by rank, kept above the relevance floor, with cosine."""
    n = settings.compare_candidates
    lexical = archive.bm25(claim, n, filters)
    semantic = archive.knn(vector.tolist(), n, filters)
    fused = reciprocal_rank_fusion([[h["passage_id"] for h in lexical], [h["passage_id"] for h in semantic]])[:n]
    hits = archive.passages_with_vectors([pid for pid, _ in fused])
    order = [pid for pid, _ in fused if pid in hits]
    # sentence neighbours of the best candidates: denials and corrections often follow the claim they answer
    anchors = [(hits[pid]["document_id"], hits[pid]["position"]) for pid in order[: settings.compare_neighbours_of]]
    for hit in archive.neighbours(anchors, filters):
        if hit["passage_id"] not in hits:
            hits[hit["passage_id"]] = hit
            order.append(hit["passage_id"])
    candidates = []
    for pid in order:
        hit = hits[pid]
        relevance = float(np.dot(vector, np.asarray(hit["embedding"], dtype=np.float32)))
        if relevance >= settings.compare_min_relevance:
            candidates.append((hit, relevance))
    return candidates


def compare(archive: Archive, settings: Settings, request: dict[str, Any]) -> dict[str, Any]:
    """Supporting and contradicting passages for a claim, each with relevance, stance, confidence and attribution."""
    claim = request["claim"].strip()
    limit = request.get("limit", settings.compare_default_limit)
    filters = passage_filters(
        request.get("languages"),
        request.get("outlets"),
        request["published_after"].isoformat() if request.get("published_after") else None,
        request["published_before"].isoformat() if request.get("published_before") else None,
    )
    vector = embed_query(claim)
    candidates = retrieve(archive, settings, claim, vector, filters)
    verdicts = engine().judge(
        claim, [h["text"] for h, _ in candidates], [h["language"] for h, _ in candidates], [r for _, r in candidates]
    )
    sides: dict[str, list[dict[str, Any]]] = {SUPPORTS: [], CONTRADICTS: []}
    for (hit, relevance), verdict in zip(candidates, verdicts, strict=True):
        if verdict.stance in sides:
            sides[verdict.stance].append(
                passage_view(hit)
                | {
                    "score": round(relevance, 4),
                    "stance": verdict.stance,
                    "confidence": verdict.confidence,
                    "attribution": verdict.attribution.as_dict() if verdict.attribution else None,
                }
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
