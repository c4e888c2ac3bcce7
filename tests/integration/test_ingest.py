import threading

import pytest

from api import create_app
from api.config import Settings
from index.ingest import build
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration


def test_rebuild_is_idempotent_and_swaps_atomically(es, fresh_names, seed_docs):
    first = build(es, fresh_names, seed_docs[:2])
    ids_1 = sorted(h["_id"] for h in es.search(index=fresh_names.passages, size=1000, source=False)["hits"]["hits"])
    errors: list[int] = []
    stop = threading.Event()
    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, warm_models=False))

    def read() -> None:
        c = app.test_client()
        while not stop.is_set():
            r = c.get("/v1/documents")
            if r.status_code != 200 or r.get_json()["total"] != 2:
                errors.append(r.status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        second = build(es, fresh_names, seed_docs[:2])
    finally:
        stop.set()
        reader.join()
    ids_2 = sorted(h["_id"] for h in es.search(index=fresh_names.passages, size=1000, source=False)["hits"]["hits"])
    assert ids_1 == ids_2 and first.passages == second.passages
    assert errors == []
    for kind in ("documents", "passages", "entities"):
        behind = list(es.indices.get_alias(name=fresh_names.alias(kind)))
        assert behind == [second.indices[kind]]
        assert not es.indices.exists(index=first.indices[kind])


def test_unreachable_elasticsearch_is_a_503_problem_with_retry_after():
    app = create_app(Settings(elasticsearch_url="http://127.0.0.1:9", es_max_retries=0, es_request_timeout=2, warm_models=False))
    c = app.test_client()
    r = c.post("/v1/compare", json={"claim": "anything at all"})
    assert (r.status_code, r.content_type) == (503, "application/problem+json")
    assert int(r.headers["Retry-After"]) > 0
    assert "Traceback" not in r.get_data(as_text=True)
    h = c.get("/v1/health")
    assert h.status_code == 503 and h.get_json()["elasticsearch"]["status"] == "unreachable"


def test_missing_index_is_a_503_not_a_crash(fresh_names):
    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, warm_models=False))
    r = app.test_client().get("/v1/documents")
    assert (r.status_code, r.content_type) == (503, "application/problem+json")


def test_a_large_build_keeps_vectors_only_in_the_index(es, fresh_names, seed_docs):
    from index.ingest import _passage_sources, bulk_index, create_indices, merge_passages, prepare
    from index.queries import knn_passages, passages_by_ids
    from index.sources import hit_source

    split, entities = prepare(seed_docs[:2])
    sources = list(_passage_sources(split, entities, None))
    index = create_indices(es, fresh_names)["passages"]
    for half in (sources[: len(sources) // 2], sources[len(sources) // 2 :]):  # two segments, as a large build leaves
        bulk_index(es, index, iter(half))
        es.indices.refresh(index=index)
    merge_passages(es, index, compact=True)
    usage = es.perform_request("POST", f"/{index}/_disk_usage", params={"run_expensive_tasks": "true"}).body[index]
    fields = usage["fields"]
    assert fields.get("_recovery_source", {}).get("total_in_bytes", 0) == 0  # the recovery copy was left out
    assert fields["_source"]["total_in_bytes"] < fields["embedding"]["total_in_bytes"]
    settings = es.indices.get_settings(index=index)[index]["settings"]["index"]
    assert "retention_lease" not in str(settings.get("soft_deletes", {}))  # the default lease is back
    hit = es.search(index=index, size=1)["hits"]["hits"][0]
    assert "embedding" not in hit["_source"]
    again = es.search(index=index, **passages_by_ids([hit["_source"]["passage_id"]]))["hits"]["hits"][0]
    vector = hit_source(again)["embedding"]
    assert len(vector) == 384
    top = es.search(index=index, **knn_passages(vector, 1))["hits"]["hits"][0]
    assert top["_source"]["passage_id"] == hit["_source"]["passage_id"]
