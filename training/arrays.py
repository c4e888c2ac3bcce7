"""Arrays computed once and kept on disk: e5 vectors, cosines and model probabilities that depend only on their
inputs (texts, pairs, a weights file), so a rerun reads them back instead of paying for them again."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

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
