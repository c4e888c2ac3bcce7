"""Every origin shared by passages of more than one document, for reading: are they really the same statement?

python bench/origins_report.py [--prefix claimcheck]   (reads the live archive through ELASTICSEARCH_URL)
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elasticsearch.helpers import scan  # noqa: E402

from api.config import Settings  # noqa: E402
from api.services.archive import connect  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--prefix", default=None)
    args = ap.parse_args()
    settings = Settings.from_env(**({"index_prefix": args.prefix} if args.prefix else {}))
    archive = connect(settings)
    hits = list(
        scan(
            archive.es,
            index=archive.names.passages,
            query={"query": {"term": {"live": True}}},
            _source=["origin", "document_id", "passage_id", "text", "language"],
        )
    )
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for hit in hits:
        groups[hit["_source"]["origin"]].append(hit["_source"])
    shared = {o: ps for o, ps in groups.items() if len({p["document_id"] for p in ps}) > 1}
    print(
        f"# python bench/origins_report.py: {len(hits)} passages, {len(groups)} origins, "
        f"{len(shared)} shared by several documents"
    )
    for origin, passages in sorted(shared.items()):
        print(f"origin {origin}")
        for p in sorted(passages, key=lambda p: p["passage_id"]):
            print(f"    {p['document_id'][:3]} {p['language']}  {p['text'][:110]!r}")


if __name__ == "__main__":
    main()
