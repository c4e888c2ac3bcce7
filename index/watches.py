"""Watched claims and their matches in Elasticsearch: two indices of their own beside the archive's (a rebuild of the
archive never touches them) and an ingest pipeline that stamps each match with the time Elasticsearch indexed it.

Matches are read in the order Elasticsearch stamped them (`found`, then id) and only once they have *settled*:
stamped at least `settle` seconds before the node's own clock (`now-Ns`). A match is searchable well within that
(every match write waits for a refresh), so a poller whose cursor is the last (found, id) it read never misses one
written by a slower concurrent writer, and never reads one twice. A match's id is its watch and passage, written
with op_type create: a write that is sent again, or a backfill that meets a passage the feed already matched,
finds it there and adds nothing.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from typing import Any

from elasticsearch import ConflictError, Elasticsearch
from elasticsearch import NotFoundError as ESNotFound
from elasticsearch.helpers import bulk

from index.errors import NotFound, is_index_missing
from index.mappings import Layout
from index.names import IndexNames

WATCHES_MAPPING: dict[str, Any] = {
    "dynamic": "false",
    "properties": {
        "watch_id": {"type": "keyword"},
        "claim": {"type": "text"},
        "claim_language": {"type": "keyword"},
        "label": {"type": "keyword"},
        "created": {"type": "date"},
    },
}
MATCHES_MAPPING: dict[str, Any] = {
    "dynamic": "false",
    "properties": {
        "watch_id": {"type": "keyword"},
        "passage_id": {"type": "keyword"},
        "document_id": {"type": "keyword"},
        "origin_id": {"type": "keyword"},
        "stance": {"type": "keyword"},
        "found": {"type": "date_nanos"},
        "match_id": {"type": "keyword"},
    },
}


def match_id(watch_id: str, passage_id: str) -> str:
    """A match's id: one per watch and passage, whoever finds it and however often."""
    return hashlib.sha1(f"{watch_id}\n{passage_id}".encode()).hexdigest()[:20]


class WatchStore:
    """Watches (claim, vectors, delivery state) and their matches."""

    def __init__(self, es: Elasticsearch, names: IndexNames, layout: Layout | None = None) -> None:
        self.es = es
        self.layout = layout or Layout()
        self.watches = f"{names.prefix}-watches"
        self.matches = f"{names.prefix}-matches"
        self.pipeline = f"{names.prefix}-match-found"
        self._ready = False

    # --- setup ------------------------------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the two indices and the stamping pipeline where missing (idempotent; setup calls it)."""
        if self._ready:
            return
        self.es.ingest.put_pipeline(
            id=self.pipeline,
            description="stamp a match with the time Elasticsearch indexed it",
            processors=[{"set": {"field": "found", "value": "{{{_ingest.timestamp}}}", "override": False}}],
        )
        for index, mapping in ((self.watches, WATCHES_MAPPING), (self.matches, MATCHES_MAPPING)):
            if not self.es.indices.exists(index=index):
                try:
                    settings = {"number_of_shards": 1, "number_of_replicas": self.layout.replicas}
                    self.es.indices.create(index=index, mappings=mapping, settings=settings)
                except Exception as err:  # another process created it first
                    if "resource_already_exists" not in str(err):
                        raise
        self._ready = True

    def exists(self) -> bool:
        """Whether this archive has a watches index (never creates one)."""
        return bool(self.es.indices.exists(index=self.watches))

    # --- watches ----------------------------------------------------------------------------------------------

    def create(self, source: dict[str, Any]) -> None:
        self.ensure()
        self.es.index(index=self.watches, id=source["watch_id"], document=source, op_type="create", refresh="wait_for")

    def get(self, watch_id: str) -> dict[str, Any]:
        self.ensure()
        try:
            resp = self.es.get(index=self.watches, id=watch_id)
        except ESNotFound as err:
            raise NotFound(watch_id) from err
        return dict(resp["_source"]) | {"_seq_no": resp["_seq_no"], "_primary_term": resp["_primary_term"]}

    def page(self, size: int, after: Sequence[Any] | None = None) -> tuple[list[dict[str, Any]], int]:
        """A page of watches by creation time, without their vectors, and the total."""
        self.ensure()
        body: dict[str, Any] = {
            "size": size,
            "sort": [{"created": "asc"}, {"watch_id": "asc"}],
            "_source": {"excludes": ["vector", "counter", "secret"]},
            "track_total_hits": True,
        }
        if after:
            body["search_after"] = list(after)
        resp = self.es.search(index=self.watches, **body)
        hits = [dict(h["_source"]) | {"_sort": h["sort"]} for h in resp["hits"]["hits"]]
        return hits, int(resp["hits"]["total"]["value"])

    def all(self, limit: int = 10_000) -> list[dict[str, Any]]:
        """Every watch with its vectors (what the ingest gate needs); none while the archive has no watches index
        (a write never creates one)."""
        try:
            resp = self.es.search(index=self.watches, size=limit, sort=["_doc"], query={"match_all": {}})
        except ESNotFound as err:
            if is_index_missing(err):
                return []
            raise
        return [dict(h["_source"]) for h in resp["hits"]["hits"]]

    def update(self, watch_id: str, fields: dict[str, Any], if_seq: tuple[int, int] | None = None) -> bool:
        """Partial update; with `if_seq` (seq_no, primary_term) only when nobody changed the watch since (False if so)."""
        kwargs: dict[str, Any] = {"if_seq_no": if_seq[0], "if_primary_term": if_seq[1]} if if_seq else {}
        if not self.exists():  # an update would auto-create the index, unmapped, under a thread still running
            raise NotFound(watch_id)
        try:
            self.es.update(index=self.watches, id=watch_id, doc=fields, refresh="wait_for", **kwargs)
        except ConflictError:
            return False
        except ESNotFound as err:
            raise NotFound(watch_id) from err
        return True

    def delete(self, watch_id: str) -> None:
        """The watch and its matches."""
        self.ensure()
        try:
            self.es.delete(index=self.watches, id=watch_id, refresh="wait_for")
        except ESNotFound as err:
            raise NotFound(watch_id) from err
        self.es.delete_by_query(index=self.matches, query={"term": {"watch_id": watch_id}}, refresh=True, conflicts="proceed")

    # --- matches ----------------------------------------------------------------------------------------------

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these match ids are stored (realtime: no refresh needed)."""
        if not ids:
            return set()
        resp = self.es.mget(index=self.matches, ids=list(ids), source=False)
        return {d["_id"] for d in resp["docs"] if d.get("found")}

    def matched_origins(self, watch_id: str, origins: Sequence[str]) -> set[str]:
        """Which of these origins already have a match of this watch."""
        if not origins:
            return set()
        resp = self.es.search(
            index=self.matches,
            size=0,
            query={"bool": {"filter": [{"term": {"watch_id": watch_id}}, {"terms": {"origin_id": list(origins)}}]}},
            aggs={"o": {"terms": {"field": "origin_id", "size": len(origins)}}},
        )
        return {b["key"] for b in resp["aggregations"]["o"]["buckets"]}

    def add(self, matches: Sequence[dict[str, Any]]) -> int:
        """Store new matches (op_type create: one already there stays as it is); how many were new."""
        if not matches:
            return 0
        actions = [
            {"_op_type": "create", "_index": self.matches, "_id": m["match_id"], "pipeline": self.pipeline, "_source": m}
            for m in matches
        ]
        ok, errors = bulk(self.es, actions, refresh="wait_for", raise_on_error=False, max_retries=2)
        real = [e for e in errors if (e.get("create") or {}).get("status") != 409]  # type: ignore[union-attr]
        if real:
            raise RuntimeError(f"{len(real)} matches not written: {real[:1]}")
        return int(ok)

    def settled(self, watch_id: str, size: int, after: Sequence[Any] | None, settle: float) -> list[dict[str, Any]]:
        """Matches of a watch in the order they were stamped, settled (stamped `settle` seconds before the node's
        clock), after the cursor (found, match_id)."""
        body: dict[str, Any] = {
            "size": size,
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"watch_id": watch_id}},
                        {"range": {"found": {"lte": f"now-{max(0, math.ceil(settle))}s"}}},  # date math has no ms
                    ]
                }
            },
            "sort": [{"found": {"order": "asc", "format": "strict_date_optional_time_nanos"}}, {"match_id": "asc"}],
        }
        if after:
            body["search_after"] = list(after)
        # every match stamped before the settle line is searchable now, whatever the index's refresh interval (a
        # cluster's may be longer than the settle delay): a cursor never passes a match still to appear
        self.es.indices.refresh(index=self.matches)
        resp = self.es.search(index=self.matches, **body)
        return [dict(h["_source"]) | {"_sort": h["sort"]} for h in resp["hits"]["hits"]]

    def count(self, watch_id: str) -> dict[str, int]:
        """Matches of a watch per stance."""
        resp = self.es.search(
            index=self.matches,
            size=0,
            query={"term": {"watch_id": watch_id}},
            aggs={"s": {"terms": {"field": "stance", "size": 5}}},
        )
        return {b["key"]: int(b["doc_count"]) for b in resp["aggregations"]["s"]["buckets"]}

    def newest(self, watch_id: str, stance: str) -> dict[str, Any] | None:
        """The most recently found match of a watch with this stance."""
        resp = self.es.search(
            index=self.matches,
            size=1,
            query={"bool": {"filter": [{"term": {"watch_id": watch_id}}, {"term": {"stance": stance}}]}},
            sort=[{"found": "desc"}, {"match_id": "desc"}],
        )
        hits = resp["hits"]["hits"]
        return dict(hits[0]["_source"]) if hits else None


def now_iso() -> str:
    """UTC now, as stored in a watch."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
