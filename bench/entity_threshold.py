"""Print every pair of distinct name keys in a corpus with a fuzzy ratio >= 75, to choose FUZZY_THRESHOLD by reading."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from text.documents import load_folder  # noqa: E402
from text.entity.grouping import _MIN_FUZZY_LEN, FUZZY_THRESHOLD, fuzzy_same  # noqa: E402
from text.entity.keys import normalise  # noqa: E402
from text.entity.mentions import TOKEN, find_mentions  # noqa: E402
from text.passages import split_passages  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", nargs="?", default=str(ROOT / "seeds"))
    ap.add_argument("--floor", type=float, default=75)
    args = ap.parse_args()
    passages = [p for d in load_folder(Path(args.folder)) for p in split_passages(d.document_id, d.text, d.language)]
    lower = {t.group() for p in passages for t in TOKEN.finditer(p.text) if t.group().islower()}
    surfaces: dict[str, str] = {}
    for p in passages:
        for m in find_mentions(p, lower):
            surfaces.setdefault(normalise(m.surface), m.surface)
    keys = sorted(k for k in surfaces if len(k) >= _MIN_FUZZY_LEN)
    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a.startswith(b) or b.startswith(a):
                continue
            r = fuzz.ratio(a, b)
            if r >= args.floor:
                pairs.append((r, surfaces[a], surfaces[b]))
    n = len(keys) * (len(keys) - 1) // 2
    print(f"{len(keys)} keys, {n} pairs; threshold in use: {FUZZY_THRESHOLD}")
    for r, a, b in sorted(pairs, reverse=True):
        print(f"{r:6.1f}  {'MERGE' if fuzzy_same(normalise(a), normalise(b)) else '     '}  {a!r:40} {b!r}")


if __name__ == "__main__":
    main()
