"""Arrays computed once and kept on disk: e5 vectors, cosines and model probabilities that depend only on their
inputs (texts, pairs, a weights file), so a rerun reads them back instead of paying for them again."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def pairs_text(rows: Iterable[Mapping[str, str]]) -> str:
    """The claim-passage pairs of rows as one text, to key what depends on them."""
    return "\n".join(r["claim"] + "\t" + r["passage"] for r in rows)


def cached(path: Path, compute: Callable[[], np.ndarray], dtype: type | None = None) -> np.ndarray:
    """The array at path, or compute it and store it there (atomically: a stopped run leaves no half file);
    dtype narrows what is stored (probabilities as float16); the answer is then float32."""
    if path.exists():
        stored = np.load(path)
        return stored.astype(np.float32) if dtype is not None else stored
    values = np.asarray(compute())
    if dtype is not None:
        values = values.astype(dtype)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, values)
    os.replace(tmp, path)
    # the first run answers what a rerun will read back, so a stored narrowing never changes a result
    return values.astype(np.float32) if dtype is not None else values


def engine_probabilities(engine: Any, rows: Sequence[Mapping[str, str]], folder: Path, name: str) -> np.ndarray:
    """A stance engine's probabilities for rows' (claim, passage) pairs, stored under folder as NAME-KEY.npy, the key
    naming the engine's weights file, its number format (bf16, int8) and the pairs."""
    key = hashlib.sha1(
        hashlib.sha1((engine.weights / "stance-delta.pt").read_bytes()).digest()
        + str(engine.bf16).encode()
        + (b"int8" if getattr(engine, "int8", False) else b"")
        + pairs_text(rows).encode()
    ).hexdigest()[:12]
    return cached(
        folder / f"{name}-{key}.npy",
        lambda: np.asarray(engine.probabilities_pairs([(r["claim"], r["passage"]) for r in rows]), dtype=np.float32),
    )
