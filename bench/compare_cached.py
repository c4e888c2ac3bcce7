"""A repeated claim's latency: each dev gold claim (and variant) asked once afresh, then `--rounds` more times as a
newsroom's desks repeat it (the compare cache's hits), sequential, against a running server.
python bench/compare_cached.py --base-url http://127.0.0.1:8000 --rounds 5
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    base = args.base_url.rstrip("/")
    requests = [("POST", "/v1/compare", {"claim": c}) for c in common.gold_claims()]
    first, errors = common.timed_rounds(base, requests, 1)  # afresh (the benchmarks' default: Cache-Control: no-cache)
    common.FRESH.clear()  # from here on, ask as a client does: the cache may answer
    repeated, more = common.timed_rounds(base, requests, args.rounds)
    print(f"{len(requests)} claims: once afresh, then {args.rounds} repeats each, sequential")
    print(common.summary("first (fresh)", first, errors))
    print(common.summary("repeated (cache)", repeated, more))
    return 1 if errors or more else 0


if __name__ == "__main__":
    sys.exit(main())
