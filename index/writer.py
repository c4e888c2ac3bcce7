"""Add, replace and delete single documents in the live archive, never serving a half-indexed one.

All three indices refresh only when a writer asks (refresh_interval -1). A replacement is written in steps
that readers cannot see until the final refresh: (1) stage the new version's passages with live=false under
ids that include the version, (2) one bulk request flips them live and deletes the old version's passages,
(3) entity statistics and (4) the document record are updated, (5) one refresh publishes everything. An
interruption before step 5 leaves the previous version served; staged passages stay invisible (live=false).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import ConflictError, Elasticsearch
from elasticsearch import NotFoundError as ESNotFound
from elasticsearch.helpers import bulk

from index.documents import Document
from index.embedding import embed_passages
from index.entity import Entity, build_entities, slug
from index.errors import IndexNotReady, NotFound, is_index_missing
from index.ingest import bulk_index
from index.names import IndexNames
from index.passages import Passage, split_passages
from index.sources import document_source, entity_source, passage_entities, passage_es_id, passage_source, version_of

log = logging.getLogger(__name__)
_RETRIES = 5


@dataclass(frozen=True)
class WriteResult:
    """What a write did: status is created, replaced, unchanged or deleted."""

    document_id: str
    status: str
    version: str | None
    passages: int


def _existing(es: Elasticsearch, names: IndexNames, document_id: str) -> dict[str, Any] | None:
    try:
        return dict(es.get(index=names.documents, id=document_id, source_excludes=["text"])["_source"])
    except ESNotFound as err:
        if is_index_missing(err):
            raise IndexNotReady(names.documents) from err
        return None


def _passage_ids(es: Elasticsearch, names: IndexNames, document_id: str, live: bool | None = None) -> list[str]:
    """Elasticsearch ids of a document's published passages."""
    query: dict[str, Any] = {"bool": {"filter": [{"term": {"document_id": document_id}}]}}
    if live is not None:
        query["bool"]["filter"].append({"term": {"live": live}})
    resp = es.search(index=names.passages, query=query, size=10_000, source=False)
    return [h["_id"] for h in resp["hits"]["hits"]]


def resolve_entities(es: Elasticsearch, names: IndexNames, local: Sequence[Entity]) -> dict[str, str]:
    """Map each entity found in one document to an archive entity sharing a key, or to a fresh id."""
    assignment: dict[str, str] = {}
    taken: set[str] = set()
    for entity in local:
        resp = es.search(
            index=names.entities,
            query={"terms": {"keys": sorted(entity.keys)}},
            sort=[{"mention_count": "desc"}, {"entity_id": "asc"}],
            size=1,
            source_includes=["entity_id"],
        )
        hits = resp["hits"]["hits"]
        if hits:
            assignment[entity.entity_id] = hits[0]["_source"]["entity_id"]
            continue
        base = candidate = slug(entity.name)
        n = 2
        while candidate in taken or es.exists(index=names.entities, id=candidate):
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        assignment[entity.entity_id] = candidate
    return assignment


def _update_entity(es: Elasticsearch, names: IndexNames, entity_id: str, change: Any, fresh: dict[str, Any] | None) -> None:
    """Read-modify-write one entity with optimistic concurrency; delete it when no document mentions it."""
    for _ in range(_RETRIES):
        try:
            got = es.get(index=names.entities, id=entity_id)
            source, seq = dict(got["_source"]), {"if_seq_no": got["_seq_no"], "if_primary_term": got["_primary_term"]}
        except ESNotFound:
            if fresh is None:
                return
            source, seq = dict(fresh), {}
        change(source)
        counts = source.get("mentions_by_document") or {}
        try:
            if not counts:
                if seq:
                    es.delete(index=names.entities, id=entity_id, **seq)
                return
            source["mention_count"] = sum(counts.values())
            source["documents"] = sorted(counts)
            if seq:
                es.index(index=names.entities, id=entity_id, document=source, **seq)
            else:
                es.create(index=names.entities, id=entity_id, document=source)
            return
        except ConflictError:
            continue
    raise RuntimeError(f"entity {entity_id} kept changing under concurrent writes")


def _forget_document(es: Elasticsearch, names: IndexNames, document_id: str) -> None:
    """Remove a document from every entity's statistics."""
    resp = es.search(index=names.entities, query={"term": {"documents": document_id}}, size=10_000, source_includes=["entity_id"])

    def drop(source: dict[str, Any]) -> None:
        (source.get("mentions_by_document") or {}).pop(document_id, None)
        details = [
            {"alias": d["alias"], "documents": [x for x in d["documents"] if x != document_id]}
            for d in source.get("alias_details", [])
        ]
        source["alias_details"] = [d for d in details if d["documents"]]
        source["aliases"] = [d["alias"] for d in source["alias_details"]]

    for hit in resp["hits"]["hits"]:
        _update_entity(es, names, hit["_source"]["entity_id"], drop, None)


def _learn_document(es: Elasticsearch, names: IndexNames, local: Sequence[Entity], assignment: dict[str, str]) -> None:
    """Add one document's entities (aliases, keys, mention counts) to the archive's entities."""
    for entity in local:
        entity_id = assignment[entity.entity_id]
        fresh = entity_source(entity) | {"entity_id": entity_id}
        new = entity_source(entity)

        def merge(source: dict[str, Any], new: dict[str, Any] = new) -> None:
            source["keys"] = sorted(set(source.get("keys", [])) | set(new["keys"]))
            counts = dict(source.get("mentions_by_document") or {})
            counts.update(new["mentions_by_document"])
            source["mentions_by_document"] = counts
            details = {d["alias"]: set(d["documents"]) for d in source.get("alias_details", [])}
            for d in new["alias_details"]:
                details.setdefault(d["alias"], set()).update(d["documents"])
            source["alias_details"] = [{"alias": a, "documents": sorted(ds)} for a, ds in sorted(details.items())]
            source["aliases"] = sorted(details)
            source["type"] = source.get("type") or new["type"]

        _update_entity(es, names, entity_id, merge, fresh)


def stage(es: Elasticsearch, names: IndexNames, doc: Document) -> tuple[list[Passage], list[Entity], dict[str, str], list[str]]:
    """Step 1: write the new version's passages, invisible (live=false); return what the later steps need."""
    passages = split_passages(doc.document_id, doc.text, doc.language)
    local = build_entities(passages)
    assignment = resolve_entities(es, names, local)
    by_passage = {pid: [assignment[e] for e in ids] for pid, ids in passage_entities(local).items()}
    vectors = embed_passages([p.text for p in passages])
    sources = [
        passage_source(doc, p, v, by_passage.get(p.passage_id, []), live=False) for p, v in zip(passages, vectors, strict=True)
    ]
    bulk_index(es, names.passages, iter(sources))
    version = version_of(doc)
    new_ids = [passage_es_id(doc.document_id, version, p.start, p.end) for p in passages]
    return passages, local, assignment, new_ids


def upsert(es: Elasticsearch, names: IndexNames, doc: Document) -> WriteResult:
    """Create or replace a document; the same content again is a no-op. Searchable when this returns."""
    existing = _existing(es, names, doc.document_id)
    version = version_of(doc)
    if existing and existing.get("content_hash") == doc.content_hash:
        return WriteResult(doc.document_id, "unchanged", version, int(existing.get("passage_count", 0)))
    old_ids = _passage_ids(es, names, doc.document_id)
    passages, local, assignment, new_ids = stage(es, names, doc)
    flip = [{"_op_type": "update", "_index": names.passages, "_id": i, "doc": {"live": True}} for i in new_ids]
    flip += [{"_op_type": "delete", "_index": names.passages, "_id": i} for i in old_ids if i not in set(new_ids)]
    bulk(es, flip, raise_on_error=True)
    if existing:
        _forget_document(es, names, doc.document_id)
    _learn_document(es, names, local, assignment)
    es.index(index=names.documents, id=doc.document_id, document=document_source(doc, passages))
    publish(es, names)
    status = "replaced" if existing else "created"
    log.info("document %s %s (version %s, %d passages)", doc.document_id, status, version, len(passages))
    return WriteResult(doc.document_id, status, version, len(passages))


def delete(es: Elasticsearch, names: IndexNames, document_id: str) -> WriteResult:
    """Remove a document, its passages and its share of entity statistics."""
    if _existing(es, names, document_id) is None:
        raise NotFound(document_id)
    ids = _passage_ids(es, names, document_id)
    bulk(es, ({"_op_type": "delete", "_index": names.passages, "_id": i} for i in ids), raise_on_error=True)
    _forget_document(es, names, document_id)
    es.delete(index=names.documents, id=document_id)
    publish(es, names)
    log.info("document %s deleted (%d passages)", document_id, len(ids))
    return WriteResult(document_id, "deleted", None, len(ids))


def publish(es: Elasticsearch, names: IndexNames) -> None:
    """Make every completed write visible to readers at once."""
    es.indices.refresh(index=f"{names.passages},{names.documents},{names.entities}")
