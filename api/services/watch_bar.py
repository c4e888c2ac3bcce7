"""Which written passages a watched claim's stance model reads: compare's candidate budget, kept per watch as the feed
goes by.

compare judges at most COMPARE_CANDIDATES passages of a claim: the best by how far their cosine clears the floor of
their language pair, then COMPARE_COUNTER places for the on-topic passages closest to the claim's counter-claims.
A passage outside that budget is never put on a side by compare, so a watch spends no model time on it either. Within
a topic e5 cosines bunch just above the floor (bench/results/feed.txt: 55 % of a topic-dense feed's pairs clear it),
so the floor alone lets through what compare's budget cuts. A written passage is read for a watch when

- it is on topic outright (its cosine clears the relevance threshold itself, not only the rescue band below it), or
- it would rank among the watch's best COMPARE_CANDIDATES - COMPARE_COUNTER passages by margin over the floor, or
- it would take one of its language's COMPARE_COUNTER places: compare deals them out to the claim's languages in
  turn (the claim's first), each language to its passages closest to the counter-claims (stance.counter.interleave),

counting the archive (read through compare's own retrieval once per process and watch, and again after BAR_SECONDS)
and what this process has admitted since. Another process's admissions reach this one at its next read: until then
this bar is lower than the archive's (more pairs read, none skipped that compare would read), except that a passage
deleted since the last read still holds its place until the next.
"""

from __future__ import annotations

import dataclasses
import heapq
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from api.config import Settings
from api.services.compare import counter_slots, retrieve
from index.repository import Archive
from stance.counter import language_order
from stance.engine import candidate_floor, options, rescue_band

BAR_SECONDS = 600.0
log = logging.getLogger(__name__)


def counter_places(slots: int, claim_language: str, languages: Iterable[str]) -> dict[str, int]:
    """How many of compare's counter places each language gets when every one has passages enough: dealt in turn,
    the claim's language first, then by name (stance.counter.interleave's order)."""
    order = language_order(languages, claim_language)
    return {language: slots // len(order) + (k < slots % len(order)) for k, language in enumerate(order)} if order else {}


@dataclasses.dataclass
class Bar:
    """One watch's budget: the margins of the best passages seen (a min-heap of at most `head` of them) and, per
    language, the counter-claim scores of the best on-topic passages outside those (min-heaps of at most that
    language's `places`), and the watch's counter-claim vectors per language."""

    head: int
    places: dict[str, int] = dataclasses.field(default_factory=dict)
    vectors: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    margins: list[float] = dataclasses.field(default_factory=list)
    counter: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    read_at: float = dataclasses.field(default_factory=time.monotonic)
    reads: Counter[str] = dataclasses.field(default_factory=Counter)  # admissions since the read, by place taken

    def admit(self, margin: float, on_topic: bool, language: str, counter_score: float | None) -> bool:
        """Whether compare's budget would now take a passage of this margin (≥ 0: it clears the floor), counting it
        in when it would."""
        if margin < 0:
            return False
        if self.head and (len(self.margins) < self.head or margin > self.margins[0]):
            self.reads["head-filling" if len(self.margins) < self.head else "head"] += 1
            _push(self.margins, margin, self.head)
            return True
        size = self.places.get(language, 0)
        if counter_score is not None and size:
            scores = self.counter.setdefault(language, [])
            if len(scores) < size or counter_score > scores[0]:
                self.reads[f"counter-{language}" + ("-filling" if len(scores) < size else "")] += 1
                _push(scores, counter_score, size)
                return True
        if on_topic:
            self.reads["on-topic"] += 1
        return on_topic


def _push(heap: list[float], value: float, size: int) -> None:
    if len(heap) < size:
        heapq.heappush(heap, value)
    else:
        heapq.heapreplace(heap, value)


def counter_score(counter: Mapping[str, np.ndarray], language: str, vector: np.ndarray) -> float | None:
    """The passage's cosine to the watch's counter-claims in its language (None where the watch has none)."""
    mean = counter.get(language)
    return None if mean is None else float(np.dot(mean, vector))


def read(archive: Archive, settings: Settings, watch: Mapping[str, Any]) -> Bar:
    """The watch's bar as the archive stands: compare's candidates for its claim, split as compare splits them."""
    slots = counter_slots(settings)
    counter = {lang: np.asarray(v, dtype=np.float32) for lang, v in (watch.get("counter") or {}).items()}
    vector = np.asarray(watch["vector"], dtype=np.float32)
    lang = watch["claim_language"]
    bar = Bar(head=settings.compare_candidates - slots, places=counter_places(slots, lang, counter), vectors=counter)
    candidates = retrieve(archive, settings, watch["claim"], lang, vector, [], counter=counter)
    weights = options().weights
    scored = [(cos - candidate_floor(lang, hit["language"], weights), hit) for hit, cos in candidates]
    ranked = sorted(scored, key=lambda pair: -pair[0])
    for margin, _ in ranked[: bar.head]:
        _push(bar.margins, margin, bar.head)
    for _, hit in ranked[bar.head :]:
        score = counter_score(counter, hit["language"], np.asarray(hit["embedding"], dtype=np.float32))
        size = bar.places.get(hit["language"], 0)
        if score is not None and size:
            _push(bar.counter.setdefault(hit["language"], []), score, size)
    head_min = f"{bar.margins[0]:.4f}" if bar.margins else "-"
    counter_min = {k: round(v[0], 4) for k, v in bar.counter.items() if v}
    log.debug(
        "bar of %s: %d candidates, head %d (min margin %s), counter %s",
        watch["watch_id"],
        len(ranked),
        len(bar.margins),
        head_min,
        counter_min,
    )
    return bar


class Bars:
    """This process's bars, one per watch, read when first needed and again after BAR_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bars: dict[str, Bar] = {}

    def admitted(
        self,
        archive: Archive,
        settings: Settings,
        watch: Mapping[str, Any],
        passages: Sequence[Mapping[str, Any]],
        vectors: np.ndarray,
        cosines: Sequence[float],
        candidates: Sequence[int],
    ) -> list[int]:
        """Of the candidates (indices of passages, whose e5 vectors are the rows of `vectors`, that clear the watch's
        floor), those compare's budget takes, best margin first so that a chunk's own passages compete as they would
        in the archive."""
        weights = options().weights
        band = rescue_band(weights)
        rescue = band[0] if band else 0.0
        lang = watch["claim_language"]
        margins = {i: cosines[i] - candidate_floor(lang, passages[i]["language"], weights) for i in candidates}
        watch_id = str(watch["watch_id"])
        with self._lock:
            bar = self._bars.get(watch_id)
        if bar is None or time.monotonic() - bar.read_at > BAR_SECONDS:
            bar = read(archive, settings, watch)  # outside the lock: Elasticsearch's time, not other watches'
            with self._lock:
                self._bars[watch_id] = bar
        with self._lock:
            taken = [
                i
                for i in sorted(candidates, key=lambda i: (-margins[i], i))
                if bar.admit(
                    margins[i],
                    margins[i] >= rescue,
                    passages[i]["language"],
                    counter_score(bar.vectors, passages[i]["language"], vectors[i]),
                )
            ]
            if taken:
                log.debug("bar of %s: %d of %d read; since its read %s", watch_id, len(taken), len(candidates), dict(bar.reads))
            return taken

    def keep(self, watch_ids: set[str]) -> None:
        """Drop the bars of watches no longer watched."""
        with self._lock:
            for gone in set(self._bars) - watch_ids:
                del self._bars[gone]
