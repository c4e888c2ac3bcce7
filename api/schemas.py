"""Every request and response schema of the API, in one place."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from api.config import Settings
from index.sources import origin_of
from text.language import SUPPORTED
from text.roles import BODY, ROLES, SPEAKER

LANGUAGES = SUPPORTED  # the archive languages, defined once (text.language)


class StrictInt(fields.Integer):
    """An integer that refuses booleans and numeric strings in JSON bodies."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


# Whitespace as JSON Schema's ECMA-262 \s defines it, so that server and openapi.yaml agree on "blank".
_BLANK = re.compile("^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$")


def _not_blank(value: str) -> None:
    if _BLANK.match(value):
        raise ValidationError("Must contain non-whitespace text.")


class StrictBool(fields.Boolean):
    """A JSON true or false, not "yes", 1 or "true"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictSchema(Schema):
    """Unknown fields are errors, never silently dropped."""

    class Meta:
        unknown = RAISE


# ---- requests -------------------------------------------------------------------------------------------------


class ClaimRequest(StrictSchema):
    """A body with a claim: its length limit is the CLAIM_MAX_CHARS setting (openapi.yaml states the default)."""

    claim = fields.String(required=True, validate=[_not_blank])

    def __init__(self, *args: Any, claim_max_chars: int = Settings.claim_max_chars, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim_max_chars = claim_max_chars

    @validates_schema
    def _claim_length(self, data: dict[str, Any], **_: Any) -> None:
        if len(data.get("claim", "")) > self.claim_max_chars:
            raise ValidationError(f"Longer than {self.claim_max_chars} characters.", "claim")


class CompareRequest(ClaimRequest):
    """POST /v1/compare body."""

    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), validate=validate.Length(min=1, max=3))
    outlets = fields.List(fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(min=1, max=50))
    published_after = fields.Date()
    published_before = fields.Date()
    limit = StrictInt(validate=validate.Range(min=1, max=50))
    related_limit = StrictInt(validate=validate.Range(min=0, max=50))
    claim_language = fields.String(validate=validate.OneOf(LANGUAGES))
    include_undated = StrictBool()
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1, max=len(ROLES)))
    include_comments = StrictBool()  # readers' comments on the sides (default: listed apart, under comments)
    strict = StrictBool()  # accepted and ignored: there is one mode (sides only where the model reads a position)


class CompareQuery(StrictSchema):
    """POST /v1/compare query parameters."""

    format = fields.String(validate=validate.OneOf(["json", "claimreview"]))


DOCUMENT_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
PUBLISHED = r"^([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


def _real_date(value: str) -> None:
    from datetime import date

    if not re.match(PUBLISHED, value):
        return  # the pattern validator reports it
    parts = [int(p) for p in value.split("-")]
    if len(parts) < 3:
        return
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as err:
        raise ValidationError("Not a real calendar date.") from err


class DocumentIn(StrictSchema):
    """POST /v1/documents body: an article and what the newsroom knows about it."""

    id = fields.String(validate=validate.Regexp(DOCUMENT_ID))
    text = fields.String(required=True, validate=[validate.Length(min=1, max=1_000_000), _not_blank])
    outlet = fields.String(validate=[validate.Length(min=1, max=200), _not_blank])
    published = fields.String(validate=[validate.Regexp(PUBLISHED), _real_date])
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    url = fields.String(validate=[validate.Length(max=2000), validate.Regexp(r"^https?://[!-~]+$")])
    title = fields.String(validate=[validate.Length(min=1, max=500), _not_blank])


BATCH_MAX_DOCUMENTS = 100


class DocumentBatchIn(StrictSchema):
    """POST /v1/documents:batch body: up to 100 articles, written in order (a later one with the same id replaces an
    earlier one, as two calls would)."""

    documents = fields.List(fields.Nested(DocumentIn), required=True, validate=validate.Length(min=1, max=BATCH_MAX_DOCUMENTS))


class WriteResultSchema(Schema):
    """What an ingest or delete did."""

    id = fields.String()
    status = fields.String()
    version = fields.String(allow_none=True)
    passages = fields.Integer()
    searchable = fields.Boolean()


class BatchWriteResultSchema(Schema):
    """What a batch ingest did: one result per document, in the order sent, and how many of each status."""

    results = fields.List(fields.Nested(WriteResultSchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class StanceRequest(ClaimRequest):
    """POST /v1/stance body: a claim and up to 100 passages to judge against it."""

    passages = fields.List(
        fields.String(validate=[validate.Length(min=1, max=5000), _not_blank]),
        required=True,
        validate=validate.Length(min=1, max=100),
    )
    claim_language = fields.String(validate=validate.OneOf(LANGUAGES))


class StanceResultSchema(Schema):
    index = fields.Integer()
    text = fields.String()
    language = fields.String()
    stance = fields.String()
    confidence = fields.Float()
    on_topic = fields.Boolean()
    attribution = fields.Nested("AttributionSchema", allow_none=True)
    probabilities = fields.Dict(keys=fields.String(), values=fields.Float())


class StanceResponse(Schema):
    claim = fields.String()
    claim_language = fields.String()
    results = fields.List(fields.Nested(StanceResultSchema))
    model = fields.Dict()


class PageQuery(StrictSchema):
    """limit/offset query parameters of list endpoints."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=9_900))
    cursor = fields.String(validate=validate.Length(min=1, max=512))

    @validates_schema
    def _one_way(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("cursor") and data.get("offset"):
            raise ValidationError("Send either cursor or offset, not both.", "cursor")


class EntitySearchQuery(PageQuery):
    """GET /v1/entities query parameters."""

    q = fields.String(required=True, validate=[validate.Length(min=1, max=200), _not_blank])


# ---- responses ------------------------------------------------------------------------------------------------


class ProvenanceSchema(Schema):
    source = fields.String()
    evidence = fields.String()
    precision = fields.String()


def _origin_id(passage: dict[str, Any]) -> str:
    """The id of a passage's origin, from a compare view (origin_id) or a stored passage."""
    return str(passage.get("origin_id") or origin_of(passage))


class PassageSchema(Schema):
    """A quotable passage: text == document.text[start:end]."""

    document_id = fields.String()
    passage_id = fields.String()
    position = fields.Integer()
    text = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    language = fields.String()
    outlet = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    published_precision = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    role = fields.Function(lambda p: p.get("role") or BODY)
    speaker = fields.Function(lambda p: SPEAKER.get(p.get("role") or BODY))
    origin_id = fields.Function(lambda p: _origin_id(p))


class AttributionSchema(Schema):
    who = fields.String(allow_none=True)
    cue = fields.String()


class OriginFirstSchema(Schema):
    passage_id = fields.String()
    document_id = fields.String()
    outlet = fields.String(allow_none=True)
    published = fields.String(allow_none=True)


class OriginSchema(Schema):
    """The passages of other documents that restate this one: one source, however often it is repeated."""

    id = fields.String()
    first = fields.Nested(OriginFirstSchema)
    documents = fields.Integer()
    repeat = fields.Boolean()


class ScoredPassageSchema(PassageSchema):
    """A passage judged against a claim."""

    origin = fields.Nested(OriginSchema)
    score = fields.Float()
    stance = fields.String()
    confidence = fields.Float()
    attribution = fields.Nested(AttributionSchema, allow_none=True)


class RelatedPassageSchema(ScoredPassageSchema):
    """An on-topic passage the model read no position in: which side it leaned to and how far it was from one."""

    leaning = fields.String()
    position_probability = fields.Float()
    to_side = fields.Float()


class SideSummarySchema(Schema):
    """One side in figures (the outlet's own text; reader comments apart)."""

    passages = fields.Integer()
    independent_sources = fields.Integer()
    outlets = fields.List(fields.String())
    languages = fields.List(fields.String())
    earliest = fields.Nested(OriginFirstSchema, allow_none=True)  # the same four fields: a passage, its outlet and date
    one_origin_repeated = fields.Boolean()


class CompareSummarySchema(Schema):
    supporting = fields.Nested(SideSummarySchema)
    contradicting = fields.Nested(SideSummarySchema)


class CompareResponse(Schema):
    claim = fields.String()
    claim_language = fields.String()
    supporting = fields.List(fields.Nested(ScoredPassageSchema))
    contradicting = fields.List(fields.Nested(ScoredPassageSchema))
    related = fields.List(fields.Nested(RelatedPassageSchema))
    comments = fields.List(fields.Nested(RelatedPassageSchema))
    summary = fields.Nested(CompareSummarySchema)
    outlets = fields.Dict(keys=fields.String(), values=fields.Integer())
    independent_sources = fields.Dict(keys=fields.String(), values=fields.Integer())
    filtered_out = fields.Dict(keys=fields.String(), values=fields.Integer())
    method = fields.String()


class DocumentSummarySchema(Schema):
    document_id = fields.String()
    id = fields.String()
    title = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    published_precision = fields.String(allow_none=True)
    language = fields.String()
    url = fields.String(allow_none=True)
    passage_count = fields.Integer()
    provenance = fields.Dict(keys=fields.String(), values=fields.Nested(ProvenanceSchema))


class RelatedDocumentSchema(Schema):
    """A document that repeats statements of another (a copy, a translation, a shared wire story)."""

    id = fields.String()
    outlet = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    shared_statements = fields.Integer()
    share = fields.Float()
    earlier = fields.String(allow_none=True)


class DocumentSchema(DocumentSummarySchema):
    text = fields.String()
    passages = fields.List(fields.Nested(PassageSchema))
    related_documents = fields.List(fields.Nested(RelatedDocumentSchema))


class DocumentPage(Schema):
    documents = fields.List(fields.Nested(DocumentSummarySchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    next_cursor = fields.String(allow_none=True)


class AliasSchema(Schema):
    alias = fields.String()
    documents = fields.List(fields.String())


class EntitySummarySchema(Schema):
    id = fields.String()
    name = fields.String()
    type = fields.String(allow_none=True)
    aliases = fields.List(fields.String())
    mention_count = fields.Integer()
    document_ids = fields.List(fields.String())
    score = fields.Float()


class EntityPage(Schema):
    entities = fields.List(fields.Nested(EntitySummarySchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    next_cursor = fields.String(allow_none=True)


class EntityDocumentSchema(Schema):
    """A document that mentions an entity, with how often."""

    document_id = fields.String()
    title = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    mentions = fields.Integer()


class EntityDetailSchema(Schema):
    id = fields.String()
    name = fields.String()
    type = fields.String(allow_none=True)
    aliases = fields.List(fields.Nested(AliasSchema))
    mention_count = fields.Integer()
    documents = fields.List(fields.Nested(EntityDocumentSchema))
    mentions = fields.List(fields.Nested(PassageSchema))
    mentions_total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    next_cursor = fields.String(allow_none=True)


class DisputesQuery(StrictSchema):
    """GET /v1/entities/{id}/claims query parameters."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class JudgedPassageSchema(PassageSchema):
    """A passage with its stance toward a statement."""

    stance = fields.String()
    confidence = fields.Float()


class StatementSchema(Schema):
    statement = fields.Nested(PassageSchema)
    supporting = fields.List(fields.Nested(JudgedPassageSchema))
    contradicting = fields.List(fields.Nested(JudgedPassageSchema))
    disputed = fields.Boolean()


class EntityClaimsSchema(Schema):
    id = fields.String()
    name = fields.String()
    statements = fields.List(fields.Nested(StatementSchema))
    method = fields.String()


class HealthSchema(Schema):
    status = fields.String()
    app = fields.Dict()
    elasticsearch = fields.Dict()
    index = fields.Dict()


# ---- watched claims -------------------------------------------------------------------------------------------


WEBHOOK_URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$"


class WatchIn(ClaimRequest):
    """POST /v1/watches body."""

    claim_language = fields.String(validate=validate.OneOf(LANGUAGES))
    label = fields.String(validate=[validate.Length(min=1, max=200), _not_blank])
    webhook_url = fields.String(validate=[validate.Length(max=2000), validate.Regexp(WEBHOOK_URL, error="Not an http(s) URL.")])


class WatchPageQuery(StrictSchema):
    """GET /v1/watches query parameters."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(validate=validate.Length(min=1, max=512))


class MatchesQuery(StrictSchema):
    """GET /v1/watches/{id}/matches query parameters."""

    since = fields.String(validate=validate.Length(min=1, max=512))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class BackfillSchema(Schema):
    status = fields.String()
    done = fields.Integer()
    total = fields.Integer(allow_none=True)
    matches = fields.Integer()
    updated = fields.String()
    error = fields.String(allow_none=True)


class DeliverySchema(Schema):
    delivered = fields.Integer()
    last_error = fields.String(allow_none=True)
    attempts = fields.Integer()
    next_retry = fields.String(allow_none=True)


class MatchSchema(Schema):
    """A passage that takes a side on a watched claim, found when it was written or by the watch's backfill."""

    match_id = fields.String()
    watch_id = fields.String()
    found = fields.String()
    stance = fields.String()
    confidence = fields.Float()
    score = fields.Float()
    repeat = fields.Boolean()
    via = fields.String()
    origin_id = fields.String()
    passage = fields.Nested(PassageSchema)


class WatchSchema(Schema):
    id = fields.String()
    watch_id = fields.String()
    claim = fields.String()
    claim_language = fields.String()
    label = fields.String(allow_none=True)
    webhook_url = fields.String(allow_none=True)
    created = fields.String()
    backfill = fields.Nested(BackfillSchema)
    delivery = fields.Nested(DeliverySchema, allow_none=True)


class WatchCreatedSchema(WatchSchema):
    secret = fields.String()


class WatchDetailSchema(WatchSchema):
    matches = fields.Dict(keys=fields.String(), values=fields.Integer())
    newest_contradicting = fields.Nested(MatchSchema, allow_none=True)


class WatchPage(Schema):
    watches = fields.List(fields.Nested(WatchSchema))
    total = fields.Integer()
    next_cursor = fields.String(allow_none=True)


class MatchPage(Schema):
    watch_id = fields.String()
    matches = fields.List(fields.Nested(MatchSchema))
    next_cursor = fields.String(allow_none=True)
