"""Build the archive into fresh indices and swap the aliases, so readers never see a half-built index."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

from index.generation import Generation
from index.mappings import Layout, body
from index.names import KINDS, IndexNames
from index.sources import document_source, entity_source, passage_entities, passage_es_id, passage_source
from text.documents import Document
from text.embedding import embed_passages
from text.entity import Entity, build_entities
from text.origins import Restates, group
from text.passages import Passage, split_passages

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
# passages per embedding call: the embedder sorts each call by length, so larger calls pad less (256: 1.7x
# the passages/s of 32 with the torch embedder on 2 cores) while the progress bar still moves every few seconds
_EMBED_BATCH = 256


@dataclass
class BuildReport:
    """What a build wrote."""

    documents: int
    passages: int
    entities: int
    indices: dict[str, str]


def es_id(source: dict[str, Any]) -> str:
    """The Elasticsearch _id of any stored source."""
    if "passage_id" in source:
        return passage_es_id(source["document_id"], source["version"], source["start"], source["end"])
    return str(source.get("entity_id") or source["document_id"])


def _actions(index: str, sources: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for source in sources:
        yield {"_op_type": "index", "_index": index, "_id": es_id(source), "_source": source}


def bulk_index(es: Elasticsearch, index: str, sources: Iterator[dict[str, Any]]) -> int:
    """Stream sources into an index; raise on the first failed item."""
    count = 0
    for ok, item in streaming_bulk(es, _actions(index, sources), chunk_size=200, raise_on_error=True):
        if not ok:
            raise RuntimeError(f"bulk item failed: {item}")
        count += 1
    return count


Split = list[tuple[Document, list[Passage]]]


def prepare(docs: Sequence[Document], progress: Progress | None = None) -> tuple[Split, list[Entity]]:
    """Split every document into passages and group the corpus's entity mentions."""
    split: Split = []
    for i, doc in enumerate(docs, 1):
        split.append((doc, split_passages(doc.document_id, doc.text, doc.language)))
        if progress:
            progress("split", i, len(docs))
    entities = build_entities([p for _, ps in split for p in ps])
    return split, entities


def _passage_sources(
    split: Sequence[tuple[Document, list[Passage]]],
    entities: Sequence[Entity],
    progress: Progress | None,
    restates: Restates | None = None,
) -> Iterator[dict[str, Any]]:
    """Passage sources with embeddings (computed in batches) and origins (passages of different documents that
    restate one another share one)."""
    import numpy as np

    by_passage = passage_entities(entities)
    flat = [(doc, p) for doc, ps in split for p in ps]
    vectors = []
    for offset in range(0, len(flat), _EMBED_BATCH):
        vectors.append(embed_passages([p.text for _, p in flat[offset : offset + _EMBED_BATCH]]))
        if progress:
            progress("embed", min(offset + _EMBED_BATCH, len(flat)), len(flat))
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)
    roots = group(
        [doc.document_id for doc, _ in flat],
        [p.text for _, p in flat],
        matrix,
        [p.language for _, p in flat],
        restates,
        progress=progress,
    )
    for (doc, p), vec, root in zip(flat, matrix, roots, strict=True):
        yield passage_source(doc, p, vec, by_passage.get(p.passage_id, []), origin=flat[root][1].passage_id)


def create_indices(es: Elasticsearch, names: IndexNames, layout: Layout | None = None) -> dict[str, str]:
    """Create a fresh concrete index of each kind, not yet behind its alias."""
    concrete = {}
    for kind in KINDS:
        name = names.concrete(kind)
        es.indices.create(index=name, **body(kind, layout))
        concrete[kind] = name
    return concrete


def swap_aliases(es: Elasticsearch, names: IndexNames, concrete: dict[str, str]) -> list[str]:
    """Point every alias at its new index in one atomic call; return the indices left behind."""
    actions: list[dict[str, Any]] = []
    old: list[str] = []
    for kind, new in concrete.items():
        alias = names.alias(kind)
        if es.indices.exists_alias(name=alias):
            current = list(es.indices.get_alias(name=alias))
            old.extend(current)
            actions.extend({"remove": {"index": idx, "alias": alias}} for idx in current)
        elif es.indices.exists(index=alias):
            raise RuntimeError(f"{alias} is a concrete index, not an alias; remove it first")
        actions.append({"add": {"index": new, "alias": alias, "is_write_index": True}})
    es.indices.update_aliases(actions=actions)
    return old


# From this many passages a build also drops the copy of each passage's source (vector included) that Elasticsearch
# keeps for replica recovery: the passages index keeps vectors out of _source, but until the history retention lease
# lapses (12 h by default) every segment still carries that copy, ~6 KB a passage. Dropping it costs a 35 s wait.
COMPACT_FROM = 10_000
_LEASE_SYNC_SECONDS = 35  # retention leases sync every 30 s


def merge_passages(es: Elasticsearch, index: str, compact: bool) -> None:
    """Merge a freshly built passages index to one segment per shard: kNN then searches one HNSW graph instead of
    one per segment (bench/vector_index.py: p50 9.7 -> 7.7 ms on 16k vectors); later feed writes add small segments
    that Elasticsearch merges itself. `compact`: first let the history retention lapse, so that the merge leaves out
    the recovery copy of the sources (the index is not serving yet: no replica needs that history)."""
    if compact:
        es.indices.put_settings(index=index, settings={"index.soft_deletes.retention_lease.period": "1s"})
        time.sleep(_LEASE_SYNC_SECONDS)
        es.indices.flush(index=index, force=True)
    es.options(request_timeout=3600).indices.forcemerge(index=index, max_num_segments=1)
    if compact:
        es.indices.put_settings(index=index, settings={"index.soft_deletes.retention_lease.period": None})


def build(
    es: Elasticsearch,
    names: IndexNames,
    docs: Sequence[Document],
    progress: Progress | None = None,
    restates: Restates | None = None,
    layout: Layout | None = None,
) -> BuildReport:
    """Index every document into new indices, then swap the aliases and drop the old indices."""
    split, entities = prepare(docs, progress)
    concrete = create_indices(es, names, layout)
    try:
        bulk_index(es, concrete["documents"], (document_source(d, ps) for d, ps in split))
        n_passages = bulk_index(es, concrete["passages"], _passage_sources(split, entities, progress, restates))
        bulk_index(es, concrete["entities"], (entity_source(e) for e in entities))
        es.indices.refresh(index=",".join(concrete.values()))
        if progress:
            progress("merge", 0, 1)
        merge_passages(es, concrete["passages"], compact=n_passages >= COMPACT_FROM)
        if progress:
            progress("merge", 1, 1)
    except Exception:
        es.indices.delete(index=",".join(concrete.values()), ignore_unavailable=True)
        raise
    old = swap_aliases(es, names, concrete)
    Generation(es, names, layout).advance()  # readers see the new indices now: answers cached before are stale
    if old:
        es.indices.delete(index=",".join(old), ignore_unavailable=True)
    log.info("built %s documents, %s passages, %s entities", len(split), n_passages, len(entities))
    return BuildReport(len(split), n_passages, len(entities), concrete)
