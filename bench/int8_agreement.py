"""Does int8 (STANCE_INT8, stance.int8) keep fp32's verdicts, on every CPU and in every batch?

On held-out pairs (a per-bucket sample of the mix's held-out pairs, never trained on; or --pairs, e.g. the pairs
compare handed the model for the evidence-reach claims, decided with their relevance as compare decides them):
- verdict agreement of int8 with fp32 and the share of fp32's sides kept (recall / precision), the int8 reading alone
  and with the reread band of decision.json "int8" (pairs within the margin of a boundary read again in fp32);
- the same pairs read by a CPU without AVX-512 and VNNI (a child process with ONEDNN_MAX_CPU_ISA=AVX2 and
  MKL_ENABLE_INSTRUCTIONS=AVX2, which makes oneDNN and MKL run an AVX2 machine's kernels here): verdicts that differ
  between the two CPUs, for fp32, int8 alone and int8 with its band;
- batch dependence: the first --alone pairs read one by one against the batched reading;
- model time per pair, fp32 and int8, alternating (--rounds).

    python bench/int8_agreement.py --per-bucket 100
    python bench/int8_agreement.py --pairs build/evreach-pairs.jsonl
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.cascade import boundary_distances, to_reread  # noqa: E402
from stance.classifier import predict  # noqa: E402
from stance.engine import Pair, StanceEngine, decide_pair, rescue_band  # noqa: E402
from stance.labels import NEITHER  # noqa: E402
from training.cascade_margin import as_pairs, held_sample  # noqa: E402
from training.pairs import read_pairs  # noqa: E402

AVX2 = {"ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"}


def rows_of(args: argparse.Namespace) -> list[dict]:
    if args.pairs:
        return read_pairs(Path(args.pairs))[: args.limit] if args.limit else read_pairs(Path(args.pairs))
    return held_sample(Path(args.heldout), args.per_bucket)


def readings(engine: StanceEngine, rows: list[dict]) -> dict[str, np.ndarray]:
    """fp32 and int8 probabilities of the rows, as an int8 engine reads them (batched, length-sorted)."""
    texts = [(r["claim"], r["passage"]) for r in rows]
    return {
        "fp32": np.asarray(engine.probabilities_pairs(texts, fp32=True)),
        "int8": np.asarray(engine.probabilities_pairs(texts)),
    }


def verdicts(
    engine: StanceEngine, pairs: list[Pair], probs: np.ndarray, fp32: np.ndarray | None = None
) -> tuple[list[str], float]:
    """The product decision per pair (with its relevance where it has one); with fp32 given, the int8 reading with
    its reread band: the pairs within the margin read as fp32 read them. Also the share reread."""
    band = rescue_band(engine.weights)
    probs = probs.copy()
    again: list[int] = []
    if fp32 is not None and engine.int8_margin > 0:
        assert engine.decision is not None
        again = to_reread(boundary_distances(pairs, probs, engine.decision, engine.weights, band), engine.int8_margin)
        probs[again] = fp32[again]
    out = [decide_pair(p, pr.tolist(), engine.decision, engine.weights, band)[0] for p, pr in zip(pairs, probs, strict=True)]
    return out, len(again) / max(1, len(pairs))


def compare(a: list[str], b: list[str]) -> str:
    """Agreement of b with a, and a's sides that b keeps on the same side (recall / precision)."""
    same = np.mean([x == y for x, y in zip(a, b, strict=True)])
    sided_a, sided_b = sum(x != NEITHER for x in a), sum(y != NEITHER for y in b)
    kept = sum(x == y and x != NEITHER for x, y in zip(a, b, strict=True))
    recall, precision = kept / max(1, sided_a), kept / max(1, sided_b)
    return f"agreement {same:.4f}, sides {kept}/{sided_a} kept ({recall:.3f}), precision {precision:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance-mix" / "heldout.jsonl"))
    ap.add_argument("--per-bucket", type=int, default=100)
    ap.add_argument("--pairs", help="pairs with relevance (bench/evidence_reach.py --pairs-out) instead of the mix")
    ap.add_argument("--limit", type=int, help="only the first N of --pairs")
    ap.add_argument("--alone", type=int, default=64, help="pairs also read one by one (batch dependence)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating timing rounds")
    ap.add_argument("--dump", help=argparse.SUPPRESS)  # the child: write its readings here and stop
    args = ap.parse_args()
    rows = rows_of(args)
    engine = StanceEngine(bf16=False, int8=True)
    if args.dump:
        read = readings(engine, rows)
        np.savez(args.dump, fp32=read["fp32"], int8=read["int8"])
        return
    here = readings(engine, rows)
    pairs = as_pairs(rows)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "avx2.npz"
        subprocess.run([sys.executable, *sys.argv, "--dump", str(dump)], env={**os.environ, **AVX2}, check=True)
        there = dict(np.load(dump))
    v32, _ = verdicts(engine, pairs, here["fp32"])
    v8, _ = verdicts(engine, pairs, here["int8"])
    vb, reread = verdicts(engine, pairs, here["int8"], here["fp32"])
    print(f"# python bench/int8_agreement.py {' '.join(sys.argv[1:])}")
    print(f"{len(rows)} pairs ({args.pairs or f'mix held-out, {args.per_bucket} per bucket'}); verdicts against fp32's:")
    change = np.abs(here["fp32"] - here["int8"]).max()
    print(f"  int8 alone            {compare(v32, v8)}; largest probability change {change:.3f}")
    print(f"  int8 + reread band    {compare(v32, vb)}; reread {reread:.3f}")
    w32, _ = verdicts(engine, pairs, there["fp32"])
    w8, _ = verdicts(engine, pairs, there["int8"])
    wb, _ = verdicts(engine, pairs, there["int8"], there["fp32"])
    print("this CPU against an AVX2 one (ONEDNN_MAX_CPU_ISA=AVX2): verdicts that differ")
    for name, a, b, pa, pb in (
        ("fp32", v32, w32, here["fp32"], there["fp32"]),
        ("int8 alone", v8, w8, here["int8"], there["int8"]),
        ("int8 + reread band", vb, wb, None, None),
    ):
        diff = sum(x != y for x, y in zip(a, b, strict=True))
        change = f"; largest probability change {np.abs(pa - pb).max():.2e}" if pa is not None and pb is not None else ""
        print(f"  {name:<20}{diff} of {len(rows)}{change}")
    texts = [(r["claim"], r["passage"]) for r in rows[: args.alone]]
    alone = np.concatenate([predict(engine.model, [t], size=1) for t in texts])
    batched = here["int8"][: args.alone]
    largest = np.abs(alone - batched).max()
    print(f"batch dependence (int8, {len(texts)} pairs alone vs in the engine's batches): largest change {largest:.2e}")
    all_texts = [(r["claim"], r["passage"]) for r in rows]
    times: dict[str, list[float]] = {"fp32": [], "int8": []}
    for _ in range(args.rounds):
        for name in times:
            start = time.perf_counter()
            engine.probabilities_pairs(all_texts, fp32=name == "fp32")
            times[name].append((time.perf_counter() - start) / len(all_texts) * 1000)
    print(
        "model time per pair, alternating rounds: "
        + ", ".join(f"{k} {' / '.join(f'{t:.2f}' for t in v)} ms" for k, v in times.items())
        + f" ({np.median(times['fp32']) / np.median(times['int8']):.2f}x)"
    )
    flags = set(Path("/proc/cpuinfo").read_text().split()) & {"avx2", "avx512_vnni", "avx512_bf16"}
    print(f"this CPU: {' '.join(sorted(flags))}")


if __name__ == "__main__":
    main()
