"""openapi.yaml and the marshmallow schemas say the same thing: every request field's type, enumeration and limits,
every response's field names, and the defaults the settings hold. A change on one side only fails here."""

from pathlib import Path

import pytest
import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from api import schemas
from api.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
COMPONENTS = SPEC["components"]["schemas"]
CONSTRAINTS = ("type", "enum", "format", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "default")
_plugin = MarshmallowPlugin()
APISpec("claimcheck", "1", "3.0.3", plugins=[_plugin])


def generated(schema: type) -> dict:
    out = _plugin.converter.schema2jsonschema(schema)  # type: ignore[union-attr]
    if issubclass(schema, schemas.ClaimRequest):  # the claim's length is a setting, checked against its default
        out["properties"]["claim"] |= {"minLength": 1, "maxLength": Settings().claim_max_chars}
    return out


def properties(component: dict) -> dict:
    """A component's properties, through allOf and $ref."""
    if "allOf" in component:
        merged: dict = {}
        for part in component["allOf"]:
            part = COMPONENTS[part["$ref"].rsplit("/", 1)[1]] if "$ref" in part else part
            merged |= properties(part)
        return merged
    return component["properties"]


def constraints(prop: dict, pattern: bool) -> dict:
    """The checkable part of a property (pattern only where the schema states one: "\\S" stands for not-blank)."""
    out = {k: prop[k] for k in CONSTRAINTS if k in prop}
    if pattern and "pattern" in prop:
        out["pattern"] = prop["pattern"]
    if "items" in prop:
        out["items"] = constraints(prop["items"], pattern)
    return out


def parameters(path: str, method: str) -> dict[str, dict]:
    out = {}
    for p in SPEC["paths"][path][method].get("parameters", []):
        if "$ref" in p:
            p = SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
        if p["in"] == "query":
            out[p["name"]] = p["schema"]
    return out


REQUESTS = [
    (schemas.CompareRequest, "CompareRequest"),
    (schemas.StanceRequest, "StanceRequest"),
    (schemas.DocumentIn, "DocumentIn"),
    (schemas.DocumentBatchIn, "DocumentBatchIn"),
    (schemas.WatchIn, "WatchIn"),
]
QUERIES = [
    (schemas.PageQuery, "/v1/documents", "get"),
    (schemas.EntitySearchQuery, "/v1/entities", "get"),
    (schemas.PageQuery, "/v1/entities/{entity_id}", "get"),
    (schemas.DisputesQuery, "/v1/entities/{entity_id}/claims", "get"),
    (schemas.CompareQuery, "/v1/compare", "post"),
    (schemas.WatchPageQuery, "/v1/watches", "get"),
    (schemas.MatchesQuery, "/v1/watches/{watch_id}/matches", "get"),
]
RESPONSES = {
    schemas.WriteResultSchema: "WriteResult",
    schemas.BatchWriteResultSchema: "BatchWriteResult",
    schemas.HealthSchema: "Health",
    schemas.ProvenanceSchema: "Provenance",
    schemas.PassageSchema: "Passage",
    schemas.ScoredPassageSchema: "ScoredPassage",
    schemas.AttributionSchema: "Attribution",
    schemas.StanceResponse: "StanceResponse",
    schemas.CompareResponse: "CompareResponse",
    schemas.DocumentSummarySchema: "DocumentSummary",
    schemas.DocumentSchema: "Document",
    schemas.DocumentPage: "DocumentPage",
    schemas.EntitySummarySchema: "EntitySummary",
    schemas.EntityPage: "EntityPage",
    schemas.JudgedPassageSchema: "JudgedPassage",
    schemas.EntityClaimsSchema: "EntityClaims",
    schemas.EntityDetailSchema: "EntityDetail",
    schemas.OriginSchema: "Origin",
    schemas.RelatedPassageSchema: "RelatedPassage",
    schemas.SideSummarySchema: "SideSummary",
    schemas.WatchSchema: "Watch",
    schemas.WatchCreatedSchema: "WatchCreated",
    schemas.WatchDetailSchema: "WatchDetail",
    schemas.WatchPage: "WatchPage",
    schemas.MatchSchema: "Match",
    schemas.MatchPage: "MatchPage",
    schemas.BackfillSchema: "Backfill",
    schemas.DeliverySchema: "Delivery",
}


@pytest.mark.parametrize("schema, name", REQUESTS, ids=[n for _, n in REQUESTS])
def test_request_bodies_agree(schema, name):
    ours, theirs = generated(schema), COMPONENTS[name]
    assert set(ours["properties"]) == set(theirs["properties"]), "fields"
    assert set(ours.get("required", [])) == set(theirs.get("required", [])), "required fields"
    assert theirs.get("additionalProperties") is False, "unknown fields are refused"
    for field, prop in ours["properties"].items():
        if "anyOf" in theirs["properties"][field]:  # DocumentIn.published: one regex here, three forms there
            continue
        spec = constraints(theirs["properties"][field], pattern="pattern" in prop)
        spec.pop("default", None)  # request defaults come from the settings (checked below)
        assert constraints(prop, pattern=True) == spec, field


@pytest.mark.parametrize("schema, path, method", QUERIES, ids=[f"{m} {p}" for _, p, m in QUERIES])
def test_query_parameters_agree(schema, path, method):
    ours, theirs = generated(schema)["properties"], parameters(path, method)
    assert set(ours) == set(theirs)
    for field, prop in ours.items():
        assert constraints(prop, pattern=True) == constraints(theirs[field], pattern="pattern" in prop), field


@pytest.mark.parametrize("schema", list(RESPONSES), ids=list(RESPONSES.values()))
def test_response_fields_agree(schema):
    assert set(schema().fields) == set(properties(COMPONENTS[RESPONSES[schema]]))


def test_limits_that_the_settings_hold_agree():
    s = Settings()
    assert COMPONENTS["CompareRequest"]["properties"]["claim"]["maxLength"] == s.claim_max_chars
    assert COMPONENTS["StanceRequest"]["properties"]["claim"]["maxLength"] == s.claim_max_chars
    assert COMPONENTS["CompareRequest"]["properties"]["limit"]["default"] == s.compare_default_limit
    assert COMPONENTS["CompareRequest"]["properties"]["related_limit"]["default"] == s.compare_default_related_limit


def test_the_check_fails_on_a_disagreement():
    wrong = dict(COMPONENTS["StanceRequest"]["properties"]["passages"], maxItems=99)
    assert constraints(generated(schemas.StanceRequest)["properties"]["passages"], True) != constraints(wrong, False)


@pytest.mark.parametrize(
    "value", ["2024", "2024-05", "2024-05-31", "0001", "24", "2024-13", "2024-5", "2024-05-1", "2024-05-31T00"]
)
def test_published_forms_agree(value):
    """DocumentIn.published: the schema's one pattern accepts what the spec's three forms accept (day, month, year)."""
    import re
    from datetime import date

    forms = COMPONENTS["DocumentIn"]["properties"]["published"]["anyOf"]
    spec_ok = any(re.fullmatch(f["pattern"], value) for f in forms if "pattern" in f)
    if not spec_ok and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # the format: date form
        try:
            spec_ok = bool(date.fromisoformat(value))
        except ValueError:
            spec_ok = False
    assert bool(re.fullmatch(schemas.PUBLISHED, value)) == spec_ok
