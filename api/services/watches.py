"""Claims a newsroom watches: created with their vectors, matched against every document written, read in the order
their matches were found, and backfilled from the archive as it stood when they were created.

Matching a written document: its live passages (with their vectors) against every watched claim in one matrix
product; a pair goes to the stance model only where its cosine clears the candidate floor compare uses for that
language pair and, for a write, where compare's candidate budget for the claim would take it (api.services.watch_bar);
a passage the model puts on a side (on topic, calibrated side probability over the floor) becomes a match. The same
decisions compare makes, so a match is what compare would list on a side.
"""

from __future__ import annotations

import atexit
import calendar
import dataclasses
import logging
import secrets
import threading
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from api.config import Settings
from api.cursor import decode, encode
from api.services import deliveries
from api.services.compare import counter_vectors, passage_view, retrieve
from api.services.watch_bar import Bars
from index.errors import NotFound
from index.repository import Archive
from index.watches import match_id, now_iso
from stance.engine import Pair, Verdict, candidate_floor, engine
from stance.labels import NEITHER
from text.embedding import embed_query
from text.language import detect_claim

log = logging.getLogger(__name__)
CACHE_SECONDS = 2.0  # how stale a worker's list of watches may be; a backfill waits longer than this to start
_STALE_BACKFILL = 120.0  # a running backfill not heard from for this long is taken over by the next reader


class WatchCache:
    """The watched claims with their vectors, reread at most every CACHE_SECONDS (per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._at = -1e9
        self._watches: list[dict[str, Any]] = []

    def get(self, archive: Archive) -> list[dict[str, Any]]:
        with self._lock:
            if time.monotonic() - self._at > CACHE_SECONDS:
                self._watches = archive.watches.all()
                self._at = time.monotonic()
            return self._watches

    def clear(self) -> None:
        with self._lock:
            self._at = -1e9


_caches: dict[str, WatchCache] = {}
_caches_lock = threading.Lock()


def _cache(archive: Archive) -> WatchCache:
    """The cache of one archive's watches (tests and tools may hold several archives in one process)."""
    with _caches_lock:
        return _caches.setdefault(archive.watches.watches, WatchCache())


def view(source: dict[str, Any]) -> dict[str, Any]:
    """The public fields of a stored watch (never its secret or vectors)."""
    keep = ("watch_id", "claim", "claim_language", "label", "webhook_url", "created", "backfill", "delivery")
    out = {k: source.get(k) for k in keep}
    out["id"] = source["watch_id"]
    return out


def create(archive: Archive, settings: Settings, body: dict[str, Any], backfill: str = "background") -> dict[str, Any]:
    """Store a watch with its claim's vector and counter-claim vectors, and backfill it ("background": in a thread;
    "here": before returning; "none": not at all, for benchmarks that measure the feed alone); the watch, with the
    webhook secret (shown this once) when it has a webhook."""
    claim = " ".join(body["claim"].split())
    language = body.get("claim_language") or detect_claim(claim)
    counter = {lang: v.tolist() for lang, v in counter_vectors(claim, language, None).items()}
    secret = secrets.token_hex(24) if body.get("webhook_url") else None
    source = {
        "watch_id": "w-" + secrets.token_hex(8),
        "claim": claim,
        "claim_language": language,
        "label": body.get("label"),
        "webhook_url": body.get("webhook_url"),
        "secret": secret,
        "created": now_iso(),
        "vector": embed_query(claim).tolist(),
        "counter": counter,
        "backfill": {"status": "pending", "done": 0, "total": None, "matches": 0, "updated": now_iso(), "error": None},
        "delivery": {"cursor": None, "delivered": 0, "last_error": None, "attempts": 0, "next_retry": None, "lease": 0}
        if secret
        else None,
    }
    archive.watches.create(source)
    _cache(archive).clear()
    if backfill == "background":
        start_backfill(archive, settings, source["watch_id"], delay=CACHE_SECONDS + 1.0)
    elif backfill == "here":
        _backfill(archive, settings, source["watch_id"], CACHE_SECONDS + 1.0)
    if secret and backfill == "background":
        deliveries.ensure_running(archive, settings)
    return view(source) | ({"secret": secret} if secret else {})


def detail(archive: Archive, settings: Settings, watch_id: str) -> dict[str, Any]:
    """A watch with its match counts and its newest contradicting match (a stalled backfill is taken over)."""
    source = archive.watches.get(watch_id)
    _resume_if_stalled(archive, settings, source)
    counts = archive.watches.count(watch_id)
    newest = archive.watches.newest(watch_id, "contradicts")
    return view(source) | {"matches": counts, "newest_contradicting": _match_view(newest) if newest else None}


def listing(archive: Archive, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of watches (oldest first) and the cursor of the next page."""
    after = decode("watches", "", cursor) if cursor else None
    hits, total = archive.watches.page(limit + 1, after)
    more, hits = len(hits) > limit, hits[:limit]
    next_cursor = encode("watches", "", hits[-1]["_sort"]) if more and hits else None
    return {"watches": [view(h) for h in hits], "total": total, "next_cursor": next_cursor}


def remove(archive: Archive, watch_id: str) -> None:
    archive.watches.delete(watch_id)
    _cache(archive).clear()


def matches(archive: Archive, settings: Settings, watch_id: str, since: str | None, limit: int) -> dict[str, Any]:
    """The watch's matches after the cursor, in the order found; the cursor to poll with next (the same one when
    nothing new has settled)."""
    source = archive.watches.get(watch_id)
    _resume_if_stalled(archive, settings, source)
    after = decode("matches", watch_id, since, "since") if since else None
    hits = archive.watches.settled(watch_id, limit, after, settings.watch_settle_seconds)
    cursor = encode("matches", watch_id, hits[-1]["_sort"]) if hits else since
    return {"watch_id": watch_id, "matches": [_match_view(h) for h in hits], "next_cursor": cursor}


def _match_view(hit: dict[str, Any]) -> dict[str, Any]:
    keep = ("match_id", "watch_id", "found", "stance", "confidence", "score", "repeat", "via", "origin_id", "passage")
    return {k: hit.get(k) for k in keep}


# --- matching ---------------------------------------------------------------------------------------------------


def judge(
    archive: Archive,
    watches: Sequence[dict[str, Any]],
    passages: Sequence[dict[str, Any]],
    via: str,
    budget: tuple[Bars, Settings] | None = None,
) -> int:
    """Match passages (with their `embedding`) against watches and store the new matches; how many were new. With
    `budget`, only the pairs compare's candidate budget would take are read (a write; a backfill reads compare's
    own candidates already). Every watch's pairs go through the model in one pass (full batches)."""
    if not watches or not passages:
        return 0
    vectors = np.asarray([p["embedding"] for p in passages], dtype=np.float32)
    claims = np.asarray([w["vector"] for w in watches], dtype=np.float32)
    cosines = vectors @ claims.T
    floor = 0
    gated: list[tuple[int, int, str]] = []  # (watch, passage, match id) of the pairs the gate lets through
    for j, watch in enumerate(watches):
        lang = watch["claim_language"]
        gate = [i for i, p in enumerate(passages) if cosines[i, j] >= candidate_floor(lang, p["language"])]
        floor += len(gate)
        if gate and budget:
            bars, settings = budget
            gate = bars.admitted(archive, settings, watch, passages, vectors, cosines[:, j].tolist(), gate)
        gated += [(j, i, match_id(watch["watch_id"], passages[i]["passage_id"])) for i in gate]
    have = archive.watches.existing([m for _, _, m in gated]) if gated else set()
    todo = [(j, i, m) for j, i, m in gated if m not in have]
    pairs = [
        Pair(
            watches[j]["claim"], watches[j]["claim_language"], passages[i]["text"], passages[i]["language"], float(cosines[i, j])
        )
        for j, i, _ in todo
    ]
    verdicts = engine().judge_pairs(pairs) if pairs else []
    sided: dict[int, list[tuple[int, str, Verdict]]] = {}
    for (j, i, m), verdict in zip(todo, verdicts, strict=True):
        if verdict.on_topic and verdict.stance != NEITHER:
            sided.setdefault(j, []).append((i, m, verdict))
    found: list[dict[str, Any]] = []
    for j, hits in sided.items():
        watch = watches[j]
        views = {i: passage_view(passages[i]) for i, _, _ in hits}
        seen = archive.watches.matched_origins(watch["watch_id"], sorted({views[i]["origin_id"] for i, _, _ in hits}))
        for i, m, verdict in hits:
            origin = views[i]["origin_id"]
            found.append(
                {
                    "match_id": m,
                    "watch_id": watch["watch_id"],
                    "passage_id": views[i]["passage_id"],
                    "document_id": views[i]["document_id"],
                    "origin_id": origin,
                    "stance": verdict.stance,
                    "confidence": verdict.confidence,
                    "score": round(float(cosines[i, j]), 4),
                    "repeat": origin in seen,
                    "via": via,
                    "passage": views[i],
                }
            )
            seen.add(origin)
    added = archive.watches.add(found)
    log.debug("watches judged (%s): %d pairs over the floor, %d read by the model, %d new matches", via, floor, len(todo), added)
    return added


def on_written(archive: Archive, settings: Settings) -> Any:
    """The writer's hook: match the documents just written against every watched claim, within compare's budget."""
    bars = Bars()

    def hook(document_ids: list[str]) -> None:
        watches = _cache(archive).get(archive)
        bars.keep({str(w["watch_id"]) for w in watches})
        if watches:
            judge(archive, watches, archive.passages_of_documents(document_ids), "ingest", (bars, settings))

    return hook


# --- backfill ---------------------------------------------------------------------------------------------------


def start_backfill(archive: Archive, settings: Settings, watch_id: str, delay: float = 0.0) -> threading.Thread:
    """Match the archive as it stands against a new watch, in the background. It starts once every worker's list
    of watches holds the new one (after CACHE_SECONDS), so a passage written meanwhile is matched by its write or
    found by the backfill; a passage found by both is stored once."""
    args = (archive, settings, watch_id, delay)
    thread = threading.Thread(target=_backfill, args=args, daemon=True, name=f"backfill-{watch_id}")
    with _backfills_lock:
        _backfills[:] = [t for t in _backfills if t.is_alive()] + [thread]
    thread.start()
    return thread


_stopping = threading.Event()
_backfills: list[threading.Thread] = []
_backfills_lock = threading.Lock()


@atexit.register
def _stop_backfills(timeout: float = 60.0) -> None:
    """At exit, let each running backfill finish the page it is judging and stop there (killed inside the model, a
    thread aborts the process); what it left is resumed by the next reader of its watch, as after a crash."""
    _stopping.set()
    deadline = time.monotonic() + timeout
    with _backfills_lock:
        threads = list(_backfills)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


def _backfill(archive: Archive, settings: Settings, watch_id: str, delay: float) -> None:
    if _stopping.wait(delay):
        return
    store = archive.watches
    try:
        watch = store.get(watch_id)
        state = dict(watch["backfill"]) | {"status": "running", "updated": now_iso(), "error": None}
        state["done"], state["matches"] = int(state.get("done") or 0), int(state.get("matches") or 0)
        store.update(watch_id, {"backfill": state})
        vector = np.asarray(watch["vector"], dtype=np.float32)
        wide = dataclasses.replace(settings, compare_candidates=settings.watch_backfill_candidates)
        candidates = retrieve(archive, wide, watch["claim"], watch["claim_language"], vector, [])
        state["total"] = len(candidates)
        page = 32
        for start in range(state["done"], len(candidates), page):
            if _stopping.is_set():
                return  # the process is exiting: the next reader of the watch resumes from `done`
            hits = [h for h, _ in candidates[start : start + page]]
            state["matches"] += judge(archive, [watch], hits, "backfill")
            state["done"] = min(len(candidates), start + page)
            state["updated"] = now_iso()
            store.update(watch_id, {"backfill": state})
        state |= {"status": "done", "done": len(candidates), "updated": now_iso()}
        store.update(watch_id, {"backfill": state})
    except NotFound:
        log.info("backfill of %s stopped: the watch is gone", watch_id)  # deleted meanwhile: nothing left to record
    except Exception as err:  # noqa: BLE001 - recorded on the watch, readable by its owner
        log.exception("backfill of %s failed", watch_id)
        try:
            failed = {"status": "failed", "error": f"{type(err).__name__}: {err}", "updated": now_iso()}
            store.update(watch_id, {"backfill": failed})  # a partial update: done, total and matches stay
        except Exception:  # noqa: BLE001 - Elasticsearch is gone too; the next reader takes it over
            pass


def _resume_if_stalled(archive: Archive, settings: Settings, source: dict[str, Any]) -> None:
    """A backfill whose process died (running or pending, not heard from for a while) or that failed is restarted
    here; matches it already stored are not stored twice."""
    state = source.get("backfill") or {}
    if state.get("status") == "done":
        return
    updated = calendar.timegm(time.strptime(str(state.get("updated")), "%Y-%m-%dT%H:%M:%SZ"))
    if state.get("status") == "failed" or time.time() - updated > _STALE_BACKFILL:
        claim = (source["_seq_no"], source["_primary_term"])
        fresh = dict(state) | {"status": "pending", "updated": now_iso()}
        if archive.watches.update(source["watch_id"], {"backfill": fresh}, if_seq=claim):  # one reader takes it over
            start_backfill(archive, settings, source["watch_id"])
