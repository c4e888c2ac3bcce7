"""POST /v1/stance."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from api.limits import compare_limit, limiter, model_slot
from api.routes.common import json_object, settings
from api.schemas import StanceRequest, StanceResponse
from api.services.stance import judge_passages

bp = Blueprint("stance", __name__)


@bp.post("/v1/stance")
@limiter.limit(compare_limit)
def judge() -> ResponseReturnValue:
    """Stance of each given passage toward a claim, without indexing anything."""
    body = json_object()
    req = StanceRequest(claim_max_chars=settings().claim_max_chars).load(body)
    with model_slot():
        return StanceResponse().dump(judge_passages(req["claim"], req["passages"], req.get("claim_language")))
