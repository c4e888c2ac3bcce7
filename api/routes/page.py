"""GET /: a small page to try the API in a browser, with its script and stylesheet."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

bp = Blueprint("page", __name__)
_STATIC = Path(__file__).resolve().parents[1] / "static"
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _send(name: str, cache_control: str) -> Response:
    """One file from api/static, with conditional-request support and the given Cache-Control."""
    response = send_from_directory(_STATIC, name, max_age=None)
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/")
def index() -> Response:
    """The page; always revalidated (ETag) so a deploy shows at once."""
    response = _send("index.html", "no-cache")
    response.mimetype = "text/html"
    response.headers["Content-Security-Policy"] = _CSP
    return response


@bp.get("/static/app.js", defaults={"name": "app.js"})
@bp.get("/static/style.css", defaults={"name": "style.css"})
def asset(name: str) -> Response:
    """The page's script or stylesheet; cached briefly, then revalidated."""
    return _send(name, "public, max-age=300")
