"""ETag and Cache-Control on successful GETs; If-None-Match answers 304."""

from __future__ import annotations

from flask import Flask, Response, request

# The archive changes whenever a document is ingested: clients may keep a copy but must revalidate it.
API_CACHE_CONTROL = "no-cache"


def _conditional(response: Response) -> Response:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.direct_passthrough:
        return response
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = API_CACHE_CONTROL
    if request.path.startswith("/v1/"):
        response.vary.add("Authorization")
    if not response.get_etag()[0]:
        response.add_etag()
    response.make_conditional(request)  # turns itself into a 304 when If-None-Match matches
    return response


def register(app: Flask) -> None:
    """Add validators to every successful GET."""
    app.after_request(_conditional)
