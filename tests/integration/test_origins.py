"""Origins on a fresh archive written through the API (the incremental path): one wire story republished by three
outlets (one word for word under a new headline, one lightly edited, one translated into Norwegian) and an
independent report of the same event; and on the seeds (the bulk path): the Swedish post that translates the
Norwegian one."""

import uuid

import pytest

from api import create_app
from api.config import Settings
from index.ingest import build
from index.names import IndexNames
from tests.conftest import ES_URL, drop_indices

pytestmark = pytest.mark.integration
TOKEN = "origins-token"
WIRE = (
    "Firefighters rescued fourteen people from a burning apartment block in Bergen on Sunday night, police said. "
    "Two residents were taken to hospital with smoke injuries, and the building's third floor was destroyed."
)
DOCS = [
    {
        "id": "wire",
        "outlet": "Nordic Wire",
        "published": "2024-03-03",
        "language": "en",
        "text": "Fourteen rescued from Bergen fire\n\n" + WIRE,
    },
    {
        "id": "daily",
        "outlet": "Coast Daily",
        "published": "2024-03-04",
        "language": "en",
        "text": "Night of flames in Bergen: residents saved\n\n" + WIRE,
    },
    {
        "id": "weekly",
        "outlet": "West Weekly",
        "published": "2024-03-05",
        "language": "en",
        "text": "Bergen blaze\n\n" + WIRE.replace("on Sunday night", "late on Sunday").replace("police said", "the police said"),
    },
    {
        "id": "oversatt",
        "outlet": "Vestlandsavisa",
        "published": "2024-03-04",
        "language": "nb",
        "text": "Fjorten reddet fra brann i Bergen\n\n"
        "Brannmannskaper reddet fjorten personer fra en brennende boligblokk i Bergen søndag kveld, opplyser politiet. "
        "To beboere ble kjørt til sykehus med røykskader, og bygningens tredje etasje ble ødelagt.",
    },
    {
        "id": "own-report",
        "outlet": "Bergen Local",
        "published": "2024-03-04",
        "language": "en",
        "text": "Bergen fire: a neighbour's account\n\n"
        "A neighbour said she woke to the smell of smoke and saw flames coming out of a kitchen window. "
        "She watched firefighters carry fourteen of her neighbours out of the burning block before midnight. "
        "The fire service needed three hours to put out the blaze, its duty officer told this newspaper.",
    },
]
CLAIM = "Fourteen people were rescued from a burning apartment block in Bergen."
BLOG = {
    "id": "blog",
    "outlet": "Harbour Blog",
    "published": "2024-03-06",
    "language": "en",
    "text": "Why old apartment blocks burn\n\n"
    "Many blocks built before 1970 have no fire doors between floors, the building authority wrote last year.\n\n"
    '2 responses to "Why old apartment blocks burn"\n\n'
    "  1. Ola\n     My building has the same problem and the landlord does nothing about it.\n\n"
    "  2. They should inspect every old block in the city before the next fire.\n\n"
    "Leave a Reply\n",
}


@pytest.fixture(scope="module")
def client(es):
    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    build(es, names, [])
    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=names.prefix, api_tokens=TOKEN))
    test_client = app.test_client()
    for doc in [*DOCS, BLOG]:
        r = test_client.post("/v1/documents", json=doc, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (200, 201), r.get_data(as_text=True)
    yield test_client
    drop_indices(es, names.prefix)


def origin_of(client, doc_id, needle):
    (passage,) = [p for p in client.get(f"/v1/documents/{doc_id}").get_json()["passages"] if needle in p["text"]]
    return passage["origin_id"]


def test_republished_copies_share_an_origin_and_an_independent_report_does_not(client):
    lead = {d: origin_of(client, d, "Firefighters rescued") for d in ("wire", "daily", "weekly")}
    lead["oversatt"] = origin_of(client, "oversatt", "Brannmannskaper reddet")
    assert len(set(lead.values())) == 1, lead
    own = client.get("/v1/documents/own-report").get_json()["passages"]
    assert not {p["origin_id"] for p in own} & set(lead.values())
    # the body sentences that report the fourteen rescued: four articles, two independent sources
    rescue = {
        p["origin_id"]
        for d in DOCS
        for p in client.get(f"/v1/documents/{d['id']}").get_json()["passages"]
        if p["role"] == "body" and ("fourteen" in p["text"].lower() or "fjorten" in p["text"].lower())
    }
    assert len(rescue) == 2, rescue


def test_compare_counts_one_source_and_names_the_earliest_outlet(client):
    answer = client.post("/v1/compare", json={"claim": CLAIM, "limit": 50, "related_limit": 50}).get_json()
    shown = [p for key in ("supporting", "contradicting", "related") for p in answer[key]]
    copies = [p for p in shown if "Firefighters rescued" in p["text"] or "Brannmannskaper reddet" in p["text"]]
    assert len(copies) >= 2, "the copies are found"
    assert {p["origin"]["id"] for p in copies} == {copies[0]["origin"]["id"]}
    assert all(p["origin"]["first"]["outlet"] == "Nordic Wire" for p in copies)
    assert [p["origin"]["repeat"] for p in copies].count(False) <= 1
    for key in ("supporting", "contradicting", "related"):
        assert answer["independent_sources"][key] == len({p["origin"]["id"] for p in answer[key] if p["role"] != "comment"})


def test_a_republication_lists_the_original_as_related_and_earlier(client):
    related = client.get("/v1/documents/daily").get_json()["related_documents"]
    wire = next(r for r in related if r["id"] == "wire")
    assert wire["earlier"] == "other" and wire["outlet"] == "Nordic Wire" and 0 < wire["share"] <= 1
    assert all(r["id"] != "own-report" for r in related)
    assert {r["id"] for r in related} >= {"wire", "weekly", "oversatt"}


def test_the_seed_translation_is_related_to_its_original(client_seeded):
    detail = client_seeded.get("/v1/documents/001_fad23f0bf0524865").get_json()
    original = [r for r in detail["related_documents"] if r["id"] == "000_fdaeabc986833ff8"]
    assert original and original[0]["shared_statements"] >= 3


@pytest.fixture
def client_seeded(app):
    return app.test_client()


def test_a_comment_thread_is_stored_as_comments_not_as_the_outlet(client):
    passages = client.get("/v1/documents/blog").get_json()["passages"]
    roles = {p["text"][:20]: (p["role"], p["speaker"]) for p in passages}
    assert roles["Many blocks built be"] == ("body", None)
    comments = [p for p in passages if "landlord" in p["text"] or "inspect every" in p["text"]]
    assert comments and all((p["role"], p["speaker"]) == ("comment", "reader comment") for p in comments)


QUAY = "The harbour authority said the new northern quay will open to cargo ships in March next year."
BASIN = "The harbour authority said the dredging of the old southern basin will cost forty million kroner."


def test_a_document_joining_two_origins_merges_them_and_every_passage_keeps_its_vector(es, seed_docs):
    from api.services.archive import connect
    from index.queries import knn_passages
    from text.documents import build_document
    from text.embedding import embed_passages

    names = IndexNames(f"test-merge-{uuid.uuid4().hex[:8]}")
    try:
        build(es, names, seed_docs[:1])
        archive = connect(Settings(elasticsearch_url=ES_URL, index_prefix=names.prefix))
        for doc_id, text in (("quay", QUAY), ("basin", BASIN), ("both", QUAY[:-1] + ", and " + BASIN[0].lower() + BASIN[1:])):
            archive.writer.upsert(build_document(doc_id, text, language="en"))
        hits = es.search(index=names.passages, query={"terms": {"document_id": ["quay", "basin", "both"]}})["hits"]["hits"]
        origins = {h["_source"]["document_id"]: h["_source"]["origin"] for h in hits}
        assert len(origins) == 3 and len(set(origins.values())) == 1, origins  # the third joined the first two
        assert all("embedding" not in h["_source"] for h in hits)  # vectors live in the index, not in _source
        # the merge rewrote the earlier passages whole: each is still found by its own vector, live
        for doc_id, text in (("quay", QUAY), ("basin", BASIN)):
            body = knn_passages(embed_passages([text])[0].tolist(), 1)
            top = es.search(index=names.passages, **body)["hits"]["hits"][0]
            assert top["_source"]["document_id"] == doc_id and top["_score"] > 0.999 and top["_source"]["live"]
    finally:
        drop_indices(es, names.prefix)


def _count_refreshes(writer):
    """Count the writer's refreshes (each still refreshes the index)."""
    publish, count = writer.publish, [0]

    def counted():
        count[0] += 1
        publish()

    writer.publish = counted
    return lambda: count[0]


def test_a_batch_reads_its_own_unrefreshed_documents_as_one_call_each_would(es, seed_docs):
    """upsert_many refreshes the passages once per chunk, not once per document: the origins a document finds among
    the batch's earlier ones (a copy, a translation, a merge of two origins, a replaced version), its entities and
    every passage come out exactly as one upsert at a time writes them."""
    from elasticsearch.helpers import scan

    from api.services.archive import connect
    from text.documents import build_document

    sequence = [(d["id"], d["text"], d["language"]) for d in DOCS]
    sequence += [
        ("quay", QUAY, "en"),
        ("basin", BASIN, "en"),
        ("both", QUAY[:-1] + ", and " + BASIN[0].lower() + BASIN[1:], "en"),
    ]
    sequence += [("daily", DOCS[1]["text"] + "\n\nThe cause of the fire is not yet known, police said.", "en")]  # replaced
    sequence += [("late", "Bergen fire, update\n\n" + WIRE, "en")]  # a copy written after the replacement
    unrelated = [
        "The county council voted on Tuesday to close two rural schools in the valley from next autumn.",
        "A record number of cruise ships called at the port of Stavanger this summer, the port authority said.",
        "Salmon prices fell for the third week in a row as exports to Asia slowed, the seafood council reported.",
        "The new ferry between Oslo and Kiel was delayed by a week after a fault in one of its engines.",
    ]
    sequence += [(f"unrelated-{k}", text, "en") for k, text in enumerate(unrelated)]  # nothing to read among the batch
    stored = {}
    for way in ("one by one", "batch"):
        names = IndexNames(f"test-batch-{uuid.uuid4().hex[:8]}")
        try:
            build(es, names, seed_docs[:1])
            writer = connect(Settings(elasticsearch_url=ES_URL, index_prefix=names.prefix)).writer
            refreshes = _count_refreshes(writer)
            docs = [build_document(i, text, language=lang) for i, text, lang in sequence]
            results = [writer.upsert(d) for d in docs] if way == "one by one" else list(writer.upsert_many(docs))
            assert [r.status for r in results].count("replaced") == 1 and len(results) == len(docs)
            es.indices.refresh(index=f"{names.passages},{names.entities}")
            passages = {h["_id"]: h["_source"] for h in scan(es, index=names.passages, query={"query": {"term": {"live": True}}})}
            entities = {h["_id"]: h["_source"] for h in scan(es, index=names.entities)}
            stored[way] = (passages, entities, refreshes())
        finally:
            drop_indices(es, names.prefix)
    (one_passages, one_entities, one_refreshes), (passages, entities, refreshes) = stored["one by one"], stored["batch"]
    assert passages == one_passages and entities == one_entities
    origins = {
        p["document_id"]: p["origin"] for p in passages.values() if "Firefighters" in p["text"] or "Brannmannskaper" in p["text"]
    }
    assert len(set(origins.values())) == 1 and {"wire", "daily", "weekly", "oversatt", "late"} <= set(origins), origins
    # each copy whose id sorts first renames the origin (a merge), so here most documents still refresh; the
    # unrelated ones never need to
    assert refreshes <= one_refreshes - len(unrelated), (refreshes, one_refreshes)
