"""Shared helpers for the benchmarks: HTTP calls to a running server, percentile tables, public test sets."""

from __future__ import annotations

import json
import os
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

PARALLEL = Path(__file__).resolve().parents[2] / "shared" / "data" / "parallel_scandi_opus_testsets"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seed_gold_dev.json"
FLORES_FILES = {"en": "eng_Latn.devtest", "nb": "nob_Latn.devtest", "sv": "swe_Latn.devtest"}


# benchmarks time the work, not the compare cache, unless BENCH_CACHE=use (bench/compare_cached.py measures hits)
FRESH = {} if os.environ.get("BENCH_CACHE") == "use" else {"Cache-Control": "no-cache"}


def call(base: str, method: str, path: str, body: Any = None, timeout: float = 60) -> tuple[int, Any, float]:
    """One request; returns status, parsed body and seconds."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | FRESH
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            payload = json.loads(resp.read() or b"null")
            return resp.status, payload, time.perf_counter() - start
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace"), time.perf_counter() - start


def quote(text: str) -> str:
    """URL-encode a query value."""
    return urllib.parse.quote(text, safe="")


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(name: str, seconds: list[float], errors: int) -> str:
    """One table row: count, errors, p50, p95, max in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<28} n={len(ms):<5} errors={errors:<3} p50={statistics.median(ms):7.1f} ms"
        f"  p95={percentile(ms, 95):7.1f} ms  max={max(ms):7.1f} ms"
    )


def timed_rounds(base: str, requests: list[tuple[str, str, Any]], rounds: int) -> tuple[list[float], int]:
    """Send every (method, path, body) request `rounds` times in order; seconds of each and the non-200 count."""
    seconds, errors = [], 0
    for _ in range(rounds):
        for method, path, body in requests:
            status, _, secs = call(base, method, path, body)
            seconds.append(secs)
            errors += status != 200
    return seconds, errors


def flores() -> dict[str, list[str]]:
    """FLORES-200 devtest in en, nb and sv: 1,012 line-aligned sentences each (../shared/data, never committed)."""
    folder = PARALLEL / "flores200_devtest"
    return {lang: (folder / name).read_text(encoding="utf-8").splitlines() for lang, name in FLORES_FILES.items()}


def added_articles(folder: str | Path) -> list[Path]:
    """The articles bench/archive_build.py added to an archive folder (its seeds are named 000_..., 001_...), by name."""
    return sorted(p for p in Path(folder).glob("*.txt") if not p.name[:3].isdigit())


def gold_claims() -> list[str]:
    """The dev gold set's claims with their language variants, in file order (for timing, never for fitting)."""
    items = json.loads(GOLD.read_text(encoding="utf-8"))
    return [c for i in items if i["kind"] == "claim" for c in [i["query"], *i.get("variants", {}).values()]]
