"""GET /v1/entities and /v1/entities/{id}."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from api.routes.common import archive, query_args
from api.schemas import EntityDetailSchema, EntityPage, EntitySearchQuery, PageQuery
from api.services import entities

bp = Blueprint("entities", __name__)


@bp.get("/v1/entities")
def search_entities() -> ResponseReturnValue:
    """Entities matching a name in any spelling."""
    args = EntitySearchQuery().load(query_args())
    return EntityPage().dump(entities.search(archive(), args["q"], args["limit"], args["offset"]))


@bp.get("/v1/entities/<path:entity_id>")
def get_entity(entity_id: str) -> ResponseReturnValue:
    """An entity, its aliases and the passages that mention it."""
    page = PageQuery().load(query_args())
    return EntityDetailSchema().dump(entities.detail(archive(), entity_id, page["limit"], page["offset"]))
