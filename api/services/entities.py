"""Find entities by any spelling and list the passages that mention them."""

from __future__ import annotations

from typing import Any

from api.cursor import page
from index.repository import Archive
from text.entity import normalise, skeleton


def _summary(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": source["entity_id"],
        "name": source["name"],
        "type": source.get("type"),
        "aliases": source.get("aliases", []),
        "mention_count": source.get("mention_count", 0),
        "document_ids": source.get("documents", []),
        "score": round(float(source.get("_score") or 0.0), 4),
    }


def search(archive: Archive, q: str, limit: int, offset: int, cursor: str | None = None) -> dict[str, Any]:
    """Entities matching a name, best first."""
    keys = [k for k in (normalise(q), skeleton(q)) if k]

    def fetch(size: int, skip: int, after: list[Any] | None) -> tuple[list[dict[str, Any]], int]:
        return archive.search_entities(q.strip(), keys, size, skip, after)

    hits, total, next_cursor = page(fetch, "entities", q.strip(), limit, offset, cursor)
    return {
        "entities": [_summary(h) for h in hits],
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_cursor": next_cursor,
    }


def detail(archive: Archive, entity_id: str, limit: int, offset: int, cursor: str | None = None) -> dict[str, Any]:
    """An entity with its aliases and a page of the passages that mention it."""
    source = archive.get_entity(entity_id)
    documents: list[dict[str, Any]] = []

    def fetch(size: int, skip: int, after: list[Any] | None) -> tuple[list[dict[str, Any]], int]:
        hits, total, docs = archive.entity_passages(entity_id, size, skip, after)
        documents.extend(docs)
        return hits, total

    mentions, total, next_cursor = page(fetch, "mentions", entity_id, limit, offset, cursor)
    return {
        "id": source["entity_id"],
        "name": source["name"],
        "type": source.get("type"),
        "aliases": source.get("alias_details", []),
        "mention_count": source.get("mention_count", 0),
        "documents": documents,
        "mentions": mentions,
        "mentions_total": total,
        "limit": limit,
        "offset": offset,
        "next_cursor": next_cursor,
    }
