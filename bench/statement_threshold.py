"""Measure the e5 passage-passage cosine that marks 'the same statement' across nb, sv and en.

Positives: FLORES-200 devtest translations (the same sentence in two languages). Topical negatives: the next
sentence of the same article in the other language. Prints recall and false-positive rate per threshold; the
thresholds in text/statements.py are read off this table. Reads ../shared/data (never committed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import flores  # noqa: E402

from text.embedding import embed_passages  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    vecs = {lang: embed_passages(lines[: args.n]) for lang, lines in flores().items()}
    print(f"FLORES-200 devtest, first {args.n} sentences; positive = translation, negative = next sentence")
    for a, b in (("en", "nb"), ("en", "sv"), ("nb", "sv")):
        sims = vecs[a] @ vecs[b].T
        pos = np.diag(sims)
        adj = np.array([sims[i, i + 1] for i in range(len(sims) - 1)])
        for t in (0.84, 0.86, 0.88, 0.90):
            print(f"{a}-{b}  t={t:.2f}  recall={np.mean(pos >= t):.3f}  neighbour_fp={np.mean(adj >= t):.3f}")


if __name__ == "__main__":
    main()
