import pytest
from marshmallow import ValidationError

from api.schemas import CompareRequest, EntitySearchQuery


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "claim"),
        ({"claim": "   "}, "claim"),
        ({"claim": 5}, "claim"),
        ({"claim": "x" * 1001}, "claim"),
        ({"claim": "ok", "extra": 1}, "extra"),
        ({"claim": "ok", "languages": ["de"]}, "languages"),
        ({"claim": "ok", "limit": True}, "limit"),
        ({"claim": "ok", "limit": "5"}, "limit"),
        ({"claim": "ok", "limit": 0}, "limit"),
    ],
)
def test_compare_request_rejects_with_the_offending_field(body, field):
    with pytest.raises(ValidationError) as err:
        CompareRequest().load(body)
    assert field in err.value.messages


def test_compare_request_accepts_options():
    req = CompareRequest().load({"claim": "c", "languages": ["nb", "sv"], "limit": 3, "published_after": "2017-01-01"})
    assert req["limit"] == 3 and str(req["published_after"]) == "2017-01-01"


def test_entity_query_defaults():
    assert EntitySearchQuery().load({"q": "SDF"}) == {"q": "SDF", "limit": 20, "offset": 0}
