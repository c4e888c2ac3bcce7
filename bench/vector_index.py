"""How the passage vectors are indexed, measured on a built archive: kNN recall against exact search, kNN latency
and size on disk, for float32 HNSW (today's default), int8 HNSW (INDEX_VECTORS=int8) and float32 HNSW with the
vectors left out of `_source`, each as built and after a force-merge to one segment. (The vectors alone: the
archive's passages index adds the text, its analysed fields and the metadata to each.)

It copies the archive's passage vectors (passage id, language, vector) into three scratch indices of this
Elasticsearch, asks the same queries of each (the dev gold claims and their variants embedded as e5 queries, and
200 of the archive's own passages chosen at random as stand-ins for claims), and compares the top k with the exact
top k (numpy over every vector), as compare asks it: k 40, num_candidates 200.

    python bench/vector_index.py --prefix scale [--queries 200]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import gold_claims  # noqa: E402
from elasticsearch.helpers import bulk, scan  # noqa: E402

from api.config import Settings  # noqa: E402
from api.services.archive import connect  # noqa: E402
from index.queries import with_vectors  # noqa: E402
from index.sources import hit_source  # noqa: E402
from text.embedding import embed_queries  # noqa: E402

K, CANDIDATES = 40, 200
VARIANTS = {
    "float": {"type": "hnsw"},
    "int8": {"type": "int8_hnsw"},
    "float, vectors not in _source": {"type": "hnsw"},
}


def _mapping(options: dict[str, str], in_source: bool) -> dict[str, Any]:
    mappings: dict[str, Any] = {
        "properties": {
            "passage_id": {"type": "keyword"},
            "language": {"type": "keyword"},
            "embedding": {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine", "index_options": options},
        }
    }
    if not in_source:
        mappings["_source"] = {"excludes": ["embedding"]}
    # a short retention lease, so that the force-merge may drop the recovery copy of the source that Elasticsearch
    # keeps for a while when _source excludes a field (otherwise the saving shows only some 12 hours later)
    settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}
    settings["soft_deletes.retention_lease.period"] = "1s"
    return {"settings": settings, "mappings": mappings}


def _size(es: Any, index: str) -> tuple[int, int]:
    stats = es.indices.stats(index=index, metric="store,segments")["indices"][index]["primaries"]
    return int(stats["store"]["size_in_bytes"]), int(stats["segments"]["count"])


def _ask(es: Any, index: str, queries: np.ndarray) -> tuple[list[list[str]], list[float]]:
    found, seconds = [], []
    for q in queries:
        body = {"knn": {"field": "embedding", "query_vector": q.tolist(), "k": K, "num_candidates": CANDIDATES}}
        started = time.perf_counter()
        resp = es.search(index=index, size=K, source=False, fields=["passage_id"], **body)
        seconds.append(time.perf_counter() - started)
        found.append([h["fields"]["passage_id"][0] for h in resp["hits"]["hits"]])
    return found, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prefix", default=None)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    settings = Settings.from_env(**({"index_prefix": args.prefix} if args.prefix else {}))
    archive = connect(settings)
    es = archive.es
    body = with_vectors({"query": {"term": {"live": True}}}) | {"_source": ["passage_id", "language"]}
    rows = [hit_source(h) for h in scan(es, index=archive.names.passages, query=body)]
    ids = np.array([r["passage_id"] for r in rows])
    vecs = np.asarray([r["embedding"] for r in rows], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    claims = gold_claims()
    rng = np.random.default_rng(0)
    queries = np.concatenate([embed_queries(claims), vecs[rng.permutation(len(vecs))[: args.queries]]])
    exact = [ids[np.argsort(-(vecs @ q))[:K]].tolist() for q in queries]
    print(
        f"# python bench/vector_index.py --prefix {settings.index_prefix}: {len(rows)} passages, {len(queries)} "
        f"queries ({len(claims)} gold claims and variants + {args.queries} archive passages), k {K}, "
        f"num_candidates {CANDIDATES}; recall = share of the exact top {K} found"
    )
    for name, options in VARIANTS.items():
        index = f"bench-vectors-{abs(hash(name)) % 10**8}"
        es.indices.delete(index=index, ignore_unavailable=True)
        es.indices.create(index=index, **_mapping(options, in_source="not in _source" not in name))
        actions = (
            {"_index": index, "_id": pid, "_source": {"passage_id": pid, "language": r["language"], "embedding": v.tolist()}}
            for pid, r, v in zip(ids, rows, vecs, strict=True)
        )
        started = time.perf_counter()
        for _ in range(0, len(ids), 4000):  # a refresh every 4,000: several segments, as a feed leaves them
            bulk(es.options(request_timeout=120), itertools.islice(actions, 4000), chunk_size=500)
            es.indices.refresh(index=index)
        took = time.perf_counter() - started
        for merged in (False, True):
            if merged:
                time.sleep(35)  # the retention lease lapses (leases sync every 30 s)
                es.indices.flush(index=index, force=True)
                es.options(request_timeout=600).indices.forcemerge(index=index, max_num_segments=1)
                es.indices.refresh(index=index)
            size, segments = _size(es, index)
            _ask(es, index, queries[:5])  # warm
            found, seconds = _ask(es, index, queries)
            recall = statistics.mean(len(set(f) & set(e)) / K for f, e in zip(found, exact, strict=True))
            ms = sorted(s * 1000 for s in seconds)
            print(
                f"{name:32s} {'force-merged' if merged else 'as built    '} segments {segments:3d}  "
                f"size {size / 2**20:7.1f} MiB ({size / len(rows):6.0f} B/passage)  recall@{K} {recall:.3f}  "
                f"kNN p50 {ms[len(ms) // 2]:5.1f} ms p95 {ms[int(len(ms) * 0.95)]:5.1f} ms"
                + ("" if merged else f"  (bulk + refresh {took:.0f} s)")
            )
        es.indices.delete(index=index)


if __name__ == "__main__":
    main()
