"""Does a passage support itself? Identity pairs made from the passages of public sets never trained on.

For each evaluation set (training.factory.public.EVALUATION, held out whole), a fixed sample of --n distinct passages
(5-60 words) is paired with itself, claim == passage, and read through the product's decision. Printed per set and
for the passages with a negation, denial or reporting/distancing word (training.factory.identity.marked; the case
that went wrong at 260k pairs): the share on the supporting side, the share on the contradicting side (a passage read
as contradicting itself), and the mean p(supports).

    python bench/identity_pairs.py --fp32                                   # shipped weights
    python bench/identity_pairs.py --fp32 --weights build/campaign/latest --weights stance/weights
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.engine import WEIGHTS, StanceEngine, position  # noqa: E402
from training.factory.identity import MAX_WORDS, MIN_WORDS, marked  # noqa: E402
from training.factory.public import EVALUATION, sample  # noqa: E402

SETS = ("fever-symmetric", "danfever-test", "swenli-test", "swenli-test-nb", "xnli-en", "xnli-de", "xnli-fr", "xnli-es")


def passages(name: str, n: int) -> list[str]:
    """A fixed sample of n distinct passages of one set, 5-60 words long."""
    distinct = sorted({r["passage"] for r in EVALUATION[name]() if MIN_WORDS <= len(r["passage"].split()) <= MAX_WORDS})
    return [r["passage"] for r in sample([{"passage": p} for p in distinct], n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", action="append", help="a trained folder (repeat to compare; default: the shipped one)")
    ap.add_argument("--n", type=int, default=150, help="passages per set")
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--fp32", action="store_true", help="never bf16 (verdicts the same on every CPU)")
    args = ap.parse_args()
    texts = {name: passages(name, args.n) for name in args.sets}
    for weights in [Path(w) for w in args.weights or [str(WEIGHTS)]]:
        engine = StanceEngine(weights, bf16=False if args.fp32 else None)
        print(f"== {weights}  ({'bf16' if engine.bf16 else 'fp32'})")
        print(f"{'set':<18}{'n':>5}{'supports':>10}{'contra':>8}{'p(sup)':>8}  | {'marked':>7}{'supports':>10}{'contra':>8}")
        everything: list[tuple[str, bool]] = []
        for name, items in texts.items():
            probs = engine.probabilities_pairs([(t, t) for t in items])
            sides = [position(p, engine.decision)[0] for p in probs]
            flagged = [marked(t) for t in items]
            everything += list(zip(sides, flagged, strict=True))
            marked_sides = [s for s, g in zip(sides, flagged, strict=True) if g]
            p_sup = np.mean([p[0] for p in probs])
            print(
                f"{name:<18}{len(items):>5}{_shares(sides)}{p_sup:>8.3f}  | {len(marked_sides):>7}{_shares(marked_sides)}",
                flush=True,
            )
        marked_sides = [s for s, g in everything if g]
        every_side = [s for s, _ in everything]
        print(f"{'all':<18}{len(everything):>5}{_shares(every_side)}{'':>8}  | {len(marked_sides):>7}{_shares(marked_sides)}")


def _shares(sides: list[str]) -> str:
    """Two columns: the share of `sides` on the supporting side and on the contradicting side (nan for none)."""
    if not sides:
        return f"{float('nan'):>10.3f}{float('nan'):>8.3f}"
    return f"{np.mean([s == 'supports' for s in sides]):>10.3f}{np.mean([s == 'contradicts' for s in sides]):>8.3f}"


if __name__ == "__main__":
    main()
