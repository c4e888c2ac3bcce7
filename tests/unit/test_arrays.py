"""training.arrays.cached: computed once, read back the same, stored atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training.arrays import cached, pairs_text


def test_cached_computes_once_and_reads_back(tmp_path: Path) -> None:
    calls = []

    def compute() -> np.ndarray:
        calls.append(1)
        return np.array([[0.1234567, 0.8765433]], dtype=np.float32)

    path = tmp_path / "sub" / "probs.npy"
    first = cached(path, compute, dtype=np.float16)
    second = cached(path, compute, dtype=np.float16)
    assert len(calls) == 1
    assert first.dtype == second.dtype == np.float32
    # the first answer is already the narrowed one, so a rerun reads back exactly what the first run used
    assert np.array_equal(first, second)
    assert first[0, 0] != np.float32(0.1234567)
    assert [p.name for p in path.parent.iterdir()] == ["probs.npy"]


def test_cached_keeps_full_precision_without_dtype(tmp_path: Path) -> None:
    values = np.arange(6, dtype=np.float64).reshape(2, 3) / 7
    got = cached(tmp_path / "x.npy", lambda: values)
    assert np.array_equal(got, values)
    assert np.array_equal(cached(tmp_path / "x.npy", lambda: np.zeros(1)), values)


def test_pairs_text_keys_on_order_and_both_sides() -> None:
    a = [{"claim": "c1", "passage": "p1"}, {"claim": "c2", "passage": "p2"}]
    assert pairs_text(a) == "c1\tp1\nc2\tp2"
    assert pairs_text(a) != pairs_text(a[::-1])
