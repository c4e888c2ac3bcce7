"""Does the model read a passage better with its context (the page or entity it comes from) than without?

Held-out mix pairs that carry a context (VitaminC page titles, DanFEVER entities; held out by page or entity), read
twice by the same weights: without context, and with `</s> context: …` after the passage (as training gives it on
half the draws). Accuracy (argmax) per bucket.

    python bench/context_effect.py --weights build/campaign/latest [--n 300]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.classifier import predict  # noqa: E402
from stance.engine import StanceEngine  # noqa: E402
from stance.labels import LABELS  # noqa: E402
from text.e5_tokenizer import tokenizer  # noqa: E402
from training.factory.public import sample  # noqa: E402
from training.pairs import read_pairs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", default=str(ROOT / "stance" / "weights"))
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance-mix" / "heldout.jsonl"))
    ap.add_argument("--n", type=int, default=300, help="pairs per bucket (a fixed sample)")
    args = ap.parse_args()
    rows = [r for r in read_pairs(args.heldout) if r.get("context") and r["label"] in LABELS]
    by_bucket: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_bucket[r["bucket"]].append(r)
    engine = StanceEngine(Path(args.weights), bf16=False)
    tok = tokenizer()
    print(f"weights {args.weights}; held-out pairs with a context, argmax accuracy, fp32")
    print(f"{'bucket':<22}{'n':>5}{'without':>9}{'with':>7}{'diff':>7}")
    for bucket, group in sorted(by_bucket.items()):
        picked = sample(group, args.n, seed=5)
        gold = np.array([LABELS.index(r["label"]) for r in picked])
        acc = []
        for with_context in (False, True):
            ids = [tok.encode_pair(r["claim"], r["passage"], context=r["context"] if with_context else None) for r in picked]
            probs = predict(engine.model, ids=ids, pad=tok.pad, size=16)
            acc.append(float((probs.argmax(1) == gold).mean()))
        print(f"{bucket:<22}{len(picked):>5}{acc[0]:>9.3f}{acc[1]:>7.3f}{acc[1] - acc[0]:>+7.3f}", flush=True)


if __name__ == "__main__":
    main()
