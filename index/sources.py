"""The stored forms of documents, passages and entities, and back."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Any

from text.documents import METADATA_FIELDS, Document
from text.entity import Entity
from text.metadata import FieldValue
from text.passages import Passage


def version_of(doc: Document) -> str:
    """Short content version: the same text and metadata give the same version."""
    return doc.content_hash[:12]


def passage_es_id(document_id: str, version: str, start: int, end: int) -> str:
    """Elasticsearch _id of a passage: document, content version and offsets (idempotent, never shared by versions)."""
    return f"{document_id}@{version}:{start}-{end}"


def published_period(published: str | None, precision: str | None) -> dict[str, str] | None:
    """The days a published date stands for: one day, a whole month or a whole year (None when undated), so a
    date filter keeps a month- or year-precision document whose period overlaps the range."""
    if not published:
        return None
    if precision == "year" or len(published) == 4:
        return {"gte": f"{published[:4]}-01-01", "lte": f"{published[:4]}-12-31"}
    if precision == "month" or len(published) == 7:
        year, month = int(published[:4]), int(published[5:7])
        last = calendar.monthrange(year, month)[1]
        return {"gte": f"{published[:7]}-01", "lte": f"{published[:7]}-{last:02d}"}
    return {"gte": published[:10], "lte": published[:10]}


def document_source(doc: Document, passages: Sequence[Passage]) -> dict[str, Any]:
    """The stored form of a document."""
    return {
        "document_id": doc.document_id,
        "text": doc.text,
        "outlet": doc.value("outlet"),
        "published": doc.value("published"),
        "published_precision": doc.published_precision,
        "published_period": published_period(doc.value("published"), doc.published_precision),
        "language": doc.language,
        "title": doc.value("title"),
        "url": doc.value("url"),
        "passage_count": len(passages),
        "content_hash": doc.content_hash,
        "version": version_of(doc),
        "provenance": doc.provenance(),
    }


def document_from_source(source: dict[str, Any]) -> Document:
    """Rebuild a Document from its stored form (for a full reindex from the archive itself)."""
    fields = {}
    for name in METADATA_FIELDS:
        prov = source.get("provenance", {}).get(name, {})
        fields[name] = FieldValue(source.get(name), prov.get("source", "none"), prov.get("evidence", ""), prov.get("precision"))
    given_language = source.get("provenance", {}).get("language", {}).get("source") == "given"
    return Document(source["document_id"], source["text"], fields, source.get("language", "und"), given_language)


def passage_source(
    doc: Document,
    passage: Passage,
    vector: Sequence[float],
    entity_ids: list[str],
    live: bool = True,
    origin: str | None = None,
) -> dict[str, Any]:
    """The stored form of a passage, with its document's metadata denormalised onto it; origin is the id shared
    by the passages of other documents that restate it (its own passage id when none does)."""
    return {
        "passage_id": passage.passage_id,
        "document_id": doc.document_id,
        "version": version_of(doc),
        "live": live,
        "position": passage.position,
        "start": passage.start,
        "end": passage.end,
        "text": passage.text,
        "language": passage.language,
        "role": passage.role,
        "origin": origin or passage.passage_id,
        "outlet": doc.value("outlet"),
        "published": doc.value("published"),
        "published_precision": doc.published_precision,
        "published_period": published_period(doc.value("published"), doc.published_precision),
        "title": doc.value("title"),
        "url": doc.value("url"),
        "document_language": doc.language,
        "entities": entity_ids,
        "embedding": [float(x) for x in vector],
    }


def origin_of(passage: dict[str, Any]) -> str:
    """The origin id of a stored passage (its own passage id in an archive built before origins existed)."""
    return str(passage.get("origin") or passage["passage_id"])


def entity_source(entity: Entity) -> dict[str, Any]:
    """The stored form of an entity."""
    by_document: dict[str, int] = {}
    for m in entity.mentions:
        by_document[m.document_id] = by_document.get(m.document_id, 0) + 1
    return {
        "entity_id": entity.entity_id,
        "name": entity.name,
        "aliases": sorted(entity.aliases),
        "keys": sorted(entity.keys),
        "type": entity.type,
        "mention_count": len(entity.mentions),
        "documents": entity.documents,
        "mentions_by_document": by_document,
        "alias_details": [{"alias": a, "documents": sorted(d)} for a, d in sorted(entity.aliases.items())],
    }


def passage_entities(entities: Sequence[Entity]) -> dict[str, list[str]]:
    """Entity ids per passage id."""
    out: dict[str, list[str]] = {}
    for e in entities:
        for m in e.mentions:
            ids = out.setdefault(m.passage_id, [])
            if e.entity_id not in ids:
                ids.append(e.entity_id)
    return out


def hit_source(hit: dict[str, Any]) -> dict[str, Any]:
    """A search hit's stored fields, with its embedding when the search asked for it (the script field of
    `queries.with_vectors`: the passages index keeps vectors out of _source)."""
    source = dict(hit.get("_source") or {})
    vector = (hit.get("fields") or {}).get("embedding")
    if vector:
        source["embedding"] = vector[0]
    return source
