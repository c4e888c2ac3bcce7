"""Every write to the archive goes through `Writer`: whole builds behind an alias swap, and single documents
added, replaced or deleted in the live archive, never serving a half-indexed one.

All three indices refresh only when a writer asks (refresh_interval -1). A write (1) reads what it needs (the
archive's entities, the passages its own restate), (2) updates the entity statistics, (3) writes the document
record, (4) merges the origins it joined, and last (5) in one bulk indexes the new version's passages, live, and
deletes the old version's; (6) one refresh publishes everything. An interruption before step 5 leaves the previous
version served and no live passage of a document the archive lacks; the same content sent again finishes it.
Passages keep their vectors out of _source, so nothing here updates a passage in place: a changed passage is
rewritten whole, its vector read back from the index.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch import NotFoundError as ESNotFound
from elasticsearch.helpers import BulkIndexError, bulk

from index import queries
from index.errors import IndexNotReady, NotFound, is_index_missing
from index.generation import Generation
from index.ingest import BuildReport, Progress, build
from index.ingest import es_id as source_es_id
from index.mappings import Layout
from index.names import IndexNames
from index.sources import document_source, entity_source, hit_source, passage_entities, passage_source, version_of
from index.unpublished import Unpublished
from text.documents import Document
from text.embedding import embed_passages
from text.entity import Entity, build_entities, slug
from text.origins import CANDIDATE_COSINE, MUTUAL_SUPPORT, Restates, in_band, same_origin
from text.passages import Passage, split_passages
from text.torch_thread import run_torch_here

log = logging.getLogger(__name__)
_RETRIES = 5
_ORIGIN_CANDIDATES = 10  # the nearest passages of other documents a new passage's origin is looked for among


@dataclass(frozen=True)
class Prepared:
    """What a document's write needs that reads nothing from the archive: its passages, their embeddings (n x 384)
    and the entities found in them."""

    passages: list[Passage]
    vectors: Any
    entities: list[Entity]


def prepare(docs: Sequence[Document]) -> list[Prepared]:
    """Passages, vectors and entities of each document; all passages embedded in one call (the embedder sorts a
    call by length, so a few hundred passages embed ~1.7x faster than one article's at a time)."""
    split = [split_passages(d.document_id, d.text, d.language) for d in docs]
    vectors = embed_passages([p.text for passages in split for p in passages])
    out: list[Prepared] = []
    offset = 0
    for passages in split:
        out.append(Prepared(passages, vectors[offset : offset + len(passages)], build_entities(passages)))
        offset += len(passages)
    return out


@dataclass(frozen=True)
class WriteResult:
    """What a write did: status is created, replaced, unchanged or deleted."""

    document_id: str
    status: str
    version: str | None
    passages: int


def _entity_action(index: str, entity_id: str, source: dict[str, Any], seq: dict[str, Any]) -> dict[str, Any] | None:
    """The bulk action that stores a changed entity, guarded by the sequence numbers read (`seq`, empty for a new
    one): deleted when no document mentions it any more, else written with its counts; None when nothing is to do."""
    counts = source.get("mentions_by_document") or {}
    if not counts:
        return {"_op_type": "delete", "_index": index, "_id": entity_id, **seq} if seq else None
    source |= {"mention_count": sum(counts.values()), "documents": sorted(counts)}
    return {"_op_type": "index" if seq else "create", "_index": index, "_id": entity_id, "_source": source, **seq}


class Writer:
    """Writes to the archive behind one set of aliases, on the app's Elasticsearch client."""

    def __init__(
        self, es: Elasticsearch, names: IndexNames, restates: Restates | None = None, layout: Layout | None = None
    ) -> None:
        self.es = es
        self.names = names
        self.restates = restates  # mutual support of passage pairs (the stance model), for translations
        self.layout = layout  # shards, replicas and vector type of the indices a build creates
        # called with the ids of documents once written and live (single, batch and CLI writes, not whole builds)
        self.on_written: Callable[[list[str]], None] | None = None
        self.generation = Generation(es, names, layout)  # advanced at every publish: cached answers go stale at once

    def build(self, docs: Sequence[Document], progress: Progress | None = None) -> BuildReport:
        """Index every document into fresh indices, then swap the aliases (readers never see a half-built index)."""
        return build(self.es, self.names, docs, progress, self.restates, self.layout)

    def _existing(self, document_id: str) -> dict[str, Any] | None:
        try:
            return dict(self.es.get(index=self.names.documents, id=document_id, source_excludes=["text"])["_source"])
        except ESNotFound as err:
            if is_index_missing(err):
                raise IndexNotReady(self.names.documents) from err
            return None

    def _passage_ids(self, document_id: str, live: bool | None = None) -> list[str]:
        """Elasticsearch ids of a document's passages."""
        resp = self.es.search(index=self.names.passages, **queries.passage_ids_of_document(document_id, live))
        return [h["_id"] for h in resp["hits"]["hits"]]

    def resolve_entities(self, local: Sequence[Entity], unpublished: Unpublished | None = None) -> dict[str, str]:
        """Map each entity found in one document to an archive entity sharing a key (the most mentioned), or to a
        fresh id: one msearch for all of them, one mget for the fresh ids. A batch's `unpublished` entities are
        looked up in memory and left out of the search, which still sees their state before the batch wrote them."""
        pending = sorted(unpublished.entities) if unpublished else []
        searches: list[dict[str, Any]] = []
        for entity in local:
            searches += [{"index": self.names.entities}, queries.entity_sharing_keys(sorted(entity.keys), pending)]
        responses = self.es.msearch(searches=searches)["responses"] if searches else []
        found: dict[str, str | None] = {}
        for entity, resp in zip(local, responses, strict=True):
            if resp.get("error"):
                raise RuntimeError(f"entity lookup failed: {str(resp['error'])[:200]}")
            hits = resp["hits"]["hits"]
            best = (hits[0]["_source"]["entity_id"], int(hits[0]["_source"].get("mention_count", 0))) if hits else None
            found[entity.entity_id] = unpublished.entity_sharing_keys(entity.keys, best) if unpublished else best and best[0]
        bases = sorted({slug(e.name) for e in local if found[e.entity_id] is None})
        got = self.es.mget(index=self.names.entities, ids=bases, source_includes=["keys"])["docs"] if bases else []
        # realtime reads: an entity another writer created under this name and has not refreshed yet is found here
        used = {d["_id"]: set(d["_source"].get("keys", [])) for d in got if d.get("found")}
        assignment: dict[str, str] = {}
        taken: set[str] = set()
        for entity in local:
            archive_id = found[entity.entity_id]
            if archive_id is None and not used.get(slug(entity.name), set()).isdisjoint(entity.keys):
                archive_id = slug(entity.name)
            if archive_id is not None:
                assignment[entity.entity_id] = archive_id
                continue
            base = candidate = slug(entity.name)
            n = 2
            while (
                candidate in taken
                or candidate in used
                or (candidate != base and self.es.exists(index=self.names.entities, id=candidate))
            ):
                candidate, n = f"{base}-{n}", n + 1
            taken.add(candidate)
            assignment[entity.entity_id] = candidate
        return assignment

    def _update_entities(
        self, changes: Sequence[tuple[str, Any, dict[str, Any] | None]], unpublished: Unpublished | None = None
    ) -> None:
        """_update_entity for many entities in two round trips (mget, then one bulk whose items carry the sequence
        numbers read); an entity written by someone else in between, or named twice, goes through _update_entity.
        What is written is noted in a batch's `unpublished`."""
        if not changes:
            return
        index = self.names.entities
        got = self.es.mget(index=index, ids=[entity_id for entity_id, _, _ in changes])["docs"]
        actions: list[dict[str, Any]] = []
        by_id: dict[str, tuple[str, Any, dict[str, Any] | None]] = {}
        later: list[tuple[str, Any, dict[str, Any] | None]] = []
        for (entity_id, change, fresh), doc in zip(changes, got, strict=True):
            if entity_id in by_id:
                later.append((entity_id, change, fresh))
                continue
            by_id[entity_id] = (entity_id, change, fresh)
            if doc.get("found"):
                source = dict(doc["_source"])
                seq: dict[str, Any] = {"if_seq_no": doc["_seq_no"], "if_primary_term": doc["_primary_term"]}
            elif fresh is None:
                continue
            else:
                source, seq = dict(fresh), {}
            change(source)
            action = _entity_action(index, entity_id, source, seq)
            if action:
                actions.append(action)
        _, errors = bulk(self.es, actions, raise_on_error=False)
        failed: set[str] = set()
        for error in errors if isinstance(errors, list) else []:
            item = next(iter(error.values()))
            if item.get("status") != 409:
                raise RuntimeError(f"entity write failed: {str(item.get('error'))[:200]}")
            failed.add(item["_id"])
            later.append(by_id[item["_id"]])
        if unpublished is not None:
            for action in actions:
                if action["_id"] not in failed:
                    unpublished.wrote_entity(action["_id"], action.get("_source"))
        for entity_id, change, fresh in later:
            self._update_entity(entity_id, change, fresh, unpublished)

    def _update_entity(
        self, entity_id: str, change: Any, fresh: dict[str, Any] | None, unpublished: Unpublished | None = None
    ) -> None:
        """Read-modify-write one entity with optimistic concurrency; delete it when no document mentions it."""
        es, index = self.es, self.names.entities
        for _ in range(_RETRIES):
            try:
                got = es.get(index=index, id=entity_id)
                source, seq = dict(got["_source"]), {"if_seq_no": got["_seq_no"], "if_primary_term": got["_primary_term"]}
            except ESNotFound:
                if fresh is None:
                    return
                source, seq = dict(fresh), {}
            change(source)
            action = _entity_action(index, entity_id, source, seq)
            if action is None:
                return
            _, errors = bulk(es, [action], raise_on_error=False)
            item = next(iter(errors[0].values())) if isinstance(errors, list) and errors else None
            if item is None:
                if unpublished is not None:
                    unpublished.wrote_entity(entity_id, action.get("_source"))
                return
            if item.get("status") != 409:
                raise RuntimeError(f"entity write failed: {str(item.get('error'))[:200]}")
        raise RuntimeError(f"entity {entity_id} kept changing under concurrent writes")

    def _forget_document(self, document_id: str) -> None:
        """Remove a document from every entity's statistics."""
        resp = self.es.search(index=self.names.entities, **queries.entities_of_document(document_id))

        def drop(source: dict[str, Any]) -> None:
            (source.get("mentions_by_document") or {}).pop(document_id, None)
            details = [
                {"alias": d["alias"], "documents": [x for x in d["documents"] if x != document_id]}
                for d in source.get("alias_details", [])
            ]
            source["alias_details"] = [d for d in details if d["documents"]]
            source["aliases"] = [d["alias"] for d in source["alias_details"]]

        self._update_entities([(hit["_source"]["entity_id"], drop, None) for hit in resp["hits"]["hits"]])

    def _learn_document(
        self, local: Sequence[Entity], assignment: dict[str, str], unpublished: Unpublished | None = None
    ) -> None:
        """Add one document's entities (aliases, keys, mention counts) to the archive's entities."""
        changes: list[tuple[str, Any, dict[str, Any] | None]] = []
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

            changes.append((entity_id, merge, fresh))
        self._update_entities(changes, unpublished)

    def origins(
        self, doc: Document, passages: Sequence[Passage], vectors: Any, unpublished: Unpublished | None = None
    ) -> tuple[list[str], dict[str, str]]:
        """The origin of each new passage (shared with the live passages of other documents that restate it,
        else its own id) and the existing origins it merges: {old origin: surviving origin}. `unpublished`: what a
        batch wrote since its last refresh, whose passages are candidates as if they had been refreshed."""
        if not passages:
            return [], {}
        searches: list[dict[str, Any]] = []
        for v in vectors:
            body = queries.origin_candidates(v.tolist(), doc.document_id, CANDIDATE_COSINE, k=_ORIGIN_CANDIDATES)
            searches += [{"index": self.names.passages}, body]
        responses = self.es.msearch(searches=searches)["responses"]
        pending = unpublished.candidates(vectors, doc.document_id, CANDIDATE_COSINE) if unpublished else []
        # each candidate judged once: restated outright (cosine or reused quote), or a translation to ask the model
        links: list[set[str]] = []
        band: list[tuple[int, dict[str, Any], str]] = []
        for k, (p, resp) in enumerate(zip(passages, responses, strict=True)):
            links.append(set())
            seen_languages: set[str] = set()
            hits = [(2 * float(h["_score"]) - 1, h["_source"], h["_id"]) for h in resp.get("hits", {}).get("hits", [])]
            if pending and pending[k]:  # the search's k nearest, had the batch's passages been refreshed
                hits = sorted(hits + pending[k], key=lambda hit: -hit[0])[:_ORIGIN_CANDIDATES]
            for cosine, other, es_id in hits:
                nearest_of_language = other.get("language") not in seen_languages  # hits come closest first
                seen_languages.add(other.get("language", ""))
                if same_origin(cosine, p.text, other["text"]):
                    links[k].add(other["origin"])
                elif nearest_of_language and in_band(cosine, p.text, other["text"], p.language, other.get("language", "")):
                    band.append((k, other, es_id))
        if band and self.restates:
            band = self._mutual_nearest(doc, passages, vectors, band, unpublished)
            supports = self.restates([(passages[k].text, other["text"]) for k, other, _ in band])
            for (k, other, _), support in zip(band, supports, strict=True):
                if support >= MUTUAL_SUPPORT:
                    links[k].add(other["origin"])
        own: list[str] = []
        merged: dict[str, str] = {}
        for p, found in zip(passages, links, strict=True):
            linked = {merged.get(o, o) for o in found}
            origin = min(linked | {p.passage_id}) if linked else p.passage_id
            for o in linked - {origin}:
                merged[o] = origin
            own.append(origin)
        resolved = [merged.get(o, o) for o in own]
        return resolved, {old: new for old, new in merged.items() if old != new}

    def _mutual_nearest(
        self,
        doc: Document,
        passages: Sequence[Passage],
        vectors: Any,
        band: list[tuple[int, dict[str, Any], str]],
        unpublished: Unpublished | None = None,
    ) -> list[tuple[int, dict[str, Any], str]]:
        """The band pairs whose archive passage has no closer match in the new passage's language than it: no
        live passage of another document, nor another passage of the new document (build's mutual-nearest rule)."""
        import numpy as np

        ids = sorted({es_id for _, _, es_id in band})
        self._publish_if(unpublished, lambda u: u.holds(ids))  # their vectors are read back from the index
        got = self.es.search(index=self.names.passages, **queries.vectors_by_es_ids(ids))["hits"]["hits"]
        vec = {h["_id"]: np.asarray(hit_source(h)["embedding"], dtype=np.float32) for h in got}
        vectors = np.asarray(vectors, dtype=np.float32)
        band = [b for b in band if b[2] in vec]
        unit = {es_id: v / max(float(np.linalg.norm(v)), 1e-12) for es_id, v in vec.items()}

        def could_answer(u: Unpublished) -> bool:  # an unpublished passage at least as close as the new one
            return any(
                u.closer(unit[i], passages[k].language, [other["document_id"], doc.document_id], float(vectors[k] @ unit[i]))
                for k, other, i in band
            )

        self._publish_if(unpublished, could_answer)
        searches: list[dict[str, Any]] = []
        for k, other, es_id in band:
            excluded = [other["document_id"], doc.document_id]
            body = queries.nearest_in_language(vec[es_id].tolist(), passages[k].language, excluded)
            searches += [{"index": self.names.passages}, body]
        responses = self.es.msearch(searches=searches)["responses"] if searches else []
        by_language: dict[str, list[int]] = {}
        for q, p in enumerate(passages):
            by_language.setdefault(p.language, []).append(q)
        kept = []
        for (k, other, es_id), resp in zip(band, responses, strict=True):
            v = unit[es_id]
            mine = by_language[passages[k].language]
            cosines = vectors[mine] @ v
            if mine[int(np.argmax(cosines))] != k:
                continue  # another passage of the new document is closer to it
            hits = resp.get("hits", {}).get("hits", [])
            if hits and 2 * float(hits[0]["_score"]) - 1 > float(vectors[k] @ v):
                continue  # a passage already in the archive is closer to it
            kept.append((k, other, es_id))
        return kept

    def stage(
        self, doc: Document, prepared: Prepared | None = None, unpublished: Unpublished | None = None
    ) -> tuple[list[Passage], list[Entity], dict[str, str], list[dict[str, Any]], dict[str, str]]:
        """Step 1: what the later steps write: the passages, the entities and their archive ids, the passages'
        sources (live, written last) and the origins this document merges. Writes nothing (a batch's `unpublished`
        passages may be refreshed, when a read here could need them).
        `prepared`: the document's passages, vectors and entities, already computed (a batch prepares them ahead)."""
        prepared = prepared if prepared is not None else prepare([doc])[0]
        passages, vectors, local = prepared.passages, prepared.vectors, prepared.entities
        assignment = self.resolve_entities(local, unpublished)
        by_passage = {pid: [assignment[e] for e in ids] for pid, ids in passage_entities(local).items()}
        origins, merges = self.origins(doc, passages, vectors, unpublished)
        sources = [
            passage_source(doc, p, v, by_passage.get(p.passage_id, []), live=True, origin=o)
            for p, v, o in zip(passages, vectors, origins, strict=True)
        ]
        return passages, local, assignment, sources, merges

    def _relabel_origins(self, old: Sequence[str], new: str) -> None:
        """Move every passage of the `old` origins into `new`. Each is rewritten whole, its vector read back from
        the index (an update would rebuild it from _source, which holds none), under its sequence number: one that a
        concurrent write changed meanwhile is left to that write, as update_by_query's conflicts=proceed did."""
        hits = self.es.search(index=self.names.passages, **queries.passages_of_origins(old))["hits"]["hits"]
        actions = [
            {
                "_op_type": "index",
                "_index": self.names.passages,
                "_id": h["_id"],
                "_source": hit_source(h) | {"origin": new},
                "if_seq_no": h["_seq_no"],
                "if_primary_term": h["_primary_term"],
            }
            for h in hits
        ]
        if actions:
            _, errors = bulk(self.es, actions, raise_on_error=False)
            items: list[dict[str, Any]] = errors if isinstance(errors, list) else []
            failed = [e for e in items if any(v.get("status") != 409 for v in e.values())]
            if failed:
                raise BulkIndexError(f"{len(failed)} passage(s) failed to move to origin {new}", failed)

    def upsert_many(self, docs: Iterable[Document], chunk: int = 16) -> Iterator[WriteResult]:
        """Create or replace documents in order, each exactly as `upsert` writes it, yielding the results of every
        `chunk` documents once they are all searchable. A later document resolves its entities and origins against
        the earlier ones as if each had been refreshed on its own: the indices are refreshed once per chunk, the
        passages and entities written since are matched in memory (`Unpublished`), and a refresh comes sooner only
        where a read cannot be answered so (a document written twice or replaced, an origin merge, a translation
        check). Documents are prepared `chunk` at a time (`prepare`: their passages embedded together), the next
        chunk in a background thread while this one is written, so the embedder and Elasticsearch work at once. An
        interruption leaves every earlier document written and none half-visible; the same input again finishes it
        (the written ones answer `unchanged` before any embedding)."""
        self.publish()  # what an interrupted run wrote and never refreshed reads as written
        unpublished = Unpublished()
        # the next chunk is embedded on this pool's thread itself, beside what the torch thread does for this one
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare", initializer=run_torch_here) as pool:
            pending: Future[list[tuple[Document, Prepared | None]]] | None = None
            stream = iter(docs)
            while batch := tuple(itertools.islice(stream, chunk)):
                ahead = pool.submit(self._prepare_changed, batch)
                if pending is not None:
                    yield from self._write_chunk(pending.result(), unpublished)
                pending = ahead
            if pending is not None:
                yield from self._write_chunk(pending.result(), unpublished)

    def _write_chunk(self, chunk: Sequence[tuple[Document, Prepared | None]], unpublished: Unpublished) -> list[WriteResult]:
        """Write prepared documents in order, then refresh once (also when one fails: what was written is whole);
        then tell `on_written` which documents are live (watched claims are matched against them)."""
        try:
            results = [self.upsert(doc, prepared, unpublished, notify=False) for doc, prepared in chunk]
        finally:
            self._publish_if(unpublished, lambda u: True)
        self._notify([r.document_id for r in results])
        return results

    def _notify(self, document_ids: Sequence[str]) -> None:
        """Hand the ids of documents just written (created, replaced or unchanged) to `on_written`; what it raises
        fails the write as a failed refresh would, and the same documents sent again call it again."""
        if self.on_written is not None and document_ids:
            self.on_written(list(document_ids))

    def _prepare_changed(self, docs: Sequence[Document]) -> list[tuple[Document, Prepared | None]]:
        """Each document with its preparation, for those whose content the archive does not already hold."""
        known = self._existing_many([d.document_id for d in docs])
        todo = [k for k, d in enumerate(docs) if (known.get(d.document_id) or {}).get("content_hash") != d.content_hash]
        prepared = dict(zip(todo, prepare([docs[k] for k in todo]), strict=True))
        return [(doc, prepared.get(k)) for k, doc in enumerate(docs)]

    def _existing_many(self, document_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored records of those documents the archive has (one mget)."""
        if not document_ids:
            return {}
        try:
            got = self.es.mget(index=self.names.documents, ids=sorted(set(document_ids)), source_excludes=["text"])["docs"]
        except ESNotFound as err:
            raise IndexNotReady(self.names.documents) from err
        return {d["_id"]: dict(d["_source"]) for d in got if d.get("found")}

    def upsert(
        self, doc: Document, prepared: Prepared | None = None, unpublished: Unpublished | None = None, notify: bool = True
    ) -> WriteResult:
        """Write one document (`_upsert`), then, when `notify` and it is published, hand it to `on_written`."""
        result = self._upsert(doc, prepared, unpublished)
        if notify and unpublished is None:
            self._notify([result.document_id])
        return result

    def _upsert(self, doc: Document, prepared: Prepared | None = None, unpublished: Unpublished | None = None) -> WriteResult:
        """Create or replace a document; the same content again is a no-op. Searchable when this returns, unless
        a batch passes its `unpublished` record: its passages are then added there and the batch refreshes them.

        The passages go live last, in one bulk, after the entities and the document record: a write that fails
        midway never leaves live passages of a document the archive does not have, and the same content sent again
        finishes it (a version is `unchanged` only when all its passages are live)."""
        names = self.names
        self._publish_if(unpublished, lambda u: doc.document_id in u.document_ids)  # its passages are to be read
        existing = self._existing(doc.document_id)
        version = version_of(doc)
        if existing and existing.get("content_hash") == doc.content_hash and self._published(doc.document_id, version, existing):
            return WriteResult(doc.document_id, "unchanged", version, int(existing.get("passage_count", 0)))
        old_ids = self._passage_ids(doc.document_id)
        passages, local, assignment, sources, merges = self.stage(doc, prepared, unpublished)
        if existing:
            self._publish_if(unpublished, lambda u: bool(u.entities))  # its entities are found by a search
            self._forget_document(doc.document_id)
        self._learn_document(local, assignment, unpublished)
        self.es.index(index=names.documents, id=doc.document_id, document=document_source(doc, passages))
        self._publish_if(unpublished, lambda u: u.holds_origins(merges))
        for new in set(merges.values()):  # origins this document joined together become one
            self._relabel_origins([o for o, n in merges.items() if n == new], new)
        # last, in one bulk: the new version's passages, live, and the old version's gone
        new_ids = [source_es_id(source) for source in sources]
        kept = set(new_ids)
        write: list[dict[str, Any]] = [
            {"_op_type": "index", "_index": names.passages, "_id": i, "_source": src}
            for i, src in zip(new_ids, sources, strict=True)
        ]
        gone: list[dict[str, Any]] = [
            {"_op_type": "delete", "_index": names.passages, "_id": i} for i in old_ids if i not in kept
        ]
        bulk(self.es, write + gone, raise_on_error=True)
        if unpublished is None or gone or merges:
            # searches must stop finding what was deleted or moved to another origin before the next write reads
            self.publish()
            if unpublished is not None:
                unpublished.clear()
        else:
            unpublished.add(sources, new_ids)
        status = "replaced" if existing else "created"
        log.info("document %s %s (version %s, %d passages)", doc.document_id, status, version, len(passages))
        return WriteResult(doc.document_id, status, version, len(passages))

    def _published(self, document_id: str, version: str, existing: dict[str, Any]) -> bool:
        """Whether every passage of this version is live (a write that failed before its last step is not)."""
        body = queries.live_passages_of_version(document_id, version)
        return int(self.es.count(index=self.names.passages, **body)["count"]) == int(existing.get("passage_count", 0))

    def delete(self, document_id: str) -> WriteResult:
        """Remove a document, its passages and its share of entity statistics."""
        if self._existing(document_id) is None:
            raise NotFound(document_id)
        ids = self._passage_ids(document_id)
        bulk(self.es, ({"_op_type": "delete", "_index": self.names.passages, "_id": i} for i in ids), raise_on_error=True)
        self._forget_document(document_id)
        self.es.delete(index=self.names.documents, id=document_id)
        self.publish()
        log.info("document %s deleted (%d passages)", document_id, len(ids))
        return WriteResult(document_id, "deleted", None, len(ids))

    def publish(self) -> None:
        """Make every completed write visible to readers at once, and say so (a new generation)."""
        self.es.indices.refresh(index=f"{self.names.passages},{self.names.documents},{self.names.entities}")
        self.generation.advance()

    def _publish_if(self, unpublished: Unpublished | None, needed: Callable[[Unpublished], bool]) -> None:
        """Refresh a batch's unpublished writes when a read is about to need them."""
        if unpublished and needed(unpublished):
            self.publish()
            unpublished.clear()
