"""GET /v1/entities?q= latency on a running server: names from the index itself, plus misspelt and folded variants."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from common import call, quote, summary, timed_rounds  # noqa: E402


def seed_names() -> list[str]:
    """Names as the seed articles spell them, most frequent first."""
    from collections import Counter

    from text.documents import load_folder
    from text.entity.mentions import find_mentions
    from text.passages import split_passages

    counts: Counter[str] = Counter()
    for doc in load_folder(ROOT / "seeds"):
        for p in split_passages(doc.document_id, doc.text, doc.language):
            counts.update(m.surface for m in find_mentions(p))
    return [n for n, _ in counts.most_common()]


def variants(name: str) -> list[str]:
    """The name, lower-cased, with one letter doubled, and its first word only."""
    out = [name, name.lower()]
    if len(name) > 4:
        out.append(name[:3] + name[2] + name[3:])
    if " " in name:
        out.append(name.split()[0])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--entities", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    base = args.base_url.rstrip("/")
    names = seed_names()[: args.entities]
    queries = [v for n in names for v in variants(n)]
    for q in queries[:10]:  # warm up
        call(base, "GET", f"/v1/entities?q={quote(q)}")
    seconds, errors = timed_rounds(base, [("GET", f"/v1/entities?q={quote(q)}", None) for q in queries], args.rounds)
    print(f"{len(names)} entity names, {len(queries)} query strings, {args.rounds} rounds, sequential, warm")
    print(summary("GET /v1/entities?q=", seconds, errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
