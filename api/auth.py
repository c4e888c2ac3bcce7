"""Bearer-token access: writes always need a token from API_TOKENS, reads only when configured so."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request
from werkzeug.exceptions import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])


def _presented() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _valid(token: str, tokens: list[str]) -> bool:
    """Constant-time comparison against every configured token (no early exit)."""
    ok = False
    for candidate in tokens:
        ok |= hmac.compare_digest(token.encode(), candidate.encode())
    return ok


def check(write: bool) -> None:
    """Raise 401/403 unless the request may proceed."""
    settings = current_app.config["SETTINGS"]
    if not write and not settings.reads_require_token:
        return
    if not settings.tokens:
        raise Forbidden("Writes are disabled: the server has no API_TOKENS configured.")
    token = _presented()
    if token is None or not _valid(token, settings.tokens):
        raise Unauthorized("Send a valid token as 'Authorization: Bearer <token>'.")


def client_key() -> str:
    """Rate-limit key: a hash of the bearer token when one is sent, otherwise the client address."""
    token = _presented()
    if token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    return "addr:" + (request.remote_addr or "unknown")


def write_access(view: F) -> F:
    """Require a write token for this view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        check(write=True)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
