"""What the cascade costs per compare, in process: the served weights alone against a student in front of them
(STANCE_STUDENT), on the pairs compare's retrieval hands the model, one claim's candidates per call as compare makes
it (StanceEngine.judge_pairs, fp32), the two alternating claim by claim so that both see the same machine.

    python bench/cascade_cost.py --student build/distill4/latest --pairs build/evreach-pairs.jsonl --claims 24

Prints p50/p95 seconds per claim for each, the share of pairs the weights reread in the cascade, how many
verdicts (stance) differ from the weights' alone, and the sides: how many the weights give, how many of those the
cascade gives on the same side, and how many it gives that they do not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.engine import WEIGHTS, Pair, StanceEngine  # noqa: E402
from stance.labels import NEITHER  # noqa: E402
from text.language import detect_claim  # noqa: E402
from training.pairs import read_pairs  # noqa: E402


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--student", required=True)
    ap.add_argument("--weights", default=str(WEIGHTS))
    ap.add_argument("--pairs", default=str(ROOT / "build" / "evreach-pairs.jsonl"))
    ap.add_argument("--claims", type=int, default=24, help="claims (each with up to 40 candidates)")
    args = ap.parse_args()
    by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_pairs(Path(args.pairs)):
        by[r["claim"]].append(r)
    claims = list(by)[: args.claims]
    alone = StanceEngine(Path(args.weights), bf16=False)
    cascade = StanceEngine(Path(args.weights), bf16=False, student=Path(args.student))
    times: dict[str, list[float]] = {"alone": [], "cascade": []}
    pairs_n = differ = sided = kept = added = 0
    reread = []
    for claim in claims:
        lang = detect_claim(claim)
        pairs = [Pair(claim, lang, r["passage"], r["passage_lang"], float(r["relevance"])) for r in by[claim][:40]]
        verdicts = {}
        for name, engine in (("alone", alone), ("cascade", cascade)):
            start = time.perf_counter()
            verdicts[name] = engine.judge_pairs(pairs)
            times[name].append(time.perf_counter() - start)
        pairs_n += len(pairs)
        for a, b in zip(verdicts["alone"], verdicts["cascade"], strict=True):
            differ += a.stance != b.stance
            sided += a.stance != NEITHER
            kept += a.stance != NEITHER and a.stance == b.stance
            added += a.stance == NEITHER and b.stance != NEITHER
        # a pair the weights reread carries their probabilities exactly
        reread.append(
            sum(v.probabilities == w.probabilities for v, w in zip(verdicts["alone"], verdicts["cascade"], strict=True))
        )
    print(f"{len(claims)} claims, {pairs_n} pairs (fp32, one claim's candidates per call, alternating)")
    for name, values in times.items():
        print(f"{name:<8} p50 {statistics.median(values):.3f} s  p95 {p95(values):.3f} s  mean {statistics.mean(values):.3f} s")
    print(f"reread by the weights: {sum(reread) / pairs_n:.3f} of pairs; verdicts that differ: {differ} of {pairs_n}")
    print(f"sides: the weights give {sided}, the cascade keeps {kept} of them on the same side and adds {added}")


if __name__ == "__main__":
    main()
