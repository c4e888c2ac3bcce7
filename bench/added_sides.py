"""Sided passages from documents outside the seeds, for the dev gold claims and their variants, against an
archive built by bench/archive_build.py: to be read by a person (does each really take that position?)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import call  # noqa: E402

GOLD = ROOT.parent / "shared" / "eval" / "seed_gold_dev.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8001")
    args = ap.parse_args()
    seeds = {p.stem for p in (ROOT / "seeds").glob("*.txt")}
    total = added = 0
    for item in json.loads(GOLD.read_text()):
        if item["kind"] != "claim":
            continue
        for claim in [item["query"], *(item.get("variants") or {}).values()]:
            status, body, _ = call(args.base_url.rstrip("/"), "POST", "/v1/compare", {"claim": claim})
            if status != 200:
                print(f"error {status}: {claim}")
                return 1
            for p in body["supporting"] + body["contradicting"]:
                total += 1
                if p["document_id"] not in seeds:
                    added += 1
                    print(f"{p['stance']:<11} {p['confidence']:.2f}  [{claim}]\n    {p['document_id']}: {p['text']}")
    print(f"{added} of {total} sided passages come from documents outside the seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
