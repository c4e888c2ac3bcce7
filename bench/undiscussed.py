"""Side precision on claims the archive does not discuss: how many passages compare still puts on a side.

Reads bench/data/undiscussed_claims.json (same-topic claims no seed article discusses, written for this bench).
Every passage should be neither, so each sided passage is a false positive: the figure tracks what the relevance
gate and the model let through when a claim's topic, not its proposition, is in the archive. On-topic passages that
take no position belong in `related`, which is counted apart (they are right there).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import call  # noqa: E402

CLAIMS = ROOT / "bench" / "data" / "undiscussed_claims.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--limit", type=int, default=None, help="passages per side (default: the server's)")
    args = ap.parse_args()
    claims = json.loads(CLAIMS.read_text())["claims"]
    sided, explicit, any_sided = [], [], 0
    per_language: dict[str, list[int]] = defaultdict(list)
    related = 0
    for item in claims:
        body = {"claim": item["claim"]} | ({"limit": args.limit} if args.limit else {})
        status, payload, _ = call(args.base_url.rstrip("/"), "POST", "/v1/compare", body)
        if status != 200:
            print(f"error {status} for {item['claim']!r}: {str(payload)[:200]}")
            return 1
        passages = payload["supporting"] + payload["contradicting"]
        n_confident = sum(p["confidence"] >= 0.5 for p in passages)
        sided.append(len(passages))
        per_language[item["language"]].append(len(passages))
        explicit.append(n_confident)
        any_sided += bool(passages)
        related += len(payload.get("related") or [])
        print(
            f"{item['language']}  supporting {len(payload['supporting']):>3}  contradicting {len(payload['contradicting']):>3}"
            f"  confidence>=0.5 {n_confident:>3}  related {len(payload.get('related') or []):>3}  {item['claim']}"
        )
        for p in passages:
            print(f"      {p['stance']:<11} {p['confidence']:.2f}  {p['text'][:110]}")
    n = len(claims)
    languages = ", ".join(f"{lang} {sum(v) / len(v):.1f}" for lang, v in sorted(per_language.items()))
    print(
        f"{n} undiscussed claims: {any_sided}/{n} get a sided passage; "
        f"sided passages per claim {sum(sided) / n:.1f} ({languages}; confidence >= 0.5: {sum(explicit) / n:.1f}); "
        f"should be 0; related per claim {related / n:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
