"""Would int8 make the stance model fast enough? Verdict agreement of int8 dynamic quantisation (torch, Linear
layers, each pair alone so its activation scales depend on that pair only, the same on any x86 CPU) with today's
fp32, on pairs of the run-5 position held-out set (build/stance-mix/heldout.jsonl, never trained on); verdict =
`position` with the shipped decision (side or neither).

    python bench/int8_agreement.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.classifier import predict  # noqa: E402
from stance.engine import StanceEngine, position  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance-mix" / "heldout.jsonl"))
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.heldout).read_text(encoding="utf-8").splitlines()]
    random.Random(0).shuffle(rows)
    rows = rows[: args.n]
    pairs = [(r["claim"], r["passage"]) for r in rows]
    fp32 = StanceEngine(bf16=False)
    int8 = StanceEngine(bf16=False, int8=True)
    p32 = predict(fp32.model, pairs, size=16)
    p8 = np.concatenate([predict(int8.model, [p], size=1) for p in pairs])
    v32 = [position(p, fp32.decision)[0] for p in p32]
    v8 = [position(p, fp32.decision)[0] for p in p8]
    gold = [r["label"] for r in rows]
    print(f"# python bench/int8_agreement.py --n {args.n}")
    print(f"verdicts identical int8 vs fp32: {np.mean([a == b for a, b in zip(v32, v8, strict=True)]):.3f} (goal 0.995)")
    print(f"largest probability change: {np.abs(p32 - p8).max():.3f}")
    print(
        f"accuracy on the held-out labels: fp32 {np.mean([a == b for a, b in zip(v32, gold, strict=True)]):.3f}, "
        f"int8 {np.mean([a == b for a, b in zip(v8, gold, strict=True)]):.3f}"
    )


if __name__ == "__main__":
    main()
