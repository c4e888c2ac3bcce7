"""The app's and the archive's health, as GET /v1/health reports it."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError, TransportError

from index.repository import Archive


def check(archive: Archive, version: str) -> tuple[dict[str, Any], bool]:
    """The health body and whether Elasticsearch answered at all."""
    app_info = {"status": "ok", "version": version}
    try:
        info = archive.cluster_info()
    except (TransportError, ApiError) as err:
        down = {"status": "unreachable", "error": type(err).__name__}
        return {"status": "unavailable", "app": app_info, "elasticsearch": down, "index": {}}, False
    ready = info["counts"].get("passages") is not None
    return {
        "status": "ok" if ready else "degraded",
        "app": app_info,
        "elasticsearch": {"status": info["status"], "version": info["version"]},
        "index": {"prefix": archive.names.prefix, "ready": ready} | info["counts"],
    }, True
