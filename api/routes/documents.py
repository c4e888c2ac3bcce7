"""GET /v1/documents and /v1/documents/{id}."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from api.routes.common import archive, query_args
from api.schemas import DocumentPage, DocumentSchema, PageQuery

bp = Blueprint("documents", __name__)


@bp.get("/v1/documents")
def list_documents() -> ResponseReturnValue:
    """A page of documents with their metadata and its provenance."""
    page = PageQuery().load(query_args())
    docs, total = archive().list_documents(page["limit"], page["offset"])
    for d in docs:
        d["id"] = d["document_id"]
    return DocumentPage().dump({"documents": docs, "total": total, **page})


@bp.get("/v1/documents/<path:document_id>")
def get_document(document_id: str) -> ResponseReturnValue:
    """One document with its text and passages."""
    doc = archive().get_document(document_id)
    doc["id"] = doc["document_id"]
    return DocumentSchema().dump(doc)
