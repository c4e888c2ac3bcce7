import re

import pytest

pytestmark = pytest.mark.integration


def _docs_containing(seed_docs, pattern):
    return {d.document_id for d in seed_docs if re.search(pattern, d.text)}


@pytest.mark.parametrize("query, pattern", [("SOHR", r"\bSOHR\b"), ("SDF", r"\bSDF\b"), ("Raqqa", r"\bRaqqah?\b")])
def test_entity_documents_cover_every_document_that_spells_it(client, seed_docs, query, pattern):
    found = client.get(f"/v1/entities?q={query}").get_json()["entities"]
    assert found, query
    detail = client.get(f"/v1/entities/{found[0]['id']}?limit=100").get_json()
    assert _docs_containing(seed_docs, pattern) <= {d["document_id"] for d in detail["documents"]}
    assert sum(d["mentions"] for d in detail["documents"]) == detail["mentions_total"]
    assert detail["mentions_total"] >= len(detail["mentions"]) > 0
    texts = {d.document_id: d.text for d in seed_docs}
    for m in detail["mentions"]:
        assert texts[m["document_id"]][m["start"] : m["end"]] == m["text"]


@pytest.mark.parametrize("query", ["IS", "SOHR", "Raqqa", "SDF", "US"])
def test_every_mention_passage_spells_one_of_the_aliases_case_sensitively(client, query):
    found = client.get(f"/v1/entities?q={query}").get_json()["entities"]
    assert found
    detail = client.get(f"/v1/entities/{found[0]['id']}?limit=100").get_json()
    aliases = [a["alias"] for a in detail["aliases"]]
    assert "is" not in aliases and "us" not in aliases
    for m in detail["mentions"]:
        assert any(re.search(rf"(?<!\w){re.escape(a)}", m["text"]) for a in aliases), m["text"]


def test_spelling_tolerance(client):
    exact = client.get("/v1/entities?q=Raqqa").get_json()["entities"][0]["id"]
    assert client.get("/v1/entities?q=raqqah").get_json()["entities"][0]["id"] == exact
    assert client.get("/v1/entities?q=Raqa").get_json()["entities"][0]["id"] == exact


@pytest.mark.parametrize(
    "url, status",
    [
        ("/v1/entities", 422),
        ("/v1/entities?q=", 422),
        ("/v1/entities?q=x&limit=0", 422),
        ("/v1/entities?q=x&limit=abc", 422),
        ("/v1/entities?q=x&bogus=1", 422),
        ("/v1/entities/no-such-entity", 404),
    ],
)
def test_entity_errors(client, url, status):
    r = client.get(url)
    assert (r.status_code, r.content_type) == (status, "application/problem+json")


def test_claims_pair_passages_of_different_sources_that_mention_the_entity(client, seed_docs):
    entity = client.get("/v1/entities?q=Raqqa").get_json()["entities"][0]
    body = client.get(f"/v1/entities/{entity['id']}/claims?limit=5").get_json()
    assert body["id"] == entity["id"] and len(body["statements"]) <= 5
    mentioning = {m["passage_id"] for m in client.get(f"/v1/entities/{entity['id']}?limit=100").get_json()["mentions"]}
    texts = {d.document_id: d.text for d in seed_docs}
    assert body["statements"], "the seeds restate Raqqa claims across outlets"
    for s in body["statements"]:
        st = s["statement"]
        assert st["passage_id"] in mentioning
        assert s["disputed"] == bool(s["contradicting"])
        for side, stance in (("supporting", "supports"), ("contradicting", "contradicts")):
            for p in s[side]:
                assert p["stance"] == stance and p["document_id"] != st["document_id"]
                assert p["passage_id"] in mentioning
                assert texts[p["document_id"]][p["start"] : p["end"]] == p["text"]


def test_claims_of_unknown_entity_is_404(client):
    r = client.get("/v1/entities/no-such-entity/claims")
    assert (r.status_code, r.content_type) == (404, "application/problem+json")
