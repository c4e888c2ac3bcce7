"""Configuration: the one place the process reads its environment (app, Elasticsearch, stance model, gunicorn,
logging), validated at start with errors that name the variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# fields that only take one of a few values, and numbers that must be positive (or at least 0)
CHOICES = {
    "stance_bf16": ("auto", "true", "false"),
    "log_level": ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
    "index_vectors": ("float", "int8"),
}
POSITIVE = {"es_request_timeout", "max_content_length", "claim_max_chars", "compare_candidates", "compare_default_limit"}
POSITIVE |= {"web_concurrency", "threads", "worker_timeout", "max_document_bytes", "max_batch_bytes", "retry_after_seconds"}
POSITIVE |= {"index_shards", "compare_in_flight", "watch_backfill_candidates", "webhook_timeout", "webhook_retry_seconds"}


class SettingsError(ValueError):
    """One or more environment variables hold a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the process reads from its environment: each field from its upper-case variable."""

    elasticsearch_url: str = "http://127.0.0.1:9200"  # one node, or several comma-separated (the client fails over)
    index_prefix: str = "claimcheck"
    # the layout of indices a build creates: primary shards, replicas (1 or more on a cluster of several nodes) and
    # the passage vectors' HNSW graph in float32 or int8 (index.mappings.Layout)
    index_shards: int = 1
    index_replicas: int = 0
    index_vectors: str = "float"
    es_request_timeout: float = 10.0
    es_max_retries: int = 1
    max_content_length: int = 64 * 1024
    claim_max_chars: int = 1000
    compare_candidates: int = 40
    compare_neighbours_of: int = 10
    compare_counter: int = 8
    compare_default_limit: int = 20
    compare_default_related_limit: int = 10
    # answers kept per worker for repeated claims (bytes of JSON; 0: no cache), valid until the archive next changes
    compare_cache_bytes: int = 32 * 1024 * 1024
    retry_after_seconds: int = 5
    warm_models: bool = True
    api_tokens: str = ""
    reads_require_token: bool = False
    max_document_bytes: int = 2 * 1024 * 1024
    max_batch_bytes: int = 16 * 1024 * 1024  # POST /v1/documents:batch (up to 100 articles)
    compare_rate_limit: str = "120/minute"
    rate_limit_storage: str = "memory://"
    log_level: str = "INFO"
    claimreview_author: str = "claimcheck evidence search (automated, no verdict)"
    # the stance model: a trained folder other than the shipped stance/weights (to measure a candidate through the
    # whole product), torch threads per worker (0: torch's default), bf16 matmuls (off by default; auto: where the
    # CPU has them, faster but verdicts near the floor then differ by CPU and batch), int8 products (stance.int8:
    # ~2.9x on AVX-512 VNNI, the pairs near a boundary reread in fp32)
    stance_weights: str = ""
    stance_threads: int = 0
    stance_bf16: str = "false"  # fp32 unless asked: the same verdicts on every CPU (bf16 rounds by CPU and batch)
    stance_int8: bool = False
    # a distilled student (a trained folder whose decision.json holds a cascade margin for these weights) that reads
    # every candidate first; the weights then reread only the pairs it is unsure of. Empty: the weights read all.
    stance_student: str = ""
    # gunicorn (read by gunicorn.conf.py, which run.sh, the Dockerfile, `python -m api serve` and the tests use)
    bind: str = "127.0.0.1:8000"
    web_concurrency: int = 2
    # enough threads that a read never waits behind compares queued on the worker's one stance model: with 4, the
    # 8-client load kept reads' p95 at 2-3 s; with 12, 20-74 ms (bench/results/threads.txt)
    threads: int = 12
    # compares and stance requests one worker holds at once (waiting for its model or using it); one more gets 503
    # Busy with Retry-After, so that THREADS - COMPARE_IN_FLIGHT threads stay free for reads
    compare_in_flight: int = 8
    # watched claims: a match is returned to pollers once stamped this long ago (longer than a match write takes),
    # and a new watch's backfill judges up to this many of the archive's candidates
    watch_settle_seconds: float = 3.0
    watch_backfill_candidates: int = 200
    webhook_timeout: float = 5.0
    webhook_retry_seconds: float = 2.0  # the first retry's delay; it doubles with each failure, up to 5 minutes
    worker_timeout: int = 120

    @property
    def tokens(self) -> list[str]:
        """The bearer tokens that may write (API_TOKENS, comma-separated)."""
        return [t.strip() for t in self.api_tokens.split(",") if t.strip()]

    @property
    def elasticsearch_urls(self) -> list[str]:
        """The Elasticsearch nodes to talk to (ELASTICSEARCH_URL, comma-separated)."""
        return [u.strip() for u in self.elasticsearch_url.split(",") if u.strip()]

    @property
    def bf16(self) -> bool | None:
        """STANCE_BF16 as the engine takes it: None for auto."""
        return None if self.stance_bf16 == "auto" else self.stance_bf16 == "true"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read each field from its upper-case environment variable, then apply overrides; every unusable value
        is reported at once (SettingsError naming the variables)."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            raw = env.get(f.name.upper())
            if raw is None:
                continue
            try:
                values[f.name] = _parse(f.name, raw, type(f.default))
            except ValueError as err:
                problems.append(f"{f.name.upper()}={raw!r}: {err}")
        if problems:
            raise SettingsError("invalid configuration: " + "; ".join(problems))
        values.update(overrides)
        return cls(**values)


def _parse(name: str, raw: str, kind: type) -> Any:
    """One environment value as its field's type, checked against the field's choices and range."""
    text = raw.strip()
    if kind is bool:
        if text.lower() not in _TRUE + _FALSE:
            raise ValueError(f"expected one of {', '.join(_TRUE + _FALSE)}")
        return text.lower() in _TRUE
    if kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(f"expected {'an integer' if kind is int else 'a number'}") from None
        if value < 0 or (name in POSITIVE and value == 0):
            raise ValueError("must be positive" if name in POSITIVE else "must not be negative")
        return value
    if name in CHOICES:
        choice = text.upper() if name == "log_level" else text.lower()
        if choice not in CHOICES[name]:
            raise ValueError(f"expected one of {', '.join(CHOICES[name])}")
        return choice
    return raw
