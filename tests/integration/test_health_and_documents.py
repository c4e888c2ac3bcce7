import re

import pytest

pytestmark = pytest.mark.integration


def test_health_reports_elasticsearch_and_index_counts(client, seed_docs):
    r = client.get("/v1/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ok"
    assert re.fullmatch(r"\d+\.\d+\.\d+", body["elasticsearch"]["version"])
    assert body["index"]["documents"] == len(seed_docs)
    assert body["index"]["passages"] > len(seed_docs)
    print(f"elasticsearch version under test: {body['elasticsearch']['version']}")


def test_every_seed_is_listed_with_metadata_or_an_explained_null(client, seed_docs):
    body = client.get("/v1/documents?limit=100").get_json()
    assert body["total"] == len(seed_docs)
    listed = {d["id"]: d for d in body["documents"]}
    assert set(listed) == {d.document_id for d in seed_docs}
    for doc in listed.values():
        assert doc["language"] in ("nb", "sv", "en")
        for field in ("outlet", "published", "title"):
            prov = doc["provenance"][field]
            assert prov["source"] in ("text", "curated", "given", "none")
            assert prov["evidence"], f"{doc['id']}.{field} has no stated provenance"
            assert (doc[field] is None) == (prov["source"] == "none")
        if doc["published"]:
            assert doc["published_precision"] in ("day", "month", "year")
            assert len(doc["published"]) == {"day": 10, "month": 7, "year": 4}[doc["published_precision"]]


def test_text_stated_values_are_found_in_the_text(client):
    for doc in client.get("/v1/documents?limit=100").get_json()["documents"]:
        if doc["provenance"]["outlet"]["source"] == "text":
            detail = client.get(f"/v1/documents/{doc['id']}").get_json()
            assert doc["outlet"].lower() in detail["text"].lower()


def test_pagination(client, seed_docs):
    first = client.get("/v1/documents?limit=2&offset=0").get_json()["documents"]
    second = client.get("/v1/documents?limit=2&offset=2").get_json()["documents"]
    assert len(first) == 2 and not {d["id"] for d in first} & {d["id"] for d in second}


def test_document_passages_quote_the_text_exactly(client, seed_docs):
    for seed in seed_docs:
        doc = client.get(f"/v1/documents/{seed.document_id}").get_json()
        assert doc["text"] == seed.text
        assert doc["passage_count"] == len(doc["passages"]) > 0
        for p in doc["passages"]:
            assert seed.text[p["start"] : p["end"]] == p["text"]
            assert p["outlet"] == doc["outlet"] and p["published"] == doc["published"]
            assert "embedding" not in p
        blob = " ".join(p["text"] for p in doc["passages"])
        for furniture in ("arrow-left", "Leave a Reply", "vg-expand-down", "Publisert:"):
            assert furniture not in blob


def test_unknown_document_is_a_404_problem(client):
    r = client.get("/v1/documents/no-such-document")
    assert r.status_code == 404
    assert r.content_type == "application/problem+json"
    assert r.get_json()["status"] == 404


def test_served_spec_is_the_file(client):
    from pathlib import Path

    served = client.get("/openapi.yaml")
    assert served.status_code == 200
    assert served.get_data(as_text=True) == (Path(__file__).resolve().parents[2] / "openapi.yaml").read_text()


@pytest.mark.parametrize(
    "url", ["/v1/documents?limit=0", "/v1/documents?limit=abc", "/v1/documents?offset=-1", "/v1/documents?bogus=1"]
)
def test_bad_list_parameters_are_422_problems_naming_the_field(client, url):
    r = client.get(url)
    assert (r.status_code, r.content_type) == (422, "application/problem+json")
    field = url.split("?")[1].split("=")[0]
    assert field in {e["field"] for e in r.get_json()["errors"]}
