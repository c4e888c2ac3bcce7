"""Date filters with precision semantics on a fresh archive: a month-precision document survives a day filter
inside its month, undated documents are kept unless the request says otherwise, and the answer counts what the
filters removed."""

import pytest

from api import create_app
from api.config import Settings
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration
TOKEN = "dates-token"
STORY = (
    "The ferry company cancelled every crossing to the island after the storm damaged the pier. "
    "Engineers said the pier would need three weeks of repairs before ferries could dock again."
)
DOCS = [
    {"id": "ferry-day", "text": STORY, "outlet": "Coast Daily", "published": "2017-10-20", "language": "en"},
    {"id": "ferry-month", "text": STORY.replace("three", "four"), "outlet": "Island Post", "published": "2017-10"},
    {"id": "ferry-year", "text": STORY.replace("three", "five"), "outlet": "Harbour Weekly", "published": "2016"},
    {"id": "ferry-undated", "text": STORY.replace("three", "six"), "outlet": "Ferry Forum"},
]
CLAIM = "The storm damaged the pier and crossings to the island were cancelled."


@pytest.fixture(scope="module")
def client(es):
    import uuid

    from index.names import IndexNames
    from tests.conftest import drop_indices

    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=names.prefix, api_tokens=TOKEN))
    test_client = app.test_client()
    from index.ingest import build

    build(es, names, [])
    for doc in DOCS:
        r = test_client.post("/v1/documents", json=doc, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (200, 201), r.get_data(as_text=True)
    yield test_client
    drop_indices(es, names.prefix)


def documents(answer):
    return {p["document_id"] for key in ("supporting", "contradicting", "related") for p in answer[key]}


def compare(client, **filters):
    r = client.post("/v1/compare", json={"claim": CLAIM, "related_limit": 50, "limit": 50} | filters)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_without_filters_every_document_answers_and_nothing_is_filtered_out(client):
    answer = compare(client)
    assert documents(answer) == {d["id"] for d in DOCS}
    assert answer["filtered_out"] == {"documents": 0, "undated_kept": 0}


def test_a_month_precision_document_survives_a_day_filter_inside_its_month(client):
    answer = compare(client, published_after="2017-10-16")
    assert documents(answer) == {"ferry-day", "ferry-month", "ferry-undated"}
    assert answer["filtered_out"] == {"documents": 1, "undated_kept": 1}


def test_a_day_filter_outside_the_month_drops_it(client):
    answer = compare(client, published_after="2017-11-01")
    assert documents(answer) == {"ferry-undated"}
    assert answer["filtered_out"] == {"documents": 3, "undated_kept": 1}


def test_a_year_precision_document_overlaps_a_range_inside_its_year(client):
    answer = compare(client, published_after="2016-06-01", published_before="2016-06-30", include_undated=False)
    assert documents(answer) == {"ferry-year"}
    assert answer["filtered_out"] == {"documents": 3, "undated_kept": 0}


def test_undated_documents_leave_only_when_asked(client):
    answer = compare(client, published_after="2017-10-16", include_undated=False)
    assert documents(answer) == {"ferry-day", "ferry-month"}
    assert answer["filtered_out"] == {"documents": 2, "undated_kept": 0}


def test_include_undated_must_be_a_boolean(client):
    r = client.post("/v1/compare", json={"claim": CLAIM, "include_undated": "yes"})
    assert r.status_code == 422 and "include_undated" in r.get_data(as_text=True)
