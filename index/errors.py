"""Errors the index layer raises for the API to translate."""


class IndexNotReady(Exception):
    """The archive's aliases do not exist yet: nothing has been indexed."""


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
