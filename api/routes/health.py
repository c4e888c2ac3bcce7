"""GET /v1/health and the served OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue

from api.routes.common import settings
from api.schemas import HealthSchema
from api.services.archive import current as archive
from api.services.health import check

bp = Blueprint("health", __name__)
_SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@bp.get("/v1/health")
def health() -> ResponseReturnValue:
    """App and Elasticsearch status, Elasticsearch version and index size; 503 when the backend is down."""
    body, reachable = check(archive(), current_app.config["VERSION"])
    if not reachable:
        return HealthSchema().dump(body), 503, {"Retry-After": str(settings().retry_after_seconds)}
    return HealthSchema().dump(body), 200


@bp.get("/openapi.yaml")
def openapi() -> Response:
    """The API contract this server implements."""
    return Response(_SPEC.read_text(encoding="utf-8"), mimetype="application/yaml")
