"""A bounded load run against a running server: N concurrent clients, a mix of compare, entity and document calls.

Prints throughput and p50/p95 per operation and the error count; exits 1 on any error.
    python bench/load.py --base-url http://127.0.0.1:8000 --clients 8 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import call, quote, summary  # noqa: E402

CLAIMS = [
    "The US-led coalition let fighters leave the city under a deal.",
    "Kampene i byen begynte søndag morgen.",
    "Koalitionen förnekade att den var inblandad i evakueringen.",
    "Thousands of civilians are trapped in the fighting.",
    "The city has been almost completely destroyed.",
]
NAMES = ["Raqqa", "SDF", "Deir Ezzor", "Islamic State", "SOHR", "Mostafa Bali", "Daesh", "Syria"]


def _operations(base: str) -> list[tuple[str, float, Any]]:
    """(name, weight, callable returning status) for the mix."""
    status, page, _ = call(base, "GET", "/v1/documents?limit=100")
    doc_ids = [d["id"] for d in page["documents"]] if status == 200 else []
    entity_ids: list[str] = []
    for name in NAMES:
        s, body, _ = call(base, "GET", f"/v1/entities?q={quote(name)}&limit=1")
        if s == 200 and body["entities"]:
            entity_ids.append(body["entities"][0]["id"])
    rnd = random.Random(7)
    return [
        ("POST /v1/compare", 0.35, lambda: call(base, "POST", "/v1/compare", {"claim": rnd.choice(CLAIMS)})),
        ("GET /v1/entities?q=", 0.25, lambda: call(base, "GET", f"/v1/entities?q={quote(rnd.choice(NAMES))}")),
        ("GET /v1/entities/{id}", 0.15, lambda: call(base, "GET", f"/v1/entities/{rnd.choice(entity_ids)}")),
        ("GET /v1/documents/{id}", 0.15, lambda: call(base, "GET", f"/v1/documents/{rnd.choice(doc_ids)}")),
        ("GET /v1/documents", 0.10, lambda: call(base, "GET", "/v1/documents?limit=20")),
    ]


def run(base: str, clients: int, seconds: float) -> dict[str, Any]:
    """Drive the mix from `clients` threads for `seconds`; return per-operation latencies and errors."""
    ops = _operations(base)
    names, weights = [o[0] for o in ops], [o[1] for o in ops]
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while time.monotonic() < deadline:
            i = rnd.choices(range(len(ops)), weights)[0]
            try:
                status, body, secs = ops[i][2]()
                failed = None if 200 <= status < 300 else f"{status}: {str(body)[:120]}"
            except Exception as err:  # noqa: BLE001 - every failure is counted, none is lost
                secs, failed = 0.0, f"{type(err).__name__}: {err}"
            with lock:
                (errors[names[i]].append(failed) if failed else timings[names[i]].append(secs))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in timings.values()) + sum(len(v) for v in errors.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 1),
        "timings": dict(timings),
        "errors": dict(errors),
    }


def report(result: dict[str, Any]) -> str:
    """A readable table of a run."""
    lines = [
        f"{result['clients']} clients, {result['seconds']} s, {result['requests']} requests, "
        f"{result['throughput_rps']} req/s, errors={sum(len(v) for v in result['errors'].values())}"
    ]
    for name in sorted(set(result["timings"]) | set(result["errors"])):
        lines.append(summary(name, result["timings"].get(name, [0.0]), len(result["errors"].get(name, []))))
    for name, errs in result["errors"].items():
        lines.extend(f"  error {name}: {e}" for e in errs[:5])
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--json", help="also write the summary to this file")
    args = ap.parse_args()
    result = run(args.base_url.rstrip("/"), args.clients, min(args.seconds, 60))
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps({k: v for k, v in result.items() if k != "timings"}, indent=1))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
