"""The compare cache against a real Elasticsearch and the real models: a repeated claim is answered from it, byte
for byte, and any write the archive's readers can see (from this app or from another process) makes the next
answer fresh. Every article here is written for the test (none is a seed)."""

from __future__ import annotations

import pytest

from api import create_app
from api.config import Settings
from api.services.documents import to_document
from index.ingest import build
from index.repository import Archive
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration
TOKEN = "cache-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLAIM = "The new bridge over the Sella river was closed after cracks were found in its pillars."
FIRST = (
    "Ravenholm, 3 March. Engineers found cracks in two pillars of the new bridge over the Sella river on Tuesday. "
    "The county closed the bridge to all traffic the same evening."
)
LATER = (
    "Ravenholm, 9 March. The county reopened the bridge over the Sella river on Monday: the engineers said the "
    "cracks in its pillars were only in the paint and the bridge was never unsafe."
)


def _timing(resp) -> dict[str, str]:
    parts = [p.strip().split(";") for p in resp.headers["Server-Timing"].split(",")]
    return {p[0]: p[-1] for p in parts}


def _documents(answer) -> set[str]:
    return {p["document_id"] for side in ("supporting", "contradicting", "related") for p in answer[side]}


@pytest.fixture
def cached(es, fresh_names):
    build(es, fresh_names, [to_document({"id": "bridge-1", "text": FIRST, "outlet": "Ravenholm Courier"})])
    settings = Settings.from_env(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, api_tokens=TOKEN, warm_models=False)
    return create_app(settings).test_client()


def test_a_repeated_claim_is_answered_from_the_cache_byte_for_byte(cached):
    first = cached.post("/v1/compare", json={"claim": CLAIM})
    again = cached.post("/v1/compare", json={"claim": "  " + CLAIM.replace(" ", "  ") + "\n"})  # the same claim
    assert first.status_code == again.status_code == 200
    assert _timing(first)["cache"] == 'desc="miss"'
    assert _timing(again)["cache"] == 'desc="hit"' and "model" not in _timing(again)
    assert again.data == first.data
    other = cached.post("/v1/compare", json={"claim": CLAIM, "limit": 3})  # other options: another question
    assert _timing(other)["cache"] == 'desc="miss"'
    fresh = cached.post("/v1/compare", json={"claim": CLAIM}, headers={"Cache-Control": "no-cache"})
    assert _timing(fresh)["cache"] == 'desc="fresh"' and fresh.data == first.data
    review = cached.post("/v1/compare?format=claimreview", json={"claim": CLAIM})  # the same answer as ClaimReview
    assert _timing(review)["cache"] == 'desc="hit"' and review.headers["Content-Type"].startswith("application/ld+json")


def test_a_write_then_the_same_claim_gets_a_fresh_answer(cached, es, fresh_names):
    before = cached.post("/v1/compare", json={"claim": CLAIM}).get_json()
    assert "bridge-2" not in _documents(before)
    resp = cached.post("/v1/documents", json={"id": "bridge-2", "text": LATER, "outlet": "Sella Daily"}, headers=AUTH)
    assert resp.status_code in (200, 201)
    after = cached.post("/v1/compare", json={"claim": CLAIM})
    assert _timing(after)["cache"] == 'desc="miss"'
    assert "bridge-2" in _documents(after.get_json())
    # a write by another process (the CLI, another worker): its own writer, the same archive
    Archive(es, fresh_names).writer.delete("bridge-2")
    gone = cached.post("/v1/compare", json={"claim": CLAIM})
    assert _timing(gone)["cache"] == 'desc="miss"'
    assert "bridge-2" not in _documents(gone.get_json())


def test_with_no_cache_configured_every_answer_is_fresh(es, fresh_names):
    build(es, fresh_names, [to_document({"id": "bridge-1", "text": FIRST, "outlet": "Ravenholm Courier"})])
    settings = Settings.from_env(elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, compare_cache_bytes=0)
    client = create_app(settings).test_client()
    for _ in range(2):
        resp = client.post("/v1/compare", json={"claim": CLAIM})
        assert resp.status_code == 200 and "cache" not in _timing(resp)


def test_an_archive_built_before_generations_existed_gets_one_at_its_first_compare(cached, es, fresh_names):
    es.indices.delete(index=f"{fresh_names.prefix}-state")
    first = cached.post("/v1/compare", json={"claim": CLAIM})
    assert _timing(first)["cache"] == 'desc="off"'  # answered, not kept
    assert _timing(cached.post("/v1/compare", json={"claim": CLAIM}))["cache"] == 'desc="miss"'
    again = cached.post("/v1/compare", json={"claim": CLAIM})
    assert _timing(again)["cache"] == 'desc="hit"' and again.data == first.data
