"""One error shape for the whole API: RFC 9457 problem details as application/problem+json."""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, TransportError
from flask import Flask, Response, current_app, g, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from api.limits import ModelBusy
from index.errors import IndexNotReady, NotFound, SearchFailed

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    if g.get("request_id"):
        body["request_id"] = g.request_id
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    return response


def _flatten(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Marshmallow's nested messages as a flat list of {field, message}."""
    out: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out.extend({"field": prefix or "body", "message": m} for m in messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.extend(_flatten(value, f"{prefix}[{i}]"))
    else:
        out.append({"field": prefix or "body", "message": str(messages)})
    return out


def _validation(err: ValidationError) -> Response:
    errors = _flatten(err.messages)
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return problem(422, "Unprocessable Content", f"Invalid input in: {fields}", errors=errors)


class InvalidBody(HTTPException):
    """A request body that cannot be read as UTF-8 JSON text (400, naming the body)."""

    code = 400


def _http(err: HTTPException) -> Response:
    status = err.code or 500
    detail = err.description if status != 500 else None
    extra = {"errors": [{"field": "body", "message": detail or ""}]} if isinstance(err, InvalidBody) else {}
    response = problem(status, err.name, detail, **extra)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="claimcheck"'
    if status == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(current_app.config["SETTINGS"].retry_after_seconds)
    if status == 405 and err.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(err.valid_methods)  # type: ignore[attr-defined]
    return response


def _retry_later(detail: str) -> Response:
    """503 with the configured Retry-After."""
    response = problem(503, "Service Unavailable", detail)
    response.headers["Retry-After"] = str(current_app.config["SETTINGS"].retry_after_seconds)
    return response


def _unavailable(err: Exception) -> Response:
    log.warning("elasticsearch unavailable: %s", type(err).__name__)
    return _retry_later("The search backend is unreachable; retry shortly.")


def _busy(err: ModelBusy) -> Response:
    log.warning("stance model queue full: compare refused")
    return _retry_later("The stance model is busy with other claims; retry shortly.")


def _not_ready(err: IndexNotReady) -> Response:
    return _retry_later("The archive has not been indexed yet.")


def _api_error(err: ApiError) -> Response:
    if err.meta.status >= 500 or err.meta.status == 429:
        return _unavailable(err)
    log.error("elasticsearch rejected a request: %s", err)
    return problem(500, "Internal Server Error", "The request could not be completed.")


def _search_failed(err: SearchFailed) -> Response:
    if err.status >= 500 or err.status == 429:
        return _unavailable(err)
    log.error("elasticsearch rejected a search: %s", err)
    return problem(500, "Internal Server Error", "The request could not be completed.")


def _unexpected(err: Exception) -> Response:
    log.exception("unhandled error")
    return problem(500, "Internal Server Error", "The request could not be completed.")


def register(app: Flask) -> None:
    """Install the handlers: validation, HTTP, backend outages, missing resources, anything else."""
    app.register_error_handler(ValidationError, _validation)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(NotFound, lambda err: problem(404, "Not Found", f"No resource with id {err}."))
    app.register_error_handler(IndexNotReady, _not_ready)
    app.register_error_handler(ModelBusy, _busy)
    for exc in (ConnectionError, ConnectionTimeout, TransportError):
        app.register_error_handler(exc, _unavailable)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(SearchFailed, _search_failed)
    app.register_error_handler(Exception, _unexpected)
