"""GET /v1/documents and /v1/documents/{id}."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue

from api.auth import write_access
from api.routes.common import json_object, query_args, settings
from api.schemas import (
    BatchWriteResultSchema,
    DocumentBatchIn,
    DocumentIn,
    DocumentPage,
    DocumentSchema,
    PageQuery,
    WriteResultSchema,
)
from api.services import documents
from api.services.archive import current as archive

bp = Blueprint("documents", __name__)


@bp.get("/v1/documents")
def list_documents() -> ResponseReturnValue:
    """A page of documents with their metadata and its provenance."""
    page = PageQuery().load(query_args())
    return DocumentPage().dump(documents.list_page(archive(), page["limit"], page["offset"], page.get("cursor")))


@bp.get("/v1/documents/<path:document_id>")
def get_document(document_id: str) -> ResponseReturnValue:
    """One document with its text and passages."""
    return DocumentSchema().dump(documents.detail(archive(), document_id))


@bp.post("/v1/documents")
@write_access
def create_document() -> ResponseReturnValue:
    """Ingest one article; searchable when this returns. 201 when new, 200 when replaced or unchanged."""
    request.max_content_length = settings().max_document_bytes
    body = json_object()
    result = documents.ingest(archive(), DocumentIn().load(body))
    payload = WriteResultSchema().dump(_written(result))
    status = 201 if result.status == "created" else 200
    return payload, status, {"Location": url_for("documents.get_document", document_id=result.document_id)}


def _written(result: documents.WriteResult) -> dict[str, object]:
    return {
        "id": result.document_id,
        "status": result.status,
        "version": result.version,
        "passages": result.passages,
        "searchable": True,
    }


@bp.post("/v1/documents:batch")
@write_access
def create_documents() -> ResponseReturnValue:
    """Ingest up to 100 articles in order, each as POST /v1/documents would, their passages embedded together;
    every one searchable when this returns. A batch is validated whole before anything is written."""
    request.max_content_length = settings().max_batch_bytes
    body = DocumentBatchIn().load(json_object())
    results = documents.ingest_batch(archive(), body["documents"])
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return BatchWriteResultSchema().dump({"results": [_written(r) for r in results], "counts": counts})


@bp.delete("/v1/documents/<path:document_id>")
@write_access
def delete_document(document_id: str) -> ResponseReturnValue:
    """Delete one article and its passages."""
    result = documents.remove(archive(), document_id)
    return WriteResultSchema().dump(
        {"id": result.document_id, "status": result.status, "version": None, "passages": result.passages, "searchable": False}
    )
