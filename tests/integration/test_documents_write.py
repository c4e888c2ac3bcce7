import hashlib
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import create_app
from api.config import Settings
from api.services.documents import to_document
from index.ingest import build
from index.writer import Writer
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration
TOKEN = "writer-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = (
    "The council of Northbridge approved the new harbour plan on Monday after a long debate. "
    "Mayor Anna Lind said the plan would create two hundred jobs. "
    "Opponents said the harbour would not be finished before 2030."
)
CHANGED = (
    "The council of Northbridge rejected the new harbour plan on Monday after a long debate. "
    "Mayor Anna Lind said the vote was a setback for the town."
)


@pytest.fixture
def writer(es, fresh_names, seed_docs):
    build(es, fresh_names, seed_docs[:2])
    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, api_tokens=TOKEN, warm_models=False))
    return app.test_client(), fresh_names


def _passage_texts(client, doc_id):
    return [p["text"] for p in client.get(f"/v1/documents/{doc_id}").get_json()["passages"]]


def test_same_content_twice_gives_the_same_id_and_no_duplicates(writer, es):
    client, names = writer
    first = client.post("/v1/documents", json={"text": ARTICLE, "outlet": "Northbridge Post"}, headers=AUTH)
    assert first.status_code == 201 and first.get_json()["status"] == "created"
    doc_id = first.get_json()["id"]
    assert first.headers["Location"].endswith(f"/v1/documents/{doc_id}")
    again = client.post("/v1/documents", json={"text": ARTICLE, "outlet": "Northbridge Post"}, headers=AUTH)
    assert again.status_code == 200 and again.get_json() == first.get_json() | {"status": "unchanged"}
    live = es.count(index=names.passages, query={"bool": {"filter": [{"term": {"document_id": doc_id}}]}})["count"]
    assert live == first.get_json()["passages"] == len(_passage_texts(client, doc_id)) > 0


def test_new_document_is_searchable_when_the_call_returns(writer):
    client, _ = writer
    doc_id = client.post("/v1/documents", json={"text": ARTICLE, "id": "harbour-1"}, headers=AUTH).get_json()["id"]
    found = client.post("/v1/compare", json={"claim": "Northbridge approved the harbour plan.", "limit": 50}).get_json()
    assert doc_id in {p["document_id"] for p in found["supporting"] + found["contradicting"]}
    entities = client.get("/v1/entities?q=Anna Lind").get_json()["entities"]
    assert entities and doc_id in entities[0]["document_ids"]


def test_changed_text_replaces_every_old_passage(writer, es):
    client, names = writer
    client.post("/v1/documents", json={"text": ARTICLE, "id": "harbour-2"}, headers=AUTH)
    r = client.post("/v1/documents", json={"text": CHANGED, "id": "harbour-2"}, headers=AUTH)
    assert r.status_code == 200 and r.get_json()["status"] == "replaced"
    texts = _passage_texts(client, "harbour-2")
    assert texts and all(t in CHANGED for t in texts)
    stored = es.search(index=names.passages, query={"term": {"document_id": "harbour-2"}}, size=100)["hits"]["hits"]
    assert {h["_source"]["version"] for h in stored} == {r.get_json()["version"]}


def test_interrupted_ingest_leaves_the_previous_version_served(writer, es):
    client, names = writer
    client.post("/v1/documents", json={"text": ARTICLE, "id": "harbour-3"}, headers=AUTH)
    before = _passage_texts(client, "harbour-3")
    Writer(es, names).stage(to_document({"text": CHANGED, "id": "harbour-3"}))  # step 1 done, then the writer "dies"
    Writer(es, names).publish()  # another writer refreshes the index meanwhile
    assert _passage_texts(client, "harbour-3") == before
    found = client.post("/v1/compare", json={"claim": "Northbridge rejected the harbour plan.", "limit": 50}).get_json()
    served = {p["text"] for p in found["supporting"] + found["contradicting"] if p["document_id"] == "harbour-3"}
    assert served <= set(before)
    finished = client.post("/v1/documents", json={"text": CHANGED, "id": "harbour-3"}, headers=AUTH)
    assert finished.get_json()["status"] == "replaced"
    assert all(t in CHANGED for t in _passage_texts(client, "harbour-3"))


def test_readers_never_see_a_half_replaced_document(writer):
    client, _ = writer
    client.post("/v1/documents", json={"text": ARTICLE, "id": "harbour-4"}, headers=AUTH)
    old, bad = set(_passage_texts(client, "harbour-4")), []
    stop = threading.Event()
    reader = client.application.test_client()

    def read() -> None:
        while not stop.is_set():
            texts = {p["text"] for p in reader.get("/v1/documents/harbour-4").get_json()["passages"]}
            if texts & old and texts - old:
                bad.append(texts)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for text in (CHANGED, ARTICLE, CHANGED):
            client.post("/v1/documents", json={"text": text, "id": "harbour-4"}, headers=AUTH)
    finally:
        stop.set()
        thread.join()
    assert bad == []


def test_delete_removes_document_passages_and_entity_share(writer):
    client, _ = writer
    client.post("/v1/documents", json={"text": ARTICLE, "id": "harbour-5"}, headers=AUTH)
    assert client.delete("/v1/documents/harbour-5").status_code == 401
    r = client.delete("/v1/documents/harbour-5", headers=AUTH)
    assert r.status_code == 200 and r.get_json()["status"] == "deleted"
    assert client.get("/v1/documents/harbour-5").status_code == 404
    assert client.delete("/v1/documents/harbour-5", headers=AUTH).status_code == 404
    for e in client.get("/v1/entities?q=Anna Lind").get_json()["entities"]:
        assert "harbour-5" not in e["document_ids"]


def test_given_metadata_wins_and_says_so(writer):
    client, _ = writer
    body = {
        "text": ARTICLE,
        "id": "harbour-6",
        "outlet": "Northbridge Post",
        "published": "2021-03",
        "language": "en",
        "title": "Harbour plan approved",
        "url": "https://example.org/harbour",
    }
    client.post("/v1/documents", json=body, headers=AUTH)
    doc = client.get("/v1/documents/harbour-6").get_json()
    assert (doc["outlet"], doc["published"], doc["published_precision"]) == ("Northbridge Post", "2021-03", "month")
    assert all(doc["provenance"][f]["source"] == "given" for f in ("outlet", "published", "title", "url", "language"))


@pytest.mark.parametrize(
    "headers, status", [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic x"}, 401)]
)
def test_writes_need_a_valid_bearer_token(writer, headers, status):
    client, _ = writer
    r = client.post("/v1/documents", json={"text": ARTICLE}, headers=headers)
    assert (r.status_code, r.content_type) == (status, "application/problem+json")
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_configured_tokens_writes_are_refused(es, fresh_names, seed_docs):
    build(es, fresh_names, seed_docs[:1])
    client = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, warm_models=False)).test_client()
    r = client.post("/v1/documents", json={"text": ARTICLE}, headers=AUTH)
    assert (r.status_code, r.content_type) == (403, "application/problem+json")


def test_reads_can_be_closed_by_configuration(es, fresh_names, seed_docs):
    build(es, fresh_names, seed_docs[:1])
    settings_ = Settings(
        elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, api_tokens=TOKEN, reads_require_token=True, warm_models=False
    )
    client = create_app(settings_).test_client()
    assert client.get("/v1/documents").status_code == 401
    assert client.get("/v1/documents", headers=AUTH).status_code == 200
    assert client.get("/v1/health").status_code == 200


def test_compare_is_rate_limited_per_client(es, fresh_names, seed_docs):
    build(es, fresh_names, seed_docs[:1])
    settings_ = Settings(
        elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, compare_rate_limit="2/minute", warm_models=False
    )
    client = create_app(settings_).test_client()
    answers = [client.post("/v1/compare", json={"claim": "Raqqa fell."}) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert "Retry-After" not in answers[0].headers, "Retry-After only where the client must wait"
    assert int(answers[0].headers["X-RateLimit-Limit"]) == 2 and int(answers[1].headers["X-RateLimit-Remaining"]) == 0
    r = client.post("/v1/compare", json={"claim": "Raqqa fell."})
    assert r.content_type == "application/problem+json" and int(r.headers["Retry-After"]) > 0
    bad = client.post("/v1/compare", json={"claim": "Raqqa fell.", "limit": 0})
    assert bad.status_code in (422, 429) and ("Retry-After" in bad.headers) == (bad.status_code == 429)
    other = client.post("/v1/compare", json={"claim": "Raqqa fell."}, headers={"Authorization": "Bearer someone-else"})
    assert other.status_code == 200


def test_oversize_document_is_413(writer):
    client, _ = writer
    r = client.post("/v1/documents", json={"text": "word " * 500_000}, headers=AUTH)
    assert (r.status_code, r.content_type) == (413, "application/problem+json")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_fields = st.sampled_from(["id", "text", "outlet", "published", "language", "url", "title", "claim", "limit", "languages"])
_bodies = st.one_of(_json, st.dictionaries(_fields, _json, max_size=6))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=_bodies)
def test_fuzzed_bodies_never_cause_a_server_error(writer, body):
    client, _ = writer
    for path in ("/v1/compare", "/v1/documents"):
        r = client.post(path, json=body, headers=AUTH)
        assert r.status_code < 500, (path, body, r.get_data(as_text=True))
        if r.status_code >= 400:
            assert r.content_type == "application/problem+json"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=200))
def test_fuzzed_raw_bytes_never_cause_a_server_error(writer, raw):
    client, _ = writer
    for path in ("/v1/compare", "/v1/documents"):
        r = client.post(path, data=raw, content_type="application/json", headers=AUTH)
        assert r.status_code < 500 and r.content_type == "application/problem+json", hashlib.sha1(raw).hexdigest()


HARBOUR_NEWS = [
    "Harbour master Tove Brekkestad said the new quay in Northbridge opened on Friday.",
    "Tove Brekkestad, the harbour master, warned that the quay in Northbridge needs dredging within a year.",
]


def test_a_batch_writes_every_document_in_order_searchable_and_once(writer, es):
    client, names = writer
    body = {"documents": [{"id": "batch-1", "text": HARBOUR_NEWS[0]}, {"id": "batch-2", "text": HARBOUR_NEWS[1]}]}
    r = client.post("/v1/documents:batch", json=body, headers=AUTH)
    assert r.status_code == 200, r.get_json()
    got = r.get_json()
    assert [x["id"] for x in got["results"]] == ["batch-1", "batch-2"]
    assert got["counts"] == {"created": 2} and all(x["searchable"] and x["passages"] > 0 for x in got["results"])
    for x in got["results"]:
        assert _passage_texts(client, x["id"])
    # the second document resolved its name against the first one's, written before it: one entity, two documents
    found = client.get("/v1/entities?q=Tove Brekkestad").get_json()["entities"]
    assert len([e for e in found if e["name"] == "Tove Brekkestad"]) == 1
    assert {"batch-1", "batch-2"} <= set(found[0]["document_ids"])
    again = client.post("/v1/documents:batch", json=body, headers=AUTH).get_json()
    assert again["counts"] == {"unchanged": 2}
    for x in got["results"]:
        live = es.count(index=names.passages, query={"bool": {"filter": [{"term": {"document_id": x["id"]}}]}})["count"]
        assert live == x["passages"]


def test_a_batch_with_one_bad_document_writes_nothing_and_names_the_field_and_a_repeated_id_ends_as_its_last(writer):
    client, _ = writer
    body = {"documents": [{"id": "batch-ok", "text": ARTICLE}, {"id": "batch-bad", "text": " "}]}
    r = client.post("/v1/documents:batch", json=body, headers=AUTH)
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    assert any(e["field"].startswith("documents.1.text") for e in r.get_json()["errors"]), r.get_json()
    assert client.get("/v1/documents/batch-ok").status_code == 404
    repeated = {"documents": [{"id": "twice", "text": ARTICLE}, {"id": "twice", "text": CHANGED}]}
    r = client.post("/v1/documents:batch", json=repeated, headers=AUTH)  # in order: the later version stands
    assert [x["status"] for x in r.get_json()["results"]] == ["created", "replaced"]
    assert _passage_texts(client, "twice") and all(t in CHANGED for t in _passage_texts(client, "twice"))
    too_many = {"documents": [{"text": f"Article {k} about the harbour."} for k in range(101)]}
    r = client.post("/v1/documents:batch", json=too_many, headers=AUTH)
    assert r.status_code == 422 and any(e["field"] == "documents" for e in r.get_json()["errors"])
    assert client.post("/v1/documents:batch", json=body).status_code == 401


def test_an_entity_another_batch_wrote_but_has_not_refreshed_is_found_not_doubled(es, fresh_names, seed_docs):
    """Two feeds writing at once (`ingest --shard`): one batch creates an entity and has not refreshed yet; the
    other, meeting the same name, joins that entity (a realtime read of its id) instead of creating a second one."""
    from index.unpublished import Unpublished
    from text.documents import build_document

    build(es, fresh_names, seed_docs[:1])
    first, second = Writer(es, fresh_names), Writer(es, fresh_names)
    pending = Unpublished()
    text = "Mayor Ingrid Solheim of Tromsø opened the new Arctic ferry terminal on Friday, the port said. "
    first.upsert(build_document("shard-a", text + "It cost 300 million kroner.", language="en"), unpublished=pending)
    assert pending.entities, "the first batch wrote entities it has not refreshed"
    written = {e for e, source in pending.entities.items() if source}
    second.upsert(build_document("shard-b", text + "Ships will call there daily.", language="en"))  # refreshes
    hits = es.search(index=fresh_names.entities, query={"term": {"documents": "shard-b"}})["hits"]["hits"]
    joined = {h["_id"] for h in hits if "shard-a" in h["_source"]["documents"]}
    assert written and written <= joined, (written, [(h["_id"], h["_source"]["documents"]) for h in hits])
