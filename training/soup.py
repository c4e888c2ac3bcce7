"""Two trained stance weights of one lineage averaged into a third (a uniform "model soup", Wortsman et al. 2022):
the weights of runs forked from the same starting point lie in one basin, and their average often generalises
better than either. The share is fixed beforehand (0.5 unless told), never searched on an evaluation set.

    python -m training.soup --a stance/weights --b build/campaign-control/latest --out build/soup/latest

The result has no decision layer: calibrate it like any candidate before it reads anything
(`CANDIDATE=build/soup/latest bash scripts/campaign-candidate.sh read`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import torch


def mix_states(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], share_b: float) -> dict[str, torch.Tensor]:
    """(1 - share_b) * a + share_b * b for every tensor, computed in fp32 and stored in a's dtype. Both must hold
    the same tensors with the same shapes (the same trained layers and head)."""
    if not 0.0 <= share_b <= 1.0:
        raise ValueError(f"share_b must lie in [0, 1], got {share_b}")
    if a.keys() != b.keys():
        raise ValueError(f"the weights differ in their tensors: {sorted(a.keys() ^ b.keys())[:5]}")
    out = {}
    for name, ta in a.items():
        tb = b[name]
        if ta.shape != tb.shape:
            raise ValueError(f"{name}: shape {tuple(ta.shape)} against {tuple(tb.shape)}")
        out[name] = ((1.0 - share_b) * ta.float() + share_b * tb.float()).to(ta.dtype)
    return out


def soup_meta(meta_a: dict[str, Any], meta_b: dict[str, Any], a: Path, b: Path, share_b: float) -> dict[str, Any]:
    """b's stance.json with what the soup is made of; its training sets are both parents'."""
    if meta_a.get("frozen_layers") != meta_b.get("frozen_layers") or meta_a.get("layers") != meta_b.get("layers"):
        raise ValueError("the two weights train different layers")
    meta = dict(meta_b)
    meta["soup"] = {
        "a": str(a),
        "b": str(b),
        "share_b": share_b,
        "a_pairs": meta_a.get("trained_pairs"),
        "b_pairs": meta_b.get("trained_pairs"),
    }
    meta["weights"] = f"{1 - share_b:g} x {a} + {share_b:g} x {b}"
    meta["training_sets"] = sorted(set(meta_a.get("training_sets", [])) | set(meta_b.get("training_sets", [])))
    meta["checkpoint_eval"] = {}
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=Path, required=True, help="a weights folder (stance-delta.pt + stance.json)")
    ap.add_argument("--b", type=Path, required=True, help="another, forked from the same weights as a or from a")
    ap.add_argument("--share-b", type=float, default=0.5)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    state_a = torch.load(args.a / "stance-delta.pt", map_location="cpu", weights_only=True)
    state_b = torch.load(args.b / "stance-delta.pt", map_location="cpu", weights_only=True)
    meta_a = json.loads((args.a / "stance.json").read_text(encoding="utf-8"))
    meta_b = json.loads((args.b / "stance.json").read_text(encoding="utf-8"))
    meta = soup_meta(meta_a, meta_b, args.a, args.b, args.share_b)
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(mix_states(state_a, state_b, args.share_b), args.out / "stance-delta.pt")
    (args.out / "stance.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(
        f"{args.out}: {1 - args.share_b:g} x {args.a} ({meta_a.get('trained_pairs')} pairs) + "
        f"{args.share_b:g} x {args.b} ({meta_b.get('trained_pairs')} pairs)"
    )


if __name__ == "__main__":
    main()
