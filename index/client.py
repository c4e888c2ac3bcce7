"""Build the one Elasticsearch client the app uses, with explicit timeouts and retries."""

from __future__ import annotations

from elasticsearch import Elasticsearch


def make_client(url: str, request_timeout: float = 10.0, max_retries: int = 2) -> Elasticsearch:
    """Return a client for `url` that fails fast instead of hanging on a dead cluster."""
    return Elasticsearch(
        url,
        request_timeout=request_timeout,
        max_retries=max_retries,
        retry_on_timeout=True,
    )
