"""Names of the aliases and concrete indices the archive lives in."""

from __future__ import annotations

import time
from dataclasses import dataclass

KINDS = ("documents", "passages", "entities")


@dataclass(frozen=True)
class IndexNames:
    """The aliases for one archive, derived from a prefix (one per deployment or test)."""

    prefix: str

    @property
    def documents(self) -> str:
        return f"{self.prefix}-documents"

    @property
    def passages(self) -> str:
        return f"{self.prefix}-passages"

    @property
    def entities(self) -> str:
        return f"{self.prefix}-entities"

    def alias(self, kind: str) -> str:
        """Alias name for one kind of index."""
        return f"{self.prefix}-{kind}"

    def concrete(self, kind: str, stamp: str | None = None) -> str:
        """A fresh concrete index name behind the alias, unique per build."""
        stamp = stamp or time.strftime("%Y%m%d%H%M%S") + f"{time.time_ns() % 1_000_000:06d}"
        return f"{self.alias(kind)}-{stamp}"
