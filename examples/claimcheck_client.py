"""A small client for the claim-comparison API: copy this file into your newsroom tool (needs `requests`).

    client = ClaimcheckClient("http://127.0.0.1:8000", token=os.environ.get("CLAIMCHECK_TOKEN"))
    result = client.compare("The US flew ISIS fighters from Raqqa to Deir ez-Zor", languages=["nb", "sv", "en"])
    for passage in result["contradicting"]:
        print(passage["outlet"], passage["published"], passage["text"])

What it does for you: a bearer token on every call, an X-Request-ID per call (quote it when you report a problem),
problem+json errors raised as ClaimcheckError with the offending fields, retries on 429/503 after Retry-After,
cursor pagination as a plain iterator, and GET revalidation with ETag (a 304 reuses the copy it already has).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import requests


class ClaimcheckError(Exception):
    """An RFC 9457 problem the API answered with."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.fields = [e["field"] for e in problem.get("errors", [])]
        detail = problem.get("detail") or problem.get("title") or "error"
        super().__init__(f"{status} {detail} (request {problem.get('request_id', '?')})")


class ClaimcheckClient:
    """Calls the API over HTTP; one instance per base URL, safe to reuse."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0, retries: int = 3) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self._etags: dict[str, tuple[str, Any]] = {}
        self.last_request_id: str | None = None
        self.not_modified = 0  # GETs answered 304 from the copy held here

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call with a fresh X-Request-ID, retried after Retry-After on 429 and 503."""
        headers = {"X-Request-ID": uuid.uuid4().hex, **kwargs.pop("headers", {})}
        self.last_request_id = headers["X-Request-ID"]
        for attempt in range(self.retries + 1):
            resp = self.session.request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs)
            if resp.status_code in (429, 503) and attempt < self.retries:
                time.sleep(min(float(resp.headers.get("Retry-After", "1")), 30.0))
                continue
            if resp.status_code >= 400:
                try:
                    problem = resp.json()
                except ValueError:
                    problem = {"title": resp.reason}
                raise ClaimcheckError(resp.status_code, problem)
            return resp
        raise AssertionError("unreachable")

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """A GET that revalidates the copy it holds with If-None-Match."""
        key = requests.Request("GET", self.base_url + path, params=params).prepare().url or path
        cached = self._etags.get(key)
        headers = {"If-None-Match": cached[0]} if cached else {}
        resp = self._call("GET", path, params=params, headers=headers)
        if resp.status_code == 304 and cached:
            self.not_modified += 1
            return cached[1]
        body = resp.json()
        if resp.headers.get("ETag"):
            self._etags[key] = (resp.headers["ETag"], body)
        return body

    def compare(self, claim: str, **filters: Any) -> dict[str, Any]:
        """Passages that take a position (supporting, contradicting) and on-topic ones that take none (related);
        filters: languages, outlets, published_after/before, include_undated, claim_language, limit (per side),
        related_limit, include_comments (readers' comments on the sides instead of apart, under comments). The
        answer's filtered_out says how many documents the filters removed; each passage has its role and origin
        (repeats of one statement share it); summary gives each side in figures (independent sources, outlets,
        languages, the earliest dated report, whether one source is repeated); related passages come nearest to
        taking a position first, with the side they leaned to."""
        return dict(self._call("POST", "/v1/compare", json={"claim": claim, **filters}).json())

    def claim_review(self, claim: str, **filters: Any) -> dict[str, Any]:
        """The same evidence as schema.org ClaimReview JSON-LD."""
        resp = self._call("POST", "/v1/compare", params={"format": "claimreview"}, json={"claim": claim, **filters})
        return dict(resp.json())

    def stance(self, claim: str, passages: list[str], claim_language: str | None = None) -> list[dict[str, Any]]:
        """Stance of texts you have not indexed (a draft, a wire story) toward a claim."""
        body: dict[str, Any] = {"claim": claim, "passages": passages}
        if claim_language:
            body["claim_language"] = claim_language
        return list(self._call("POST", "/v1/stance", json=body).json()["results"])

    def watch(self, claim: str, label: str | None = None, webhook_url: str | None = None) -> dict[str, Any]:
        """Watch a claim (needs a token): every article written from now on is matched against it, and the archive
        is backfilled. With a webhook_url, keep the returned `secret`: it signs each delivery."""
        body: dict[str, Any] = {"claim": claim} | ({"label": label} if label else {})
        if webhook_url:
            body["webhook_url"] = webhook_url
        return dict(self._call("POST", "/v1/watches", json=body).json())

    def matches(self, watch_id: str, since: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """A watch's new matches since a cursor, in the order found, and the cursor to poll with next time (keep
        it: polling with it never misses or repeats a match)."""
        params = {"since": since} if since else {}
        page = self._get(f"/v1/watches/{watch_id}/matches", params)
        return list(page["matches"]), page.get("next_cursor")

    @staticmethod
    def verify_webhook(secret: str, body: bytes, signature_header: str) -> bool:
        """Whether a webhook delivery was signed with the watch's secret (X-Claimcheck-Signature)."""
        import hashlib
        import hmac

        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature_header)

    def entities(self, name: str, limit: int = 10) -> list[dict[str, Any]]:
        """Entities matching a name in any spelling."""
        return list(self._get("/v1/entities", {"q": name, "limit": limit})["entities"])

    def documents(self, page_size: int = 50) -> Iterator[dict[str, Any]]:
        """Every document in the archive, following next_cursor page by page."""
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page_size} | ({"cursor": cursor} if cursor else {})
            page = self._get("/v1/documents", params)
            yield from page["documents"]
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def document(self, document_id: str) -> dict[str, Any]:
        """One document with its text and passages (revalidated with its ETag on later calls)."""
        return dict(self._get(f"/v1/documents/{document_id}"))

    def ingest(self, text: str, **metadata: Any) -> dict[str, Any]:
        """Add or replace an article (needs a token); searchable when this returns."""
        return dict(self._call("POST", "/v1/documents", json={"text": text, **metadata}).json())


if __name__ == "__main__":
    import os
    import sys

    api = ClaimcheckClient(os.environ.get("CLAIMCHECK_URL", "http://127.0.0.1:8000"), os.environ.get("CLAIMCHECK_TOKEN"))
    claim = " ".join(sys.argv[1:]) or "The US flew ISIS fighters from Raqqa to Deir ez-Zor"
    result = api.compare(claim)
    print(f"claim ({result['claim_language']}): {claim}")
    for side in ("supporting", "contradicting", "related", "comments"):
        summary = result["summary"].get(side) if side in result["summary"] else None
        if summary:
            first = summary["earliest"] or {}
            print(
                f"\n{side}: {summary['passages']} passage(s), {summary['independent_sources']} independent source(s)"
                f" ({', '.join(summary['outlets']) or 'no named outlet'}); first: {first.get('outlet') or '-'}"
                f" {first.get('published') or ''}{'; one source repeated' if summary['one_origin_repeated'] else ''}"
            )
        else:
            print(f"\n{side}: {len(result[side])} passage(s)")
        for p in result[side]:
            share = f"{p['confidence']:.0%}" if p["stance"] != "neither" else f"~{p['leaning'][:4]}"
            print(f"  {share}  {p['outlet'] or '-'}  {p['published'] or '-'}  [{p['language']}]  {p['text']}")
