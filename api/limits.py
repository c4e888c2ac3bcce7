"""Per-client rate limits (Flask-Limiter), configured from the environment."""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter

from api.auth import client_key

limiter = Limiter(key_func=client_key, headers_enabled=True, default_limits=[])


def compare_limit() -> str:
    """The configured limit on compare requests per client (COMPARE_RATE_LIMIT)."""
    return str(current_app.config["SETTINGS"].compare_rate_limit)
