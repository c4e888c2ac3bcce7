"""Errors the index layer raises for the API to translate."""


class IndexNotReady(Exception):
    """The archive's aliases do not exist yet: nothing has been indexed."""


class NotFound(Exception):
    """A requested document or entity does not exist."""
