"""Helpers every blueprint uses: settings, body and query parsing."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from api.config import Settings
from api.errors import InvalidBody


def settings() -> Settings:
    """This app's settings."""
    return current_app.config["SETTINGS"]


def _has_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a lone surrogate anywhere (not a Unicode character: it cannot be stored)."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def json_body() -> Any:
    """The parsed JSON body, with clear errors for a wrong media type, bytes that are not UTF-8, malformed JSON,
    or text holding lone surrogates (as raw bytes or as \\u escapes)."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidBody(f"The body is not valid UTF-8 (byte {err.start}).") from err
    try:
        body = request.get_json(force=True)
    except BadRequest as err:
        raise InvalidBody("The body is not valid JSON.") from err
    if _has_surrogate(body):
        raise InvalidBody("The body holds a lone surrogate (\\ud800-\\udfff), which is not a Unicode character.")
    return body


def json_object() -> dict[str, Any]:
    """The JSON body, which must be an object (422 naming `body` otherwise)."""
    body = json_body()
    if not isinstance(body, dict):
        raise ValidationError({"body": ["Must be a JSON object."]})
    return body


def query_args() -> dict[str, str]:
    """Query parameters as a plain dict (the last value wins for repeated keys)."""
    return request.args.to_dict()
