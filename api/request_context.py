"""X-Request-ID (taken from the client when well-formed, made otherwise), echoed and logged with one access line."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access = logging.getLogger("api.access")


def request_id() -> str:
    """The id of the request being served."""
    return str(g.get("request_id") or "")


def _start() -> None:
    presented = request.headers.get(HEADER, "")
    g.request_id = presented if _VALID.match(presented) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    if not g.get("request_id"):  # answered before _start ran (e.g. by the rate limiter)
        _start()
    response.headers[HEADER] = request_id()
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    access.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed_ms, 1),
            "bytes": response.calculate_content_length(),
            "remote_addr": request.remote_addr,
        },
    )
    return response


def register(app: Flask) -> None:
    """Give every request an id and log it when it is answered."""
    app.before_request(_start)
    app.after_request(_finish)
