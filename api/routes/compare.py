"""POST /v1/compare, as JSON or as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from api.claimreview import claim_review
from api.limits import compare_limit, limiter, model_slot
from api.routes.common import json_object, query_args, settings
from api.schemas import CompareQuery, CompareRequest, CompareResponse
from api.services.archive import current as archive
from api.services.compare import compare
from api.services.compare_cache import answer, worker_cache
from api.services.stages import Stages

bp = Blueprint("compare", __name__)
JSON_LD = "application/ld+json"


def _wants_claimreview(fmt: str | None) -> bool:
    """format=claimreview, or an Accept header that prefers JSON-LD to plain JSON."""
    if fmt:
        return fmt == "claimreview"
    return request.accept_mimetypes.best_match(["application/json", JSON_LD]) == JSON_LD


@bp.post("/v1/compare")
@limiter.limit(compare_limit)
def compare_claim() -> ResponseReturnValue:
    """Passages that support and contradict a claim."""
    fmt = CompareQuery().load(query_args()).get("format")
    body = json_object()
    req = CompareRequest(claim_max_chars=settings().claim_max_chars).load(body)
    stage = Stages()

    def fresh() -> dict[str, Any]:
        with model_slot():
            return dict(CompareResponse().dump(compare(archive(), settings(), req, stage)))

    reuse = "no-cache" not in request.headers.get("Cache-Control", "").lower()  # ask for a fresh answer
    result = answer(worker_cache(settings().compare_cache_bytes), archive(), settings(), req, stage, fresh, reuse)
    timing = {"Server-Timing": stage.header()}
    if _wants_claimreview(fmt):
        return claim_review(result, settings().claimreview_author), 200, {"Content-Type": JSON_LD} | timing
    return result, 200, timing
