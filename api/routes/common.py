"""Helpers every blueprint uses: the archive, settings and body parsing."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from api.config import Settings
from index.repository import Archive


def archive() -> Archive:
    """The archive bound to this app's Elasticsearch client."""
    return current_app.extensions["archive"]


def settings() -> Settings:
    """This app's settings."""
    return current_app.config["SETTINGS"]


def json_body() -> Any:
    """The parsed JSON body, with clear errors for a wrong media type or malformed JSON."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        return request.get_json(force=True)
    except BadRequest as err:
        raise BadRequest("The body is not valid JSON.") from err


def json_object() -> dict[str, Any]:
    """The JSON body, which must be an object (422 naming `body` otherwise)."""
    body = json_body()
    if not isinstance(body, dict):
        raise ValidationError({"body": ["Must be a JSON object."]})
    return body


def query_args() -> dict[str, str]:
    """Query parameters as a plain dict (the last value wins for repeated keys)."""
    return request.args.to_dict()
