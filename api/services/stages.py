"""Where a request's time goes: named stages timed with a monotonic clock, reported as a W3C Server-Timing header
(`embed;dur=21.4, search;dur=38.0, …`, milliseconds) that browsers' developer tools and bench/compare_stages.py read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Stages:
    """Milliseconds per named stage; a stage entered twice adds up."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self.notes: dict[str, str] = {}

    def note(self, name: str, desc: str) -> None:
        """A description of a stage (`cache;dur=0.9;desc="hit"`), or of a metric without a duration."""
        self.notes[name] = desc

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = self.ms.get(name, 0.0) + (time.perf_counter() - started) * 1000

    def header(self) -> str:
        """The Server-Timing header value, stages in the order they first ran."""

        def desc(name: str) -> str:
            return f';desc="{self.notes[name]}"' if name in self.notes else ""

        timed = [f"{name};dur={ms:.1f}{desc(name)}" for name, ms in self.ms.items()]
        return ", ".join(timed + [f"{name}{desc(name)}" for name in self.notes if name not in self.ms])
