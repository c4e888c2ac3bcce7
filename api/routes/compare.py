"""POST /v1/compare."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from api.limits import compare_limit, limiter
from api.routes.common import archive, json_object, settings
from api.schemas import CompareRequest, CompareResponse
from api.services.compare import compare

bp = Blueprint("compare", __name__)


@bp.post("/v1/compare")
@limiter.limit(compare_limit)
def compare_claim() -> ResponseReturnValue:
    """Passages that support and contradict a claim."""
    body = json_object()
    req = CompareRequest(claim_max_chars=settings().claim_max_chars).load(body)
    return CompareResponse().dump(compare(archive(), settings(), req))
