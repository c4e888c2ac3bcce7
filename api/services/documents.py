"""Ingest and delete documents: validated input to a Document, then the index writer."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from api.cursor import page
from index.repository import Archive
from index.sources import origin_of
from index.writer import WriteResult
from text.documents import Document, build_document
from text.metadata import FieldValue

_GIVEN = "supplied by the client at ingest"


def list_page(archive: Archive, limit: int, offset: int, cursor: str | None = None) -> dict[str, Any]:
    """A page of documents by id, without their text, and the cursor of the next page."""
    docs, total, next_cursor = page(archive.list_documents, "documents", "", limit, offset, cursor)
    for d in docs:
        d["id"] = d["document_id"]
    return {"documents": docs, "total": total, "limit": limit, "offset": offset, "next_cursor": next_cursor}


def detail(archive: Archive, document_id: str) -> dict[str, Any]:
    """One document with its passages, and the documents it shares origins with: for each, how many of this
    document's statements (origins) the other also carries, their share, and which of the two is dated earlier."""
    doc = archive.get_document(document_id)
    doc["id"] = doc["document_id"]
    passages = doc["passages"]
    own = {origin_of(p) for p in passages}
    related = []
    for other in archive.documents_sharing(document_id, sorted(own)):
        earlier = None
        if doc.get("published") and other["published"]:
            mine, theirs = str(doc["published"]), str(other["published"])
            common = min(len(mine), len(theirs))  # compare at the precision both have
            earlier = "this" if mine[:common] < theirs[:common] else "other" if theirs[:common] < mine[:common] else None
        related.append(
            {
                "id": other["document_id"],
                "outlet": other["outlet"],
                "published": other["published"],
                "shared_statements": other["shared"],
                "share": round(other["shared"] / len(own), 4) if own else 0.0,
                "earlier": earlier,
            }
        )
    doc["related_documents"] = sorted(related, key=lambda r: (-r["share"], r["id"]))
    return doc


def derived_id(text: str) -> str:
    """The id of a document sent without one: the same text always gets the same id."""
    return "doc-" + hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode()).hexdigest()[:16]


def to_document(body: dict[str, Any]) -> Document:
    """A Document from a validated ingest body; given metadata wins over what the text states."""
    given = {}
    for name in ("outlet", "title", "url"):
        if body.get(name):
            given[name] = FieldValue(body[name].strip(), "given", _GIVEN)
    if body.get("published"):
        precision = {4: "year", 7: "month", 10: "day"}[len(body["published"])]
        given["published"] = FieldValue(body["published"], "given", _GIVEN, precision)
    return build_document(body.get("id") or derived_id(body["text"]), body["text"], given=given, language=body.get("language"))


def ingest(archive: Archive, body: dict[str, Any]) -> WriteResult:
    """Create, replace or confirm one document."""
    return archive.writer.upsert(to_document(body))


def ingest_batch(archive: Archive, bodies: list[dict[str, Any]]) -> list[WriteResult]:
    """Create, replace or confirm several documents in order; their passages are embedded together."""
    return list(archive.writer.upsert_many([to_document(b) for b in bodies]))


def remove(archive: Archive, document_id: str) -> WriteResult:
    """Delete one document."""
    return archive.writer.delete(document_id)
