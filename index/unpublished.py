"""Passages and entities a batch has written but not yet refreshed into search, kept in memory: a later document of
the batch finds its origin candidates and its archive entities among them here, and the batch refreshes early only
when a read it cannot answer from memory could need one of them (a refresh per document was most of Elasticsearch's
work in a feed: a small segment each, merged again and again, every kNN search visiting each one)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Elasticsearch scores cosines as (1 + cosine) / 2 in float32: a pair this close to a bound counts as reaching it
_SLACK = 1e-4

Candidate = tuple[float, dict[str, Any], str]  # (cosine, the passage's source without its vector, its _id)


@dataclass
class Unpublished:
    """The documents, passages and entities written since the last refresh."""

    document_ids: set[str] = field(default_factory=set)
    # entity id -> the source last written (None: deleted)
    entities: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _vectors: list[np.ndarray] = field(default_factory=list)
    _sources: list[dict[str, Any]] = field(default_factory=list)
    _ids: list[str] = field(default_factory=list)

    def add(self, sources: Sequence[dict[str, Any]], es_ids: Sequence[str]) -> None:
        """A document's passages, just written live (their sources, embedding included, and _ids)."""
        for source, es_id in zip(sources, es_ids, strict=True):
            self.document_ids.add(source["document_id"])
            self._vectors.append(np.asarray(source["embedding"], dtype=np.float32))
            self._sources.append({k: v for k, v in source.items() if k != "embedding"})
            self._ids.append(es_id)

    def wrote_entity(self, entity_id: str, source: dict[str, Any] | None) -> None:
        """An entity just written (its whole source) or deleted (None)."""
        self.entities[entity_id] = source

    def entity_sharing_keys(self, keys: Iterable[str], archive_best: tuple[str, int] | None) -> str | None:
        """The entity a refreshed search for these keys would answer (the most mentioned, then the smallest id):
        `archive_best` (id, mention count) found among the entities not written since, or one written since."""
        wanted = set(keys)
        ranked = [(-count, entity_id) for entity_id, count in ([archive_best] if archive_best else [])]
        for entity_id, source in self.entities.items():
            if source is not None and not wanted.isdisjoint(source.get("keys", [])):
                ranked.append((-int(source.get("mention_count", 0)), entity_id))
        return min(ranked)[1] if ranked else None

    def clear(self) -> None:
        """Everything was refreshed."""
        self.entities.clear()
        self.document_ids.clear()
        self._vectors.clear()
        self._sources.clear()
        self._ids.clear()

    def __bool__(self) -> bool:
        return bool(self._ids or self.entities or self.document_ids)

    def _cosines(self, vectors: Any, keep: np.ndarray) -> np.ndarray:
        matrix = np.asarray(self._vectors, dtype=np.float32)[keep]
        return np.asarray(vectors, dtype=np.float32).reshape(-1, matrix.shape[1]) @ matrix.T

    def candidates(self, vectors: Any, document_id: str, floor: float) -> list[list[Candidate]]:
        """For each vector, the passages of other documents whose cosine reaches the floor (what a kNN search with
        that similarity floor would add once they are refreshed), closest first."""
        keep = np.asarray([s["document_id"] != document_id for s in self._sources], dtype=bool)
        if not len(vectors) or not keep.any():
            return [[] for _ in range(len(vectors))]
        rows = np.flatnonzero(keep)
        out = []
        for cosines in self._cosines(vectors, keep):
            found = [(float(c), self._sources[rows[j]], self._ids[rows[j]]) for j, c in enumerate(cosines) if c >= floor]
            out.append(sorted(found, key=lambda hit: -hit[0]))
        return out

    def closer(self, vector: Any, language: str, excluded: Sequence[str], cosine: float) -> bool:
        """Whether a passage of this language outside the excluded documents is at least as close to the vector as
        `cosine` (a nearest-neighbour search in that language could then answer it)."""
        keep = np.asarray([s["language"] == language and s["document_id"] not in excluded for s in self._sources], dtype=bool)
        if not keep.any():
            return False
        return bool((self._cosines(vector, keep) >= cosine - _SLACK).any())

    def holds(self, es_ids: Iterable[str]) -> bool:
        """Whether one of these passages is unpublished (a search for it would miss it)."""
        return not set(self._ids).isdisjoint(es_ids)

    def holds_origins(self, origins: Iterable[str]) -> bool:
        """Whether an unpublished passage belongs to one of these origins (a search for their passages would miss it)."""
        return not {s["origin"] for s in self._sources}.isdisjoint(origins)
