"""Measure the e5 query-passage cosine of related (supports/contradicts) and unrelated factory pairs.

The compare relevance floor (COMPARE_MIN_RELEVANCE) is read off this: a low percentile of related pairs, so the
floor only drops passages the stance model would call neither anyway. Uses the factory's held-out split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.embedding import embed_passages, embed_query  # noqa: E402
from stance.train import read_pairs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--heldout", default=str(ROOT / "build" / "stance" / "heldout.jsonl"))
    ap.add_argument("--n", type=int, default=1500)
    args = ap.parse_args()
    rows = read_pairs(args.heldout, args.n)
    q = np.stack([embed_query(r["claim"]) for r in rows])
    p = embed_passages([r["passage"] for r in rows])
    cos = (q * p).sum(1)
    related = np.array([r["label"] != "neither" for r in rows])
    random_neg = np.array([r["transform"] in ("random", "translation-random") for r in rows])
    print(f"{len(rows)} held-out factory pairs")
    for pct in (1, 2, 5, 10):
        print(f"related pairs, {pct}th percentile cosine: {np.percentile(cos[related], pct):.3f}")
    print(f"random pairs: median {np.median(cos[random_neg]):.3f}, 95th percentile {np.percentile(cos[random_neg], 95):.3f}")
    for t in (0.74, 0.76, 0.78, 0.80, 0.82):
        print(f"floor {t:.2f}: keeps {np.mean(cos[related] >= t):.3f} of related, {np.mean(cos[random_neg] >= t):.3f} of random")


if __name__ == "__main__":
    main()
