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
