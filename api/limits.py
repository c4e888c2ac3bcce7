"""Per-client rate limits (Flask-Limiter) and the per-worker queue for the stance model, from the settings."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from flask import current_app
from flask_limiter import Limiter

from api.auth import client_key

limiter = Limiter(key_func=client_key, headers_enabled=True, default_limits=[])


def compare_limit() -> str:
    """The configured limit on compare requests per client (COMPARE_RATE_LIMIT)."""
    return str(current_app.config["SETTINGS"].compare_rate_limit)


class ModelBusy(Exception):
    """This worker already holds as many model requests as COMPARE_IN_FLIGHT allows."""


class ModelSlots:
    """Requests that need the stance model (compare, stance) a worker holds at once, waiting for or using its one
    model; one more is refused at once (503, Retry-After) instead of taking a thread that reads need."""

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(blocking=False):
            raise ModelBusy
        try:
            yield
        finally:
            self._slots.release()


def model_slot() -> AbstractContextManager[None]:
    """A place in this app's model queue (raises ModelBusy when it is full)."""
    slots: ModelSlots = current_app.extensions["model_slots"]
    return slots.slot()
