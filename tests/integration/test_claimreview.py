"""ClaimReview JSON-LD export of compare, checked against the schema.org vocabulary (msgspec-schemaorg)."""

from __future__ import annotations

from typing import Any

import msgspec_schemaorg.models as sdo
import pytest

from api.claimreview import NAMESPACE

pytestmark = pytest.mark.integration
CLAIM = "Fighters were evacuated from the city under an agreement."


def _properties(type_name: str) -> set[str]:
    """The property names schema.org defines for a type (with its inherited ones)."""
    cls = getattr(sdo, type_name, None)
    assert cls is not None, f"{type_name} is not a schema.org type"
    return set(cls.__struct_encode_fields__)


def _check_node(node: Any, path: str = "$") -> int:
    """Every typed node uses only its type's schema.org properties (or the declared claimcheck: terms); returns nodes seen."""
    if isinstance(node, list):
        return sum(_check_node(item, f"{path}[{i}]") for i, item in enumerate(node))
    if not isinstance(node, dict):
        return 0
    seen = 0
    if "@type" in node:
        allowed = _properties(node["@type"])
        for key in node:
            if key.startswith("claimcheck:") or key == "@context":
                continue
            assert key in allowed, f"{path}: {key} is not a property of schema.org {node['@type']}"
        seen = 1
    return seen + sum(_check_node(value, f"{path}.{key}") for key, value in node.items() if key != "@context")


@pytest.mark.parametrize("how", ["query", "accept"])
def test_compare_as_claimreview_uses_the_schema_org_vocabulary(client, how):
    kwargs: dict[str, Any] = {"json": {"claim": CLAIM}}
    if how == "query":
        resp = client.post("/v1/compare?format=claimreview", **kwargs)
    else:
        resp = client.post("/v1/compare", headers={"Accept": "application/ld+json"}, **kwargs)
    assert resp.status_code == 200
    assert resp.mimetype == "application/ld+json"
    doc = resp.get_json(force=True)
    assert doc["@type"] == "ClaimReview" and doc["itemReviewed"]["@type"] == "Claim"
    assert doc["@context"][0] == "https://schema.org" and doc["@context"][1] == {"claimcheck": NAMESPACE}
    assert "reviewRating" not in doc, "the API gives evidence, never a verdict"
    articles = doc["itemReviewed"]["appearance"] + doc["citation"]
    assert articles, "a seed claim has evidence in the seed archive"
    assert _check_node(doc) >= 3 + 2 * len(articles)


def test_claimreview_carries_the_same_evidence_as_json(client):
    plain = client.post("/v1/compare", json={"claim": CLAIM}).get_json()
    doc = client.post("/v1/compare?format=claimreview", json={"claim": CLAIM}).get_json(force=True)
    # appearance: where the claim is made (supporting passages); citation: evidence against it (contradicting)
    for where, side in ((doc["itemReviewed"]["appearance"], "supporting"), (doc["citation"], "contradicting")):
        assert [(a["hasPart"]["identifier"], a["claimcheck:stance"]) for a in where] == [
            (p["passage_id"], p["stance"]) for p in plain[side]
        ]
    articles = doc["itemReviewed"]["appearance"] + doc["citation"]
    for appearance, passage in zip(articles, plain["supporting"] + plain["contradicting"], strict=True):
        assert appearance["hasPart"]["text"] == passage["text"]
        assert appearance["identifier"] == passage["document_id"]
        credited = passage["outlet"] if passage["role"] != "comment" else None
        assert appearance.get("publisher", {}).get("name") == credited
        assert appearance["claimcheck:role"] == passage["role"]
        assert appearance["claimcheck:origin"] == passage["origin"]["id"]
        assert ("claimcheck:repeatOf" in appearance) == passage["origin"]["repeat"]
        assert appearance.get("datePublished") == passage["published"]
        assert appearance.get("url") == passage.get("url")
    assert doc["itemReviewed"]["inLanguage"] == plain["claim_language"]


def test_plain_json_stays_the_default(client):
    resp = client.post("/v1/compare", headers={"Accept": "*/*"}, json={"claim": CLAIM})
    assert resp.mimetype == "application/json" and "supporting" in resp.get_json()


def test_an_unknown_format_names_the_field(client):
    resp = client.post("/v1/compare?format=xml", json={"claim": CLAIM})
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    assert [e["field"] for e in resp.get_json()["errors"]] == ["format"]


def test_the_vocabulary_check_rejects_made_up_terms():
    with pytest.raises(AssertionError):
        _check_node({"@type": "Claim", "verdict": "false"})
    with pytest.raises(AssertionError):
        _check_node({"@type": "FactCheckVerdict"})


def test_contradicting_evidence_is_never_an_appearance_and_urls_travel():
    """Unit-level: a contradicting passage is cited, not listed where the claim appears; the article url is kept."""
    from datetime import date

    from api.claimreview import claim_review
    from api.services.summary import side_summary

    passage = {
        "document_id": "d1",
        "passage_id": "d1:0-5",
        "text": "Not so.",
        "language": "en",
        "outlet": "Paper",
        "published": "2017-10-17",
        "url": "https://paper.example/a",
        "confidence": 0.9,
        "attribution": None,
    }
    contradicting = [passage | {"stance": "contradicts", "role": "body", "origin": {"id": "d1:0-5"}}]
    result = {
        "claim": "So.",
        "claim_language": "en",
        "supporting": [],
        "related": [],
        "contradicting": contradicting,
        "summary": {"supporting": side_summary([]), "contradicting": side_summary(contradicting)},
    }
    doc = claim_review(result, "bot", date(2026, 11, 30))
    assert doc["itemReviewed"]["appearance"] == []
    sentence = "1 passage(s) from 1 independent source(s) contradict (Paper), first reported by Paper on 2017-10-17"
    assert sentence in doc["reviewBody"]
    assert [a["url"] for a in doc["citation"]] == ["https://paper.example/a"]
    assert doc["citation"][0]["claimcheck:stance"] == "contradicts"
