"""Errors the index layer raises for the API to translate."""


class IndexNotReady(Exception):
    """The archive's aliases do not exist yet: nothing has been indexed."""


class SearchFailed(Exception):
    """Elasticsearch answered a search of a multi-search with an error (its HTTP status kept)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class NotFound(Exception):
    """A requested document or entity does not exist."""


def is_index_missing(err: Exception) -> bool:
    """True when Elasticsearch says the index (not a document in it) does not exist."""
    body = getattr(err, "body", None)
    return (
        isinstance(body, dict)
        and isinstance(body.get("error"), dict)
        and body["error"].get("type") == "index_not_found_exception"
    )
