"""The archive the app (or a command) reads and writes: one Elasticsearch client per process, from the settings."""

from __future__ import annotations

from flask import current_app

from api.config import Settings
from index.client import make_client
from index.mappings import Layout
from index.names import IndexNames
from index.repository import Archive
from text.origins import MUTUAL_SUPPORT


def restates(pairs: list[tuple[str, str]]) -> list[float]:
    """Mutual support of passage pairs from the stance model (loaded on first use): how origins link translations
    the e5 cosine floor misses."""
    from stance.engine import engine

    return engine().mutual_support(pairs, floor=MUTUAL_SUPPORT)


def connect(settings: Settings) -> Archive:
    """The archive the settings point at, on a client with their timeout and retries; its writer links
    translations with the stance model."""
    client = make_client(settings.elasticsearch_urls, settings.es_request_timeout, settings.es_max_retries)
    layout = Layout(settings.index_shards, settings.index_replicas, settings.index_vectors)
    archive = Archive(client, IndexNames(settings.index_prefix), restates, layout)
    from api.services.watches import on_written

    archive.writer.on_written = on_written(archive, settings)  # every write is matched against the watched claims
    return archive


def current() -> Archive:
    """The archive bound to this app."""
    archive: Archive = current_app.extensions["archive"]
    return archive
