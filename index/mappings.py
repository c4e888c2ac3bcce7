"""Index settings and mappings, kept as JSON data next to the indexer, and the layout a deployment chooses for them
(shards, replicas, how the passage vectors are indexed)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATA = Path(__file__).parent / "data"
VECTOR_TYPES = {"float": "hnsw", "int8": "int8_hnsw"}  # INDEX_VECTORS -> the dense_vector index type


@dataclass(frozen=True)
class Layout:
    """How new indices are laid out: primary shards and replicas of each index, and the passage vectors' HNSW
    graph in float32 or scalar-quantised to int8 (a quarter of the graph's memory; Elasticsearch keeps the
    float vectors too, for rescoring)."""

    shards: int = 1
    replicas: int = 0
    vectors: str = "float"


def body(kind: str, layout: Layout | None = None) -> dict[str, Any]:
    """Settings and mappings for one kind of index ('documents', 'passages', 'entities') in a layout."""
    layout = layout or Layout()
    spec: dict[str, Any] = json.loads((_DATA / f"{kind}.json").read_text(encoding="utf-8"))
    spec["settings"]["number_of_shards"] = layout.shards
    spec["settings"]["number_of_replicas"] = layout.replicas
    embedding = spec["mappings"]["properties"].get("embedding")
    if embedding is not None:
        embedding["index_options"] = {"type": VECTOR_TYPES[layout.vectors]}
    return spec
