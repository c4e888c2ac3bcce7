"""Build the one Elasticsearch client the app uses, with explicit timeouts and retries."""

from __future__ import annotations

from elasticsearch import Elasticsearch


def make_client(url: str | list[str], request_timeout: float, max_retries: int) -> Elasticsearch:
    """Return a client for one node or several (it moves to the next node when one does not answer) that fails
    fast instead of hanging on a dead cluster (values from the settings)."""
    return Elasticsearch(
        url,
        request_timeout=request_timeout,
        max_retries=max_retries,
        retry_on_timeout=True,
    )
