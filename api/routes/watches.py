"""Watched claims: /v1/watches and their matches."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue

from api.auth import write_access
from api.routes.common import json_object, query_args, settings
from api.schemas import MatchesQuery, MatchPage, WatchCreatedSchema, WatchDetailSchema, WatchIn, WatchPage, WatchPageQuery
from api.services import watches
from api.services.archive import current as archive

bp = Blueprint("watches", __name__)


@bp.post("/v1/watches")
@write_access
def create_watch() -> ResponseReturnValue:
    """Watch a claim: every document written from now on is matched against it; the archive is backfilled."""
    body = WatchIn(claim_max_chars=settings().claim_max_chars).load(json_object())
    created = watches.create(archive(), settings(), body)
    return WatchCreatedSchema().dump(created), 201, {"Location": url_for("watches.get_watch", watch_id=created["id"])}


@bp.get("/v1/watches")
def list_watches() -> ResponseReturnValue:
    """A page of watches, oldest first."""
    args = WatchPageQuery().load(query_args())
    return WatchPage().dump(watches.listing(archive(), args["limit"], args.get("cursor")))


@bp.get("/v1/watches/<watch_id>")
def get_watch(watch_id: str) -> ResponseReturnValue:
    """A watch, its backfill's progress, its delivery state and its newest contradicting match."""
    return WatchDetailSchema().dump(watches.detail(archive(), settings(), watch_id))


@bp.delete("/v1/watches/<watch_id>")
@write_access
def delete_watch(watch_id: str) -> ResponseReturnValue:
    """Stop watching a claim; its matches go with it."""
    watches.remove(archive(), watch_id)
    return "", 204


@bp.get("/v1/watches/<watch_id>/matches")
def list_matches(watch_id: str) -> ResponseReturnValue:
    """Matches in the order they were found, after the `since` cursor; poll again with next_cursor."""
    args = MatchesQuery().load(query_args())
    return MatchPage().dump(watches.matches(archive(), settings(), watch_id, args.get("since"), args["limit"]))
