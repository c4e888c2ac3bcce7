"""The example client in examples/ against a real gunicorn: what a newsroom developer copies must work."""

from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import ROOT
from tests.system.conftest import TOKEN

sys.path.insert(0, str(ROOT / "examples"))
from claimcheck_client import ClaimcheckClient, ClaimcheckError  # noqa: E402

CLAIM = "Fighters were evacuated from the city under an agreement."


def test_example_client_compares_pages_and_revalidates(server):
    api = ClaimcheckClient(server, token=TOKEN)
    result = api.compare(CLAIM, limit=5)
    assert result["supporting"] and all(p["text"] for p in result["supporting"])
    assert all(p["stance"] == "neither" for p in result["related"])
    review = api.claim_review(CLAIM, limit=5)
    assert review["@type"] == "ClaimReview" and len(review["itemReviewed"]["appearance"]) == len(result["supporting"])
    assert len(review["citation"]) == len(result["contradicting"])
    every = list(api.documents(page_size=2))
    assert len(every) == len({d["id"] for d in every}) == api._get("/v1/health")["index"]["documents"]
    first = api.document(every[0]["id"])
    before = api.not_modified
    assert api.document(every[0]["id"]) == first
    assert api.not_modified == before + 1, "the second GET revalidates with its ETag and gets 304"
    assert api.entities("Deir ez-Zor")


def test_example_client_raises_problems_with_fields_and_request_id(server):
    api = ClaimcheckClient(server, token=TOKEN)
    with pytest.raises(ClaimcheckError) as err:
        api.compare("   ")
    assert err.value.status == 422 and err.value.fields == ["claim"]
    assert err.value.problem["request_id"] == api.last_request_id
    print(json.dumps(err.value.problem))
