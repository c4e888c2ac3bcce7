"""GET /v1/entities and /v1/entities/{id}."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from api.routes.common import query_args
from api.schemas import DisputesQuery, EntityClaimsSchema, EntityDetailSchema, EntityPage, EntitySearchQuery, PageQuery
from api.services import entities
from api.services.archive import current as archive
from api.services.disputes import disputes

bp = Blueprint("entities", __name__)


@bp.get("/v1/entities")
def search_entities() -> ResponseReturnValue:
    """Entities matching a name in any spelling."""
    args = EntitySearchQuery().load(query_args())
    return EntityPage().dump(entities.search(archive(), args["q"], args["limit"], args["offset"], args.get("cursor")))


@bp.get("/v1/entities/<entity_id>")
def get_entity(entity_id: str) -> ResponseReturnValue:
    """An entity, its aliases and the passages that mention it."""
    page = PageQuery().load(query_args())
    return EntityDetailSchema().dump(entities.detail(archive(), entity_id, page["limit"], page["offset"], page.get("cursor")))


@bp.get("/v1/entities/<entity_id>/claims")
def get_entity_claims(entity_id: str) -> ResponseReturnValue:
    """Statements about the entity on which sources support or contradict each other."""
    args = DisputesQuery().load(query_args())
    return EntityClaimsSchema().dump(disputes(archive(), entity_id, args["limit"]))
