"""Answers to repeated claims from a cache, valid until the archive next changes.

A newsroom checks the same viral claim many times over an afternoon. The key is the archive's generation (read
before answering: index.generation), the claim with its whitespace collapsed (compare reads it so too; case is kept:
the e5 encoder is cased, so "US" and "us" are different questions) and every request option as validated. Any write
that readers can see advances the generation, so an answer is never served after the archive changed under it. Per
worker, bounded by the bytes of the answers' JSON (least recently used out first); a hit is the same JSON, byte for
byte, as the answer it repeats, and says so in Server-Timing (`cache;desc="hit"`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from cachetools import LRUCache

from api.config import Settings
from api.services.compare import normal_claim
from api.services.stages import Stages
from index.repository import Archive
from stance.engine import EngineOptions, options


def cache_key(prefix: str, generation: str, request: dict[str, Any], answerer: str = "") -> str:
    """One string per (archive, generation, claim, options, answerer): the same question asked again of the same
    archive and the same configured compare gets the same key."""
    rest = {k: v for k, v in request.items() if k != "claim"}
    claim = normal_claim(request["claim"])
    key = {"archive": prefix, "generation": generation, "claim": claim, "options": rest, "answerer": answerer}
    return json.dumps(key, sort_keys=True, ensure_ascii=False, default=_plain)


def answerer(settings: Settings) -> str:
    """What else shapes an answer: the app's settings (candidate budget, counter places, limits) and the stance
    engine's weights and precision; a digest, so apps configured apart in one process never share answers."""
    return _digest(settings, options())


@lru_cache(maxsize=16)
def _digest(settings: Settings, engine: EngineOptions) -> str:
    """Computed once per configuration, not per request (both are frozen dataclasses)."""
    return hashlib.sha256(f"{settings!r}|{engine!r}".encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    raise TypeError(f"not a request value: {type(value).__name__}")


class CompareCache:
    """A size-bounded LRU of serialised answers (thread-safe: a worker serves several requests at once)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._lru: LRUCache[str, str] = LRUCache(maxsize=max(1, max_bytes), getsizeof=len)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            text = self._lru.get(key)
        return json.loads(text) if text is not None else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        text = json.dumps(answer, ensure_ascii=False)
        if not self.max_bytes or len(text) > self.max_bytes:
            return
        with self._lock:
            self._lru[key] = text


_caches: dict[int, CompareCache] = {}
_caches_lock = threading.Lock()


def worker_cache(max_bytes: int) -> CompareCache:
    """This process's cache (one per size: tests run apps of several settings in one process; keys name the archive)."""
    with _caches_lock:
        return _caches.setdefault(max_bytes, CompareCache(max_bytes))


def answer(
    cache: CompareCache,
    archive: Archive,
    settings: Settings,
    request: dict[str, Any],
    stage: Stages,
    fresh: Callable[[], dict[str, Any]],
    reuse: bool = True,
) -> dict[str, Any]:
    """The cached answer to this request on the archive as it is now, else `fresh()` (then kept); `reuse=False`
    (a request's `Cache-Control: no-cache`) answers afresh and keeps that answer."""
    if not cache.max_bytes:
        return fresh()
    with stage("cache"):
        generation = archive.generation.read()  # before answering: a write after this makes a newer generation
        key = cache_key(archive.names.prefix, generation, request, answerer(settings)) if generation else None
        hit = cache.get(key) if key and reuse else None
    if hit is not None:
        stage.note("cache", "hit")
        return hit
    stage.note("cache", "miss" if key and reuse else "fresh" if key else "off")
    result = fresh()
    if key:
        cache.put(key, result)
    else:
        # an archive built before generations existed gets one now, once it has answered; this answer is not kept
        # (a write may have landed while it was computed), the next one is
        archive.generation.advance()
    return result
