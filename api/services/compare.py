"""Compare a claim with the archive: on-topic candidates (kNN, BM25, neighbours), then a stance per passage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from api.config import Settings
from api.services.stages import Stages
from api.services.summary import side_summary
from index.queries import bm25_passages, knn_passages, language_is, passage_filters
from index.repository import Archive
from index.sources import origin_of
from stance.counter import counter_claims, interleave
from stance.engine import candidate_floor, candidate_floors, engine, options
from stance.labels import CONTRADICTS, NEITHER, SUPPORTS
from text.embedding import embed_queries, embed_query
from text.language import SUPPORTED, detect_claim
from text.roles import BODY, COMMENT, RANK

METHOD = (
    "candidates: kNN (e5) within and across languages above calibrated cosines, bm25 (nb/sv/en analysers) and "
    "sentence neighbours, ordered by margin over the threshold, with places kept for the passages closest to the "
    "claim's counter-claims (its negation, its actor denying it or rejecting the reports); stance: e5 cross-encoder, "
    "a side only where it reads a position (calibrated probability), other on-topic passages related"
)


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
        "url",
    )
    return {k: hit.get(k) for k in keep} | {
        "role": hit.get("role") or BODY,
        "origin_id": origin_of(hit),
    }


def with_origins(archive: Archive, lists: list[list[dict[str, Any]]]) -> None:
    """Replace each passage's origin id by its origin: the id, the earliest dated passage of it (with outlet and
    date), how many documents carry it, and whether this passage repeats an earlier one."""
    info = archive.origins([p["origin_id"] for passages in lists for p in passages])
    for passages in lists:
        for p in passages:
            found = info.get(p["origin_id"]) or {
                "first": {
                    "passage_id": p["passage_id"],
                    "document_id": p["document_id"],
                    "outlet": p["outlet"],
                    "published": p["published"],
                },
                "documents": 1,
            }
            first = found["first"]
            p["origin"] = {
                "id": p["origin_id"],
                "first": {k: first.get(k) for k in ("passage_id", "document_id", "outlet", "published")},
                "documents": found["documents"],
                "repeat": first.get("passage_id") != p["passage_id"],
            }


def independent_sources(passages: list[dict[str, Any]]) -> int:
    """Distinct origins among the passages, reader comments apart."""
    return len({p["origin"]["id"] for p in passages if p["role"] != COMMENT})


def retrieve(
    archive: Archive,
    settings: Settings,
    claim: str,
    claim_lang: str,
    vector: np.ndarray,
    filters: list[dict[str, Any]],
    languages: Sequence[str] | None = None,
    stage: Stages | None = None,
    counter: dict[str, np.ndarray] | None = None,
) -> list[tuple[dict[str, Any], float]]:
    """Every passage on the claim's topic, as far as the model budget allows, with its e5 cosine.

    On topic means at or above the calibrated cosine of its language pair (lower across languages), less the band in
    which a confident model verdict still counts (stance.engine.candidate_floors). Candidates come
    from kNN within the claim's language and across languages (each above its own floor), BM25, and the
    sentence neighbours of the best ones (denials and corrections often follow the claim they answer). They are
    ordered by how far they clear their floor and cut at the model budget (COMPARE_CANDIDATES), of which
    COMPARE_COUNTER places (at most half) go to the on-topic passages closest to the claim's counter-claims
    (stance.counter), since a denial sits far from the claim it denies in e5 space. `counter`: those vectors where
    the caller holds them already (a watch stores its own).
    """
    stage = stage or Stages()
    budget = settings.compare_candidates
    same, cross = candidate_floors(options().weights)
    claim_vector = vector.tolist()
    if claim_lang in SUPPORTED:
        searches = [
            knn_passages(claim_vector, budget, [*filters, language_is(claim_lang)], same),
            knn_passages(claim_vector, budget, [*filters, language_is(claim_lang, same=False)], cross),
        ]
    else:
        searches = [knn_passages(claim_vector, budget, filters, min(same, cross))]
    searches.append(bm25_passages(claim, max(1, budget // 2), filters))
    slots = counter_slots(settings)
    with stage("counter"):
        if counter is None:
            counter = counter_vectors(claim, claim_lang, languages) if slots else {}
        elif not slots:
            counter = {}
    searches += [knn_passages(v.tolist(), 2 * slots, [*filters, language_is(lang)]) for lang, v in counter.items()]
    with stage("search"):
        found = [hit for hits in archive.search_passages(searches) for hit in hits]
        hits = archive.passages_with_vectors(list(dict.fromkeys(h["passage_id"] for h in found)))

    cosines: dict[str, float] = {}

    def cosine(pid: str) -> float:
        if pid not in cosines:
            cosines[pid] = float(np.dot(vector, np.asarray(hits[pid]["embedding"], dtype=np.float32)))
        return cosines[pid]

    def on_topic(pids: Iterable[str]) -> list[str]:
        """The ids whose cosine clears their language pair's floor, largest margin first."""
        weights = options().weights
        margins = {pid: cosine(pid) - candidate_floor(claim_lang, hits[pid]["language"], weights) for pid in pids}
        return sorted((pid for pid in margins if margins[pid] >= 0), key=lambda pid: (-margins[pid], pid))

    with stage("candidates"):
        anchors = [(hits[pid]["document_id"], hits[pid]["position"]) for pid in on_topic(hits)[: settings.compare_neighbours_of]]
    with stage("search"):
        neighbours = archive.neighbours(anchors, filters)
    with stage("candidates"):
        for hit in neighbours:
            hits.setdefault(hit["passage_id"], hit)
        ranked = on_topic(hits)
        head = set(ranked[: budget - slots])
        denials = interleave(_by_counter(ranked, hits, counter, head), claim_lang)
        return [(hits[pid], cosine(pid)) for pid in fill_budget(ranked, denials, budget, slots)]


def counter_slots(settings: Settings) -> int:
    """compare's places for counter-claim neighbours: the claim's own best passages keep at least half the budget."""
    return min(settings.compare_counter, settings.compare_candidates // 2)


def fill_budget(ranked: list[str], denials: list[str], budget: int, slots: int) -> list[str]:
    """The model's candidates: the best `budget - slots` by margin, then up to `slots` of the counter-claim ranking
    not among them, then the next by margin while places are left."""
    chosen = ranked[: budget - slots]
    taken = set(chosen)
    chosen += [pid for pid in dict.fromkeys(denials) if pid not in taken][:slots]
    taken.update(chosen)
    return chosen + [pid for pid in ranked if pid not in taken][: budget - len(chosen)]


def counter_vectors(claim: str, claim_lang: str, languages: Sequence[str] | None) -> dict[str, np.ndarray]:
    """Per archive language (those asked for), the unit mean of the claim's counter-claims' e5 query vectors."""
    texts = {lang: group for lang, group in counter_claims(claim, claim_lang).items() if not languages or lang in languages}
    flat = [t for language in texts for t in texts[language]]
    vectors = embed_queries(flat)
    out, i = {}, 0
    for language, group in texts.items():
        mean = vectors[i : i + len(group)].mean(axis=0)
        out[language] = mean / max(float(np.linalg.norm(mean)), 1e-9)
        i += len(group)
    return out


def _by_counter(
    ranked: list[str], hits: dict[str, dict[str, Any]], counter: dict[str, np.ndarray], taken: set[str]
) -> dict[str, list[str]]:
    """The on-topic passages not yet chosen, per language, closest to that language's counter-claims first."""
    out: dict[str, list[str]] = {}
    for language, counter_vector in counter.items():
        pool = [pid for pid in ranked if pid not in taken and hits[pid]["language"] == language]
        scores = {pid: float(np.dot(counter_vector, np.asarray(hits[pid]["embedding"], dtype=np.float32))) for pid in pool}
        out[language] = sorted(pool, key=lambda pid: (-scores[pid], pid))
    return out


def related_order(p: dict[str, Any]) -> tuple[float, float, str]:
    """Related passages: the one the model came nearest to siding first (its calibrated probability of taking a
    position at all), then the most relevant."""
    return (-p["position_probability"], -p["score"], p["passage_id"])


def comment_order(p: dict[str, Any]) -> tuple[bool, float, str]:
    """Readers' comments: sided ones first, most confident first; then the others as related passages are ordered."""
    return (p["stance"] == NEITHER, -p.get("position_probability", p["confidence"]), p["passage_id"])


def normal_claim(claim: str) -> str:
    """The claim as compare reads it (and the compare cache keys it): surrounding and repeated whitespace collapsed."""
    return " ".join(claim.split())


@dataclass(frozen=True)
class Reading:
    """What compare hands the model for a request: the claim as read, its language, the request's filters and the
    candidate passages (hit, relevance), in the order the model reads them."""

    claim: str
    claim_lang: str
    filters: list[dict[str, Any]]
    candidates: list[tuple[dict[str, Any], float]]


def reading(archive: Archive, settings: Settings, request: dict[str, Any], stage: Stages | None = None) -> Reading:
    """The passages compare's model reads for a request (the claim, counter and search stages)."""
    stage = stage or Stages()
    claim = normal_claim(request["claim"])
    filters = passage_filters(
        request.get("languages"),
        request.get("outlets"),
        request["published_after"].isoformat() if request.get("published_after") else None,
        request["published_before"].isoformat() if request.get("published_before") else None,
        request.get("include_undated", True),
        request.get("roles"),
    )
    with stage("claim"):
        vector = embed_query(claim)
        claim_lang = request.get("claim_language") or detect_claim(claim)
    candidates = retrieve(archive, settings, claim, claim_lang, vector, filters, request.get("languages"), stage)
    return Reading(claim, claim_lang, filters, candidates)


def compare(
    archive: Archive,
    settings: Settings,
    request: dict[str, Any],
    stage: Stages | None = None,
    read: Reading | None = None,
) -> dict[str, Any]:
    """Passages that take a position on a claim (supporting, contradicting, most confident first) and on-topic passages
    that take none (related, most relevant first), each with relevance, stance, confidence and attribution; the time
    of each stage (claim, counter, search, candidates, model, answer) goes into `stage` when one is given. `read`:
    the request's reading when the caller already made it (a bench that looks at what the model read)."""
    stage = stage or Stages()
    read = read or reading(archive, settings, request, stage)
    claim, claim_lang, filters, candidates = read.claim, read.claim_lang, read.filters, read.candidates
    limit = request.get("limit", settings.compare_default_limit)
    related_limit = request.get("related_limit", settings.compare_default_related_limit)
    with stage("model"):
        verdicts = engine().judge(
            claim,
            [h["text"] for h, _ in candidates],
            [h["language"] for h, _ in candidates],
            [r for _, r in candidates],
            claim_lang,
        )
    lists: dict[str, list[dict[str, Any]]] = {SUPPORTS: [], CONTRADICTS: [], NEITHER: []}
    comments: list[dict[str, Any]] = []
    apart = not request.get("include_comments", False)
    for (hit, relevance), verdict in zip(candidates, verdicts, strict=True):
        if verdict.on_topic:
            view = passage_view(hit) | {
                "score": round(relevance, 4),
                "stance": verdict.stance,
                "confidence": verdict.confidence,
                "attribution": verdict.attribution.as_dict() if verdict.attribution else None,
            }
            if verdict.stance == NEITHER:
                view |= {
                    "leaning": verdict.leaning,
                    "position_probability": verdict.position_probability,
                    "to_side": verdict.to_side,
                }
            (comments if apart and view["role"] == COMMENT else lists[verdict.stance]).append(view)
    # the article's own text first, then boxes and captions, then reader comments; within each, most confident
    for side in (SUPPORTS, CONTRADICTS):
        lists[side].sort(key=lambda p: (RANK[p["role"]], -p["confidence"], p["passage_id"]))
        del lists[side][limit:]
    # related: the passage that came nearest to taking a position first, then by relevance
    lists[NEITHER].sort(key=related_order)
    del lists[NEITHER][related_limit:]
    comments.sort(key=comment_order)
    del comments[limit:]
    with stage("answer"):
        with_origins(archive, [*lists.values(), comments])
        filtered_out = archive.filtered_out(filters) if filters else {"documents": 0, "undated_kept": 0}
    return {
        "claim": claim,
        "claim_language": claim_lang,
        "supporting": lists[SUPPORTS],
        "contradicting": lists[CONTRADICTS],
        "related": lists[NEITHER],
        "comments": comments,
        "summary": {"supporting": side_summary(lists[SUPPORTS]), "contradicting": side_summary(lists[CONTRADICTS])},
        "outlets": {
            name: len({p["outlet"] for p in lists[stance] if p["outlet"] and p["role"] != COMMENT})
            for name, stance in (("supporting", SUPPORTS), ("contradicting", CONTRADICTS), ("related", NEITHER))
        },
        "independent_sources": {
            name: independent_sources(lists[stance])
            for name, stance in (("supporting", SUPPORTS), ("contradicting", CONTRADICTS), ("related", NEITHER))
        },
        "filtered_out": filtered_out,
        "method": METHOD,
    }
