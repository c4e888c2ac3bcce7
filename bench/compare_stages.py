"""Where compare's time goes, per stage, from the Server-Timing header of a running server: the dev gold claims and
their variants, sequential, warm; p50/p95 of each stage (claim, counter, search, candidates, model, answer) and of
the whole request as the client saw it. Run it against one server per setting to compare them side by side, e.g.
one started with STANCE_BF16=false and one with STANCE_BF16=auto:

    python bench/compare_stages.py --base-url http://127.0.0.1:8000 --label fp32 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FRESH, gold_claims, percentile  # noqa: E402


def _compare(base: str, claim: str) -> tuple[float, dict[str, float]]:
    req = urllib.request.Request(
        base + "/v1/compare", data=json.dumps({"claim": claim}).encode(), headers={"Content-Type": "application/json"} | FRESH
    )
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as resp:
        resp.read()
        header = resp.headers.get("Server-Timing", "")
    took = (time.perf_counter() - started) * 1000
    stages = {}
    for part in header.split(","):
        name, _, ms = part.strip().partition(";dur=")
        if ms:
            stages[name] = float(ms)
    return took, stages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--label", default="")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    claims = gold_claims()
    base = args.base_url.rstrip("/")
    _compare(base, claims[0])  # warm
    per_stage: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        for claim in claims:
            total, stages = _compare(base, claim)
            per_stage["request (client)"].append(total)
            for name, ms in stages.items():
                per_stage[name].append(ms)
            per_stage["server, all stages"].append(sum(stages.values()))
    n = len(per_stage["request (client)"])
    print(f"# bench/compare_stages.py {args.label}: {len(claims)} claims x {args.rounds} rounds = {n}, sequential, warm")
    print(f"{'stage':<20} {'p50 ms':>8} {'p95 ms':>8} {'mean share':>10}")
    whole = statistics.mean(per_stage["request (client)"])
    for name, values in per_stage.items():
        share = statistics.mean(values) / whole
        print(f"{name:<20} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} {share:10.1%}")


if __name__ == "__main__":
    main()
