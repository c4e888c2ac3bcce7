"""POST /v1/compare latency over the gold claims and their language variants, warm, sequential.
python bench/compare_latency.py --base-url http://127.0.0.1:8000 --rounds 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import call, gold_claims, summary, timed_rounds  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    claims = gold_claims()
    base = args.base_url.rstrip("/")
    call(base, "POST", "/v1/compare", {"claim": claims[0]})  # warm
    seconds, errors = timed_rounds(base, [("POST", "/v1/compare", {"claim": c}) for c in claims], args.rounds)
    print(f"{len(claims)} claims x {args.rounds} rounds, sequential, warm")
    print(summary("POST /v1/compare", seconds, errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
