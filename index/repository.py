"""Read access to the archive in Elasticsearch: every query the services run goes through here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch import NotFoundError as ESNotFound
from elasticsearch.helpers import scan

from index import queries
from index.errors import IndexNotReady, NotFound, SearchFailed, is_index_missing
from index.mappings import Layout
from index.names import IndexNames
from index.sources import document_from_source, hit_source
from index.watches import WatchStore
from index.writer import Writer
from text.documents import Document
from text.origins import Restates


class Archive:
    """Documents, passages and entities behind one set of aliases."""

    def __init__(
        self, es: Elasticsearch, names: IndexNames, restates: Restates | None = None, layout: Layout | None = None
    ) -> None:
        self.es = es
        self.names = names
        self.writer = Writer(es, names, restates, layout)  # every write (whole builds and single documents) goes through it
        self.watches = WatchStore(es, names, layout)  # watched claims and their matches (indices of their own)
        self.generation = self.writer.generation  # changes whenever what readers see changes (keys cached answers)

    def _search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return dict(self.es.search(index=index, **body))
        except ESNotFound as err:
            if is_index_missing(err):
                raise IndexNotReady(index) from err
            raise

    @staticmethod
    def _hits(resp: dict[str, Any]) -> list[dict[str, Any]]:
        return [hit_source(h) | {"_score": h.get("_score"), "_sort": h.get("sort")} for h in resp["hits"]["hits"]]

    @staticmethod
    def _total(resp: dict[str, Any]) -> int:
        total = resp["hits"].get("total") or {}
        return int(total.get("value", 0)) if isinstance(total, dict) else int(total)

    def all_documents(self) -> list[Document]:
        """Every stored document, rebuilt from its stored form (for a reindex)."""
        return [document_from_source(h["_source"]) for h in scan(self.es, index=self.names.documents)]

    def cluster_info(self) -> dict[str, Any]:
        """Elasticsearch version and health, and how many documents and passages are indexed."""
        info = self.es.info()
        health = self.es.cluster.health()
        counts: dict[str, int | None] = {}
        for kind in ("documents", "passages", "entities"):
            alias = self.names.alias(kind)
            try:
                counts[kind] = int(self.es.count(index=alias)["count"])
            except ESNotFound:
                counts[kind] = None
        return {"version": info["version"]["number"], "status": health["status"], "counts": counts}

    def list_documents(self, size: int, offset: int, after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], int]:
        """A page of documents without their text, and the total."""
        resp = self._search(self.names.documents, queries.list_documents(size, offset, after))
        return self._hits(resp), self._total(resp)

    def get_document(self, document_id: str) -> dict[str, Any]:
        """One document with its passages in reading order."""
        try:
            doc = dict(self.es.get(index=self.names.documents, id=document_id)["_source"])
        except ESNotFound as err:
            if is_index_missing(err):
                raise IndexNotReady(self.names.documents) from err
            raise NotFound(document_id) from err
        resp = self._search(self.names.passages, queries.passages_of_document(document_id))
        doc["passages"] = self._hits(resp)
        return doc

    def search_passages(self, bodies: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """Several passage searches (bodies from index.queries) in one round trip, the hits of each in order."""
        if not bodies:
            return []
        searches: list[dict[str, Any]] = []
        for body in bodies:
            searches += [{"index": self.names.passages}, body]
        out = []
        for resp in self.es.msearch(searches=searches)["responses"]:
            error = resp.get("error")
            if isinstance(error, dict) and error.get("type") == "index_not_found_exception":
                raise IndexNotReady(self.names.passages)
            if error:
                reason = error.get("reason") or error.get("type") if isinstance(error, dict) else error
                raise SearchFailed(str(reason)[:200], int(resp.get("status") or 500))
            out.append(self._hits(resp))
        return out

    def passages_with_vectors(self, passage_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Passages with their embeddings, by id."""
        if not passage_ids:
            return {}
        resp = self._search(self.names.passages, queries.passages_by_ids(passage_ids))
        return {h["passage_id"]: h for h in self._hits(resp)}

    def passages_of_documents(self, document_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The live passages of these documents with their embeddings, in reading order per document."""
        if not document_ids:
            return []
        return self._hits(self._search(self.names.passages, queries.passages_of_documents(document_ids)))

    def origins(self, origin_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Per origin: its earliest dated live passage (id, document, outlet, date, role) and how many documents
        repeat it."""
        if not origin_ids:
            return {}
        aggs = self._search(self.names.passages, queries.first_of_origins(sorted(set(origin_ids))))["aggregations"]
        out = {}
        for bucket in aggs["origins"]["buckets"]:
            first = bucket["first"]["hits"]["hits"][0]["_source"]
            out[bucket["key"]] = {"first": first, "documents": int(bucket["documents"]["value"])}
        return out

    def documents_sharing(self, document_id: str, origins: Sequence[str]) -> list[dict[str, Any]]:
        """Other documents with passages in these origins: id, outlet, date and how many of the origins each has."""
        if not origins:
            return []
        aggs = self._search(self.names.passages, queries.documents_sharing_origins(document_id, sorted(set(origins))))
        out = []
        for bucket in aggs["aggregations"]["documents"]["buckets"]:
            meta = bucket["meta"]["hits"]["hits"][0]["_source"]
            out.append(
                {
                    "document_id": bucket["key"],
                    "outlet": meta.get("outlet"),
                    "published": meta.get("published"),
                    "shared": int(bucket["origins"]["value"]),
                }
            )
        return out

    def filtered_out(self, filters: Sequence[dict[str, Any]]) -> dict[str, int]:
        """How many documents the filters leave out of a search, and how many undated ones they keep."""
        aggs = self._search(self.names.passages, queries.documents_kept(filters))["aggregations"]
        kept = aggs["kept"]
        return {
            "documents": max(0, int(aggs["all"]["value"]) - int(kept["documents"]["value"])),
            "undated_kept": int(kept["undated"]["documents"]["value"]),
        }

    def neighbours(
        self, anchors: Sequence[tuple[str, int]], filters: Sequence[dict[str, Any]] = (), distance: int = 1
    ) -> list[dict[str, Any]]:
        """Passages next to the anchors (same document, nearby position) that pass the filters, with embeddings."""
        if not anchors:
            return []
        return self._hits(self._search(self.names.passages, queries.neighbours_of(anchors, distance, filters)))

    def search_entities(
        self, q: str, keys: Sequence[str], size: int, offset: int, after: Sequence[Any] | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of entities matching a name, best first, and the total."""
        resp = self._search(self.names.entities, queries.search_entities(q, keys, size, offset, after))
        return self._hits(resp), self._total(resp)

    def get_entity(self, entity_id: str) -> dict[str, Any]:
        """One entity."""
        try:
            return dict(self.es.get(index=self.names.entities, id=entity_id)["_source"])
        except ESNotFound as err:
            if is_index_missing(err):
                raise IndexNotReady(self.names.entities) from err
            raise NotFound(entity_id) from err

    def entity_passages_with_vectors(self, entity_id: str, size: int) -> list[dict[str, Any]]:
        """Passages that mention an entity, embeddings included."""
        return self._hits(self._search(self.names.passages, queries.entity_passages_with_vectors(entity_id, size)))

    def entity_passages(
        self, entity_id: str, size: int, offset: int, after: Sequence[Any] | None = None
    ) -> tuple[list[dict[str, Any]], int, list[dict[str, Any]]]:
        """A page of passages that mention an entity, the total, and every document that mentions it."""
        resp = self._search(self.names.passages, queries.passages_of_entity(entity_id, size, offset, after))
        documents = []
        for bucket in resp["aggregations"]["documents"]["buckets"]:
            meta = bucket["meta"]["hits"]["hits"][0]["_source"]
            documents.append(
                {
                    "document_id": bucket["key"],
                    "title": meta.get("title"),
                    "outlet": meta.get("outlet"),
                    "published": meta.get("published"),
                    "language": meta.get("document_language"),
                    "mentions": bucket["doc_count"],
                }
            )
        return self._hits(resp), self._total(resp), documents
