"""Structured JSON logs (python-json-logger) with the request id on every record."""

from __future__ import annotations

import logging
from typing import Any

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
QUIET = logging.WARNING  # the Elasticsearch client logs every call at INFO; the access line already times requests


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to records logged while a request is being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def formatter() -> JsonFormatter:
    """One JSON object per line: time, level, logger, message and any extra fields."""
    return JsonFormatter(
        FIELDS, rename_fields={"levelname": "level", "asctime": "time", "name": "logger"}, datefmt="%Y-%m-%dT%H:%M:%S%z"
    )


def configure(level: str = "INFO") -> None:
    """JSON to stderr on the root logger unless something (gunicorn's logconfig_dict) configured it already."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(formatter())
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("elastic_transport").setLevel(QUIET)


def gunicorn_config(level: str = "INFO") -> dict[str, Any]:
    """A logging.dictConfig for gunicorn: its own logs and the app's, JSON on stderr."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"], "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "api.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "api.logs.formatter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            # the app writes one richer access line per request (api.access, with the request id)
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            "elastic_transport": {"level": QUIET},
        },
    }
