"""The cascade's reread margin, set on held-out pairs: how close to a decision boundary a student's verdict may lie
before the teacher reads the pair again.

Both models read a sample of the mix's held-out pairs (held out by article and case from what either trained on) as
the engine serves them (fp32, each with its own calibrated decision layer). The pairs are split in two halves by
claim (no claim in both): on the fit half the margin is the smallest for which the cascade's verdicts (the student's,
the teacher's on the pairs within the margin of a boundary; stance.cascade) agree with the teacher's alone on
--target of the pairs and keep --side-target of the teacher's sided verdicts (recall and precision: the verdicts a
reader sees are the few sided ones, and overall agreement can stay high while they go missing); the check half says
what that margin gives on pairs it was not set on. Pairs with a relevance are decided as compare decides them
(relevance threshold and rescue band), the others on the position alone. With --pairs (pairs
compare's retrieval handed the model, bench/evidence_reach.py run --pairs-out) it also reports the share the teacher
rereads there, which is what the cascade costs in the product. With --fit-pairs the margin is set the same way on
compare-like pairs held out of the student's distillation by claim (training.compare_pairs; a distillation folder's
compare-held.jsonl) — the pairs the product reads, not the mix's balanced ones — and the mix's check half is
reported at that margin.

    python -m training.calibrate --weights build/distill4/latest --heldout build/stance/heldout.jsonl \\
        --position-heldout build/stance-mix/heldout.jsonl --position-n 6000
    python -m training.cascade_margin --student build/distill4/latest --pairs build/evreach-pairs.jsonl
    python -m training.cascade_margin --student build/distill4c/latest --pairs build/evreach-pairs.jsonl \\
        --fit-pairs build/distill4c/compare-held.jsonl

The margin goes into the student's decision.json ("cascade", with the teacher's weights hash: the engine refuses a
margin set against other weights); STANCE_STUDENT then puts the student in front of the served weights.

With --int8 the "student" is the teacher itself read with int8 products (stance.int8, STANCE_INT8), and the margin
(under which a pair is read again in fp32) goes into the teacher's own decision.json as "int8"; its targets are near
identity, since int8 should change no verdict that fp32 gives:

    python -m training.cascade_margin --int8 --target 0.999 --side-target 0.995 --pairs build/evreach-pairs.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from stance.cascade import boundary_distances
from stance.engine import WEIGHTS, Pair, StanceEngine, decide_pair, rescue_band, weights_sha1
from stance.labels import NEITHER
from text.language import detect_claim
from training.arrays import engine_probabilities
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]


def held_sample(path: Path, per_bucket: int, seed: int = 5) -> list[dict[str, Any]]:
    """Up to per_bucket held-out pairs of each mix bucket (a fixed draw)."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in read_pairs(path):
        by[r["bucket"]].append(r)
    rnd, out = random.Random(seed), []
    for bucket in sorted(by):
        rows = by[bucket]
        out += rnd.sample(rows, min(per_bucket, len(rows)))
    return out


def cascade_agreement(student: list[str], teacher: list[str], distances: np.ndarray, margin: float) -> tuple[float, float]:
    """(share of pairs whose cascade verdict is the teacher's, share reread) at this margin."""
    again = distances < margin
    same = np.array([s == t for s, t in zip(student, teacher, strict=True)]) | again
    return float(same.mean()), float(again.mean())


def sides_kept(student: list[str], teacher: list[str], distances: np.ndarray, margin: float) -> tuple[float, float]:
    """(side recall, side precision) of the cascade against the teacher at this margin: the share of the teacher's
    sided verdicts the cascade gives on the same side, and the share of the cascade's sided verdicts the teacher gives
    too (1.0 where there are none). The verdicts a reader sees are the sided ones, a few in a hundred candidates:
    overall agreement can stay high while sides go missing."""
    again = distances < margin
    cascade = np.where(again, np.asarray(teacher, dtype=object), np.asarray(student, dtype=object))
    sided_t, sided_c = np.asarray(teacher, dtype=object) != NEITHER, cascade != NEITHER
    same = (cascade == np.asarray(teacher, dtype=object)) & sided_t
    recall = float(same.sum() / sided_t.sum()) if sided_t.any() else 1.0
    return recall, float(same.sum() / sided_c.sum()) if sided_c.any() else 1.0


def smallest_margin(
    student: list[str], teacher: list[str], distances: np.ndarray, target: float, side_target: float = 0.0
) -> float:
    """The smallest margin (just above one of the distances, or 0) at which the cascade agrees on `target` of the
    pairs and keeps `side_target` of the teacher's sides (recall and precision)."""
    for m in [0.0, *sorted({float(d) + 1e-6 for d in distances})]:
        if (
            cascade_agreement(student, teacher, distances, m)[0] >= target
            and min(sides_kept(student, teacher, distances, m)) >= side_target
        ):
            return round(m, 6)
    return float("inf")


def figures(student: list[str], teacher: list[str], distances: np.ndarray, margin: float) -> dict[str, Any]:
    agree, reread = cascade_agreement(student, teacher, distances, margin)
    recall, precision = sides_kept(student, teacher, distances, margin)
    alone = float(np.mean([s == t for s, t in zip(student, teacher, strict=True)]))
    return {
        "n": len(student),
        "agreement": round(agree, 4),
        "side_recall": round(recall, 4),
        "side_precision": round(precision, 4),
        "reread_share": round(reread, 4),
        "student_alone": round(alone, 4),
    }


Verdicts = tuple[list[str], list[str], np.ndarray]  # the student's, the teacher's, the student's boundary distances


def as_pairs(rows: list[dict[str, Any]]) -> list[Pair]:
    """Rows as the engine's pairs: with their relevance and the claim's language where they have a relevance (pairs
    compare's retrieval handed the model), on the position alone otherwise."""
    langs = {c: detect_claim(c) for c in {r["claim"] for r in rows if "relevance" in r}}  # only where a relevance uses them
    return [
        Pair(r["claim"], langs.get(r["claim"], ""), r["passage"], r.get("passage_lang", ""), r.get("relevance")) for r in rows
    ]


def read_both(student: StanceEngine, teacher: StanceEngine, rows: list[dict[str, Any]], cache: Path, name: str) -> Verdicts:
    """Both models' verdicts on rows as the engine serves them, and how far each student verdict lies from changing.
    Rows with a relevance (pairs compare's retrieval handed the model) are decided with it, as compare decides them
    (`decide`: the relevance threshold of the claim's and passage's languages and the rescue band); the others on the
    position alone."""
    ps, pt = engine_probabilities(student, rows, cache, name), engine_probabilities(teacher, rows, cache, name)
    assert student.decision is not None and teacher.decision is not None
    pairs = as_pairs(rows)
    band = rescue_band(teacher.weights)
    dist: np.ndarray = np.array(boundary_distances(pairs, ps, student.decision, teacher.weights, band))

    def verdicts(probabilities: np.ndarray, decision: dict[str, Any]) -> list[str]:
        return [decide_pair(pair, p, decision, teacher.weights, band)[0] for pair, p in zip(pairs, probabilities, strict=True)]

    return verdicts(ps, student.decision), verdicts(pt, teacher.decision), dist


def halves(rows: list[dict[str, Any]]) -> np.ndarray:
    """The fit half (True) by claim: no claim in both halves."""
    return np.array([hashlib.sha1(r["claim"].encode()).digest()[0] % 2 == 0 for r in rows], dtype=bool)


def part(verdicts: Verdicts, mask: np.ndarray) -> Verdicts:
    sv, tv, dist = verdicts
    idx = np.flatnonzero(mask)
    return [sv[k] for k in idx], [tv[k] for k in idx], dist[idx]


def price_curve(verdicts: Verdicts, margins: tuple[float, ...]) -> None:
    for m in margins:
        agree, reread = cascade_agreement(*verdicts, m)
        recall, precision = sides_kept(*verdicts, m)
        print(f"  {m:.4f}: {agree:.4f} {reread:.4f}  sides {recall:.3f} / {precision:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--student", help="a distilled folder with its decision.json (training.calibrate)")
    ap.add_argument("--int8", action="store_true", help="the teacher's own int8 reading instead of a student")
    ap.add_argument("--teacher", default=str(WEIGHTS))
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance-mix" / "heldout.jsonl"))
    ap.add_argument("--per-bucket", type=int, default=200)
    ap.add_argument("--target", type=float, default=0.975, help="verdict agreement with the teacher on the fit half")
    ap.add_argument(
        "--side-target",
        type=float,
        default=0.97,
        help="the share of the teacher's sides the cascade keeps on the fit half (recall and precision; 0: not asked)",
    )
    ap.add_argument(
        "--fit-pairs",
        help="set the margin on these compare-like pairs instead of the mix's (held out of the student's training by "
        "claim: a distillation folder's compare-held.jsonl); the mix's check half is still reported",
    )
    ap.add_argument("--pairs", help="pairs compare hands the model (JSON Lines with relevance): the product's reread")
    ap.add_argument("--cache", default=str(ROOT / "build" / "cascade"))
    args = ap.parse_args()
    cache = Path(args.cache)
    if bool(args.student) == args.int8:
        ap.error("name a --student or ask for --int8")
    teacher = StanceEngine(Path(args.teacher), bf16=False)
    student = StanceEngine(Path(args.student or args.teacher), bf16=False, int8=args.int8)
    assert teacher.decision is not None and student.decision is not None, "both need a decision.json"

    rows = held_sample(Path(args.heldout), args.per_bucket)
    mix, mix_fit = read_both(student, teacher, rows, cache, "held"), halves(rows)
    if args.fit_pairs:
        fit_rows = read_pairs(Path(args.fit_pairs))
        fitting, fit = read_both(student, teacher, fit_rows, cache, "fit"), halves(fit_rows)
        where = f"{len(fit_rows)} compare-like held-out pairs ({Path(args.fit_pairs).name})"
    else:
        fitting, fit, where = mix, mix_fit, f"{len(rows)} mix held-out pairs ({args.per_bucket} per bucket)"
    margin = smallest_margin(*part(fitting, fit), args.target, args.side_target)
    out: dict[str, Any] = {
        "teacher_sha1": weights_sha1(Path(args.teacher)),
        "margin": margin,
        "rule": f"smallest margin with verdict agreement >= {args.target} and side recall and precision >= "
        f"{args.side_target} on the fit half (by claim) of {where}",
        "fit": figures(*part(fitting, fit), margin),
        "check": figures(*part(fitting, ~fit), margin),
    }
    print(f"margin {margin}: fit {out['fit']}\n  check {out['check']}")
    print("the price curve on the check half (margin: agreement, reread, sides recall / precision):")
    price_curve(part(fitting, ~fit), (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, margin))
    if args.fit_pairs:
        out["mix_check"] = figures(*part(mix, ~mix_fit), margin)
        print(f"the mix's check half at this margin: {out['mix_check']}")
    buckets = np.array([r["bucket"] for r in rows])
    out["check_by_bucket"] = {b: figures(*part(mix, ~mix_fit & (buckets == b)), margin) for b in sorted(set(buckets))}
    for b, f in out["check_by_bucket"].items():
        print(f"  {b:<24} {f}")
    out["agreement"], out["reread_share"] = out["check"]["agreement"], out["check"]["reread_share"]

    if args.pairs:
        pairs = read_pairs(Path(args.pairs))
        product = read_both(student, teacher, pairs, cache, "pairs")
        out["product_candidates"] = figures(*product, margin) | {"source": Path(args.pairs).name}
        print(f"compare's candidates ({args.pairs}): {out['product_candidates']}")
        own = smallest_margin(*product, args.target, args.side_target)  # reported only: the margin if set there
        print(
            f"  (the margin that would reach {args.target} on these pairs themselves: {own}, rereading "
            f"{cascade_agreement(*product, own)[1]:.4f}); the price curve there:"
        )
        price_curve(product, (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3))

    path = Path(args.teacher if args.int8 else args.student) / "decision.json"
    decision = json.loads(path.read_text())
    decision["int8" if args.int8 else "cascade"] = out
    path.write_text(json.dumps(decision, indent=1))
    print(f"wrote the {'int8 reread' if args.int8 else 'cascade'} margin into {path}")


if __name__ == "__main__":
    main()
