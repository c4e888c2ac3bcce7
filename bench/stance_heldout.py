"""Held-out factory figures of a stance model (the shipped one by default), with speed per pair.

Accuracy and macro-F1 per claim language, passage language, language pair and transformation (the training split never sees these
source sentences), and milliseconds per pair in batches on this machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.engine import WEIGHTS, StanceEngine, position  # noqa: E402
from training.pairs import read_pairs  # noqa: E402
from training.train import report  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance" / "heldout.jsonl"))
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--weights", nargs="*", default=[str(WEIGHTS)], help="weight folders to compare")
    ap.add_argument("--int8", action="store_true", help="also measure int8 dynamic quantisation (rejected: batch-dependent)")
    args = ap.parse_args()
    rows = read_pairs(args.heldout, args.n)
    for weights, int8 in [(Path(w), q) for w in args.weights for q in ((False, True) if args.int8 else (False,))]:
        eng = StanceEngine(weights, int8=int8)
        started = time.perf_counter()
        probs = eng.probabilities_pairs([(r["claim"], r["passage"]) for r in rows])
        preds = [position(p, eng.decision)[0] for p in probs]
        ms = (time.perf_counter() - started) * 1000 / len(rows)
        rep = report(rows, preds)
        kind = "int8" if int8 else "bf16" if eng.bf16 else "fp32"
        print(f"== {weights.name} {kind}: {ms:.1f} ms/pair; overall {json.dumps(rep['overall'])}")
        for field in ("claim_lang", "passage_lang", "lang_pair", "transform"):
            for k, v in rep[field].items():
                print(f"   {field:<10} {k:<24} n={v['n']:<5} acc={v['accuracy']:.3f} macro_f1={v['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
