"""GET /v1/health and the served OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from elasticsearch import ApiError, TransportError
from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue

from api.routes.common import archive
from api.schemas import HealthSchema

bp = Blueprint("health", __name__)
_SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


@bp.get("/v1/health")
def health() -> ResponseReturnValue:
    """App and Elasticsearch status, Elasticsearch version and index size; 503 when the backend is down."""
    app_info = {"status": "ok", "version": current_app.config["VERSION"]}
    try:
        info = archive().cluster_info()
    except (TransportError, ApiError) as err:
        body = {
            "status": "unavailable",
            "app": app_info,
            "elasticsearch": {"status": "unreachable", "error": type(err).__name__},
            "index": {},
        }
        return HealthSchema().dump(body), 503, {"Retry-After": "5"}
    ready = info["counts"].get("passages") is not None
    body = {
        "status": "ok" if ready else "degraded",
        "app": app_info,
        "elasticsearch": {"status": info["status"], "version": info["version"]},
        "index": {"prefix": archive().names.prefix, "ready": ready} | info["counts"],
    }
    return HealthSchema().dump(body), 200


@bp.get("/openapi.yaml")
def openapi() -> Response:
    """The API contract this server implements."""
    return Response(_SPEC.read_text(encoding="utf-8"), mimetype="application/yaml")
