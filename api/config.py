"""Configuration from the environment, with defaults for a local node."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    elasticsearch_url: str = "http://127.0.0.1:9200"
    index_prefix: str = "claimcheck"
    es_request_timeout: float = 10.0
    es_max_retries: int = 1
    max_content_length: int = 64 * 1024
    claim_max_chars: int = 1000
    compare_candidates: int = 40
    compare_neighbours_of: int = 10
    compare_counter: int = 8
    compare_default_limit: int = 20
    compare_default_related_limit: int = 10
    retry_after_seconds: int = 5
    warm_models: bool = True
    api_tokens: str = ""
    reads_require_token: bool = False
    max_document_bytes: int = 2 * 1024 * 1024
    compare_rate_limit: str = "120/minute"
    rate_limit_storage: str = "memory://"
    log_level: str = "INFO"
    claimreview_author: str = "claimcheck evidence search (automated, no verdict)"

    @property
    def tokens(self) -> list[str]:
        """The bearer tokens that may write (API_TOKENS, comma-separated)."""
        return [t.strip() for t in self.api_tokens.split(",") if t.strip()]

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read each field from its upper-case environment variable, then apply overrides."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.name.upper())
            if raw is None:
                continue
            kind: Any = type(f.default)
            values[f.name] = raw.lower() in ("1", "true", "yes") if kind is bool else kind(raw)
        values.update(overrides)
        return cls(**values)
