"""Stance figures that cannot flatter: whole public sets the shipped model was never trained on, per set and language.

For each set (training.factory.public.EVALUATION; held out whole), a fixed sample of --n pairs is judged by the model
and by the product's decision (the side the model reads a position for, else `related`):
- acc: accuracy over the set's own labels; on supports/refutes-only sets a `neither` answer counts as wrong;
- macro_f1: over the labels the set has; refutes: contradictions found / contradictions in the sample;
- sided_precision: of the pairs put on a side, the share on the right side.

    python bench/stance_generalization.py                    # shipped weights, 300 pairs per set
    python bench/stance_generalization.py --weights build/run5 --weights stance/weights
    python bench/stance_generalization.py --fp32 --student build/distill4/latest   # also the cascade over the first
    python bench/stance_generalization.py --fp32 --int8      # also the first weights in int8 (STANCE_INT8)

A cascade (--student, a distilled folder whose decision.json holds a reread margin for the first weights) is read
as the engine reads it: the student's verdict, except on the pairs within the margin of a boundary
(stance.cascade), which take the first weights' verdict; `reread` is the share of pairs that took it.

Probabilities are cached per weights and set under build/generalization/ (training.arrays.engine_probabilities) so
decision variants cost no model time.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.cascade import boundary_distance, to_reread  # noqa: E402
from stance.engine import WEIGHTS, StanceEngine, position  # noqa: E402
from stance.labels import LABELS  # noqa: E402
from training.arrays import engine_probabilities  # noqa: E402
from training.factory.public import EVALUATION, sample  # noqa: E402
from training.train import macro_f1  # noqa: E402


def figures(gold: list[str], pred: list[str]) -> dict[str, float]:
    """acc, macro-F1, refutes found and sided precision of one set's predictions."""
    labels = sorted(set(gold))
    sided = [(g, p) for g, p in zip(gold, pred, strict=True) if p != "neither"]
    contra = [p for g, p in zip(gold, pred, strict=True) if g == "contradicts"]
    return {
        "acc": round(float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])), 3),
        "macro_f1": round(macro_f1(gold, pred, labels), 3),
        "refutes": round(float(np.mean([p == "contradicts" for p in contra])), 3) if contra else float("nan"),
        "sided_precision": round(float(np.mean([g == p for g, p in sided])), 3) if sided else float("nan"),
        "sided_share": round(len(sided) / len(gold), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", action="append", help="a trained folder (repeat to compare; default: the shipped one)")
    ap.add_argument("--n", type=int, default=300, help="pairs per set (a fixed sample)")
    ap.add_argument("--sets", nargs="*", default=list(EVALUATION), help="which sets")
    ap.add_argument("--cache", default=str(ROOT / "build" / "generalization"))
    ap.add_argument("--fp32", action="store_true", help="never bf16 (verdicts the same on every CPU)")
    ap.add_argument(
        "--student",
        action="append",
        default=[],
        help="a distilled folder: also read the cascade of this student over the first weights (repeat for several)",
    )
    ap.add_argument("--int8", action="store_true", help="also read the first weights with int8 products (STANCE_INT8)")
    args = ap.parse_args()
    samples = {name: sample(list(EVALUATION[name]()), args.n) for name in args.sets}
    right: dict[str, dict[str, np.ndarray]] = {}  # per weights, per set: the product decision was right, pair by pair
    bf16 = False if args.fp32 else None
    folders = [Path(w) for w in args.weights or [str(WEIGHTS)]]
    readers: list[tuple[str, StanceEngine]] = [(str(w), StanceEngine(w, bf16=bf16)) for w in folders]
    readers += [(f"{folders[0]} int8", StanceEngine(folders[0], bf16=False, int8=True))] if args.int8 else []
    readers += [(f"cascade {s} over {folders[0]}", StanceEngine(folders[0], bf16=bf16, student=Path(s))) for s in args.student]
    for label, engine in readers:
        kind = "int8" if engine.int8 else "bf16" if engine.bf16 else "fp32"
        print(f"== {label}  ({kind}; model argmax | product decision)")
        cols = f"{'acc':>6}{'mF1':>7}{'refut':>7}"
        print(f"{'set':<20}{'n':>5}  {cols}  | {cols}{'sidedP':>8}{'sided':>7}{'reread':>8}")
        for name, rows in samples.items():
            probs, decided, reread = read_set(engine, name, rows, Path(args.cache))
            gold = [r["label"] for r in rows]
            argmax = figures(gold, [LABELS[i] for i in probs.argmax(1)])
            product = figures(gold, decided)
            right.setdefault(label, {})[name] = np.array([d == g for d, g in zip(decided, gold, strict=True)])
            print(
                f"{name:<20}{len(rows):>5}  {argmax['acc']:>6.3f}{argmax['macro_f1']:>7.3f}{argmax['refutes']:>7.3f}  | "
                f"{product['acc']:>6.3f}{product['macro_f1']:>7.3f}{product['refutes']:>7.3f}"
                f"{product['sided_precision']:>8.3f}{product['sided_share']:>7.3f}{reread:>8.3f}",
                flush=True,
            )

    read = list(right.items())
    for other in read[1:]:  # each further weights against the first, on the same pairs
        paired(read[0], other)


def read_set(engine: StanceEngine, name: str, rows: list[dict[str, str]], cache: Path) -> tuple[np.ndarray, list[str], float]:
    """(probabilities, product decisions, share reread by the teacher) of one set's sample: the weights alone, or
    the engine's cascade (the student's reading, the weights' on the pairs within its margin of a boundary)."""
    probs = engine_probabilities(engine, rows, cache, name)
    if engine.student is None:
        return probs, [position(p, engine.decision)[0] for p in probs], 0.0
    student, decision = engine.student, engine.student.decision
    assert decision is not None
    first = engine_probabilities(student, rows, cache, name)
    again = set(to_reread([boundary_distance(p, decision) for p in first], engine.margin))
    mixed = np.array([probs[k] if k in again else first[k] for k in range(len(rows))])
    decided = [position(mixed[k], engine.decision if k in again else decision)[0] for k in range(len(rows))]
    return mixed, decided, len(again) / max(1, len(rows))


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: how likely a split at least this uneven is when either side is as likely."""
    n, k = wins + losses, min(wins, losses)
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def paired(a: tuple[str, dict[str, np.ndarray]], b: tuple[str, dict[str, np.ndarray]]) -> None:
    """The two weights on the same pairs: how many only one of them decides right, and the sign test's p."""
    print(f"== paired, product decision: pairs right only with {a[0]} (A) / only with {b[0]} (B)")
    print(f"{'set':<20}{'A only':>8}{'B only':>8}{'p':>8}")
    for name, ra in a[1].items():
        rb = b[1][name]
        wins, losses = int((ra & ~rb).sum()), int((rb & ~ra).sum())
        print(f"{name:<20}{wins:>8}{losses:>8}{sign_test(wins, losses):>8.3f}")


if __name__ == "__main__":
    main()
