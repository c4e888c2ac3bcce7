"""Measure when two passages restate one another (text/origins.py): the e5 cosine floor, and how often verbatim
word 5-gram containment links two different sentences.

FLORES-200 devtest in en, nb and sv. Positives: the same sentence in two languages (and in one language: the
sentence and itself with its first word dropped, a near copy). Negatives: every other sentence within four lines
of it (same article, same topic) in any language pair: far harder than the next sentence alone. Fit half:
sentences 0-505; check half: 506-1011 (split by position, so by article). Prints recall and false-link rate per
rule; the constants in text/origins.py are read off the fit half.

    python bench/origin_threshold.py
"""

from __future__ import annotations

import sys
from itertools import combinations_with_replacement
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import flores  # noqa: E402

from text.embedding import embed_passages  # noqa: E402
from text.origins import CONTAINMENT, containment  # noqa: E402

REACH = 4


def main() -> None:
    text = flores()
    n = len(text["en"])
    vecs = {lang: embed_passages(lines) for lang, lines in text.items()}
    near = {lang: embed_passages([" ".join(s.split()[1:]) for s in lines]) for lang, lines in text.items()}
    halves = {"fit": range(0, n // 2), "check": range(n // 2, n)}
    print("# python bench/origin_threshold.py  (FLORES-200 devtest en/nb/sv; negatives: sentences within 4 lines)")
    for name, rows in halves.items():
        pos_cos, pos_ok, neg_cos, neg_ok = [], [], [], []
        for a, b in combinations_with_replacement(text, 2):
            sims = vecs[a] @ vecs[b].T
            for i in rows:
                if a == b:
                    pos_cos.append(float(vecs[a][i] @ near[a][i]))
                    pos_ok.append(containment(text[a][i], " ".join(text[a][i].split()[1:])) >= CONTAINMENT)
                else:
                    pos_cos.append(float(sims[i, i]))
                    pos_ok.append(containment(text[a][i], text[b][i]) >= CONTAINMENT)
                for j in range(max(rows.start, i - REACH), min(rows.stop, i + REACH + 1)):
                    if j != i:
                        neg_cos.append(float(sims[i, j]))
                        neg_ok.append(containment(text[a][i], text[b][j]) >= CONTAINMENT)
        pc, po, nc, no = map(np.array, (pos_cos, pos_ok, neg_cos, neg_ok))
        print(f"{name} half: {len(pc)} restatements, {len(nc)} same-topic pairs")
        for t in (0.86, 0.88, 0.90, 0.92, 0.94, 0.96):
            print(
                f"  cosine>={t:.2f}: recall {np.mean(pc >= t):.3f} false links {np.mean(nc >= t):.4f}"
                f"   or containment: recall {np.mean((pc >= t) | po):.3f} false links {np.mean((nc >= t) | no):.4f}"
            )


if __name__ == "__main__":
    main()
