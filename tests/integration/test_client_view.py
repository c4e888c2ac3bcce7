"""What a client relies on: cursor pages, ETag revalidation, X-Request-ID, and JSON logs."""

from __future__ import annotations

import json
import logging

import pytest

from api import logs

pytestmark = pytest.mark.integration


def _walk(client, url: str, key: str, limit: int) -> tuple[list[str], int]:
    """Follow next_cursor from the first page to the last; (ids in order, pages)."""
    ids: list[str] = []
    pages = 0
    cursor = None
    while True:
        sep = "&" if "?" in url else "?"
        page = client.get(f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")).get_json()
        pages += 1
        ids += [item.get("passage_id") or item.get("id") for item in page[key]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids, pages
        assert pages < 200, "cursor pagination does not end"


def test_document_cursor_pages_cover_the_list_once_in_order(client):
    everything = client.get("/v1/documents?limit=100").get_json()
    assert everything["next_cursor"] is None
    ids, pages = _walk(client, "/v1/documents", "documents", 2)
    assert ids == [d["id"] for d in everything["documents"]]
    assert pages == -(-everything["total"] // 2)


def test_entity_search_and_mentions_page_by_cursor(client):
    q = client.get("/v1/entities?q=syria&limit=100").get_json()
    ids, _ = _walk(client, "/v1/entities?q=syria", "entities", 3)
    assert ids == [e["id"] for e in q["entities"]] and len(ids) == min(q["total"], 100)
    top = max(q["entities"], key=lambda e: e["mention_count"])
    detail = client.get(f"/v1/entities/{top['id']}?limit=100").get_json()
    mentions, pages = _walk(client, f"/v1/entities/{top['id']}", "mentions", 4)
    assert mentions == [m["passage_id"] for m in detail["mentions"]] and len(set(mentions)) == len(mentions)
    assert pages > 1


def test_a_cursor_from_another_list_or_with_offset_is_refused(client):
    cursor = client.get("/v1/documents?limit=1").get_json()["next_cursor"]
    assert cursor
    for url in (f"/v1/entities?q=syria&cursor={cursor}", f"/v1/documents?cursor={cursor}&offset=2", "/v1/documents?cursor=%%%"):
        resp = client.get(url)
        assert resp.status_code == 422 and resp.mimetype == "application/problem+json", url
        assert "cursor" in {e["field"] for e in resp.get_json()["errors"]}


def test_get_answers_304_to_its_own_etag(client):
    first = client.get("/v1/documents?limit=3")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/v1/documents?limit=3", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/v1/documents?limit=2", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_request_id_is_echoed_or_made(client):
    mine = client.get("/v1/health", headers={"X-Request-ID": "desk-42.a"})
    assert mine.headers["X-Request-ID"] == "desk-42.a"
    made = client.get("/v1/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert made.headers["X-Request-ID"] not in ("", "bad id\twith spaces") and len(made.headers["X-Request-ID"]) == 32
    problem = client.post("/v1/compare", json={}, headers={"X-Request-ID": "trace-7"})
    assert problem.status_code == 422 and problem.get_json()["request_id"] == "trace-7"


def test_access_log_line_is_json_with_the_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.get("/v1/documents?limit=1", headers={"X-Request-ID": "log-check-1"})
    records = [r for r in caplog.records if r.name == "api.access" and getattr(r, "request_id", None) == "log-check-1"]
    assert len(records) == 1
    line = json.loads(logs.formatter().format(records[0]))
    assert line["request_id"] == "log-check-1" and line["status"] == 200 and line["path"] == "/v1/documents"
    assert line["level"] == "INFO" and line["logger"] == "api.access" and line["duration_ms"] >= 0
