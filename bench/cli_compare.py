"""Wall time of `python -m api compare` through a running server (the default when one serves INDEX_PREFIX) and
with the model loaded in the process (--local), repeated rounds, p50/p95.

    python bench/cli_compare.py [--url http://127.0.0.1:8000] [--rounds 7] [--local-rounds 2]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = [
    "Kurdiske styrker kontrollerer byen nå.",
    "Flyktingar lämnade staden med bussar.",
    "Coalition aircraft bombed the city.",
]


def run(claim: str, *extra: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "api", "compare", claim, *extra], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def line(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"{name:<28} n={len(times):<3} p50 {statistics.median(times):.2f} s  p95 {p95:.2f} s  max {times[-1]:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--local-rounds", type=int, default=2)
    args = ap.parse_args()
    served = [run(CLAIMS[i % len(CLAIMS)], "--url", args.url) for i in range(args.rounds)]
    local = [run(CLAIMS[i % len(CLAIMS)], "--local") for i in range(args.local_rounds)]
    print(f"# python bench/cli_compare.py --url {args.url} (whole command: interpreter start, request, table)")
    print(line("via the server", served))
    print(line("--local (model loaded here)", local))


if __name__ == "__main__":
    main()
