"""The archive's generation: a token that changes whenever what readers see changes.

Readers see a write only after a refresh (the indices refresh when a writer asks, `Writer.publish`) or after a
rebuild swaps the aliases; both advance the token right after, so a reader that reads the token *before* it answers
and keys a cached answer by it never serves an answer older than a write that had completed when it read. The token
lives in a one-document index of its own, so every worker and process (and every API replica) reads the same one.
"""

from __future__ import annotations

import secrets
import time

from elasticsearch import ApiError, Elasticsearch
from elasticsearch import NotFoundError as ESNotFound

from index.mappings import Layout
from index.names import IndexNames

_DOC = "generation"


class Generation:
    """Read and advance one archive's generation token."""

    def __init__(self, es: Elasticsearch, names: IndexNames, layout: Layout | None = None) -> None:
        self.es = es
        self.index = f"{names.prefix}-state"
        self.layout = layout or Layout()
        self._ready = False

    def read(self) -> str | None:
        """The current token (a realtime read: no refresh needed), None while the archive has never published."""
        try:
            resp = self.es.get(index=self.index, id=_DOC)
        except ESNotFound:
            return None
        return str(resp["_source"]["token"])

    def advance(self) -> str:
        """A new token: every answer cached under an older one is stale from now on."""
        self._ensure()
        token = secrets.token_hex(12)
        self.es.index(index=self.index, id=_DOC, document={"token": token, "at": time.time()})
        return token

    def _ensure(self) -> None:
        if self._ready:
            return
        if not self.es.indices.exists(index=self.index):
            try:
                settings = {"number_of_shards": 1, "number_of_replicas": self.layout.replicas}
                self.es.indices.create(index=self.index, mappings={"dynamic": False}, settings=settings)
            except ApiError as err:  # another process created it first
                if "resource_already_exists" not in str(err):
                    raise
        self._ready = True
