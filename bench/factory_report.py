"""Quality report of the stance data factory: counts per label, language pair and transformation, and samples.

Counts go to stdout (and bench/results/factory_counts.txt); up to 100 pairs per transformation and language
pair go to build/stance/samples.txt for a human read (not committed: some sources may not be republished).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default=str(ROOT / "build" / "stance"))
    ap.add_argument("--per-cell", type=int, default=100)
    args = ap.parse_args()
    folder = Path(args.dir)
    rows = [json.loads(line) for f in ("train.jsonl", "heldout.jsonl") for line in (folder / f).open(encoding="utf-8")]
    lines = [f"{len(rows)} pairs in {folder}"]
    by_label = Counter(r["label"] for r in rows)
    lines.append("labels: " + ", ".join(f"{k} {v}" for k, v in sorted(by_label.items())))
    by_split = Counter(r["split"] for r in rows)
    lines.append("splits: " + ", ".join(f"{k} {v}" for k, v in sorted(by_split.items())))
    lines.append("\nlanguage pair (claim>passage) x label")
    cells = Counter((f"{r['claim_lang']}>{r['passage_lang']}", r["label"]) for r in rows)
    for lp in sorted({k[0] for k in cells}):
        lines.append(f"  {lp:<6} " + "  ".join(f"{lab} {cells[(lp, lab)]:>6}" for lab in ("supports", "contradicts", "neither")))
    lines.append("\ntransformation x language pair (label)")
    trans = Counter((r["transform"], f"{r['claim_lang']}>{r['passage_lang']}", r["label"]) for r in rows)
    for (t, lp, lab), n in sorted(trans.items()):
        lines.append(f"  {t:<24} {lp:<6} {lab:<12} {n:>6}")
    lines.append("\nsources: " + ", ".join(f"{k} {v}" for k, v in Counter(r["source"] for r in rows).most_common()))
    report = "\n".join(lines)
    print(report)
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "factory_counts.txt").write_text(report + "\n", encoding="utf-8")
    groups = defaultdict(list)
    for r in rows:
        groups[(r["transform"], f"{r['claim_lang']}>{r['passage_lang']}")].append(r)
    rnd = random.Random(0)
    with (folder / "samples.txt").open("w", encoding="utf-8") as f:
        for key in sorted(groups):
            f.write(f"\n===== {key[0]} {key[1]} =====\n")
            for r in rnd.sample(groups[key], min(args.per_cell, len(groups[key]))):
                f.write(f"[{r['label']}] ({r['source']})\n  CLAIM:   {r['claim']}\n  PASSAGE: {r['passage']}\n")
    print(f"\nsamples: {folder / 'samples.txt'}")


if __name__ == "__main__":
    main()
