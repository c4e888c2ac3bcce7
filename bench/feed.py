"""The feed path a newsroom uses: articles POSTed one by one to /v1/documents of a running server (warm), as a feed
or `python -m api ingest` sends them; documents/s, passages/s and per-document p50/p95.

Articles: the first N `.txt` files of a folder (bench/archive_build.py writes one), each POSTed with a fresh id
under a run label so that repeated runs create, not replace.

    API_TOKENS=t python -m api serve ... ;  python bench/feed.py --base-url http://127.0.0.1:8000 --token t --n 40
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import added_articles, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--token", required=True)
    ap.add_argument("--folder", default=str(ROOT / "build" / "archive"))
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--skip", type=int, default=0, help="start after this many files (a different batch)")
    ap.add_argument("--batch", type=int, default=1, help="documents per call: above 1, POST /v1/documents:batch")
    args = ap.parse_args()
    files = added_articles(args.folder)[args.skip : args.skip + args.n]
    run = uuid.uuid4().hex[:8]
    bodies = [
        {"id": f"feed-{run}-{path.stem}", "text": path.read_text(encoding="utf-8"), "outlet": "feed bench"} for path in files
    ]
    seconds, passages = [], 0
    started = time.perf_counter()
    for k in range(0, len(bodies), args.batch):
        group = bodies[k : k + args.batch]
        path, payload = ("/v1/documents", group[0]) if args.batch == 1 else ("/v1/documents:batch", {"documents": group})
        req = urllib.request.Request(
            args.base_url.rstrip("/") + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {args.token}"},
        )
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=600) as resp:
            answer = json.loads(resp.read())
        passages += sum(r["passages"] for r in answer["results"]) if args.batch > 1 else answer["passages"]
        seconds.append((time.perf_counter() - t) / len(group))
    took = time.perf_counter() - started
    ms = [s * 1000 for s in seconds]
    print(
        f"{len(files)} documents, {passages} passages in {took:.1f} s: {len(files) / took:.2f} documents/s, "
        f"{passages / took:.1f} passages/s; per document p50 {percentile(ms, 50):.0f} ms p95 {percentile(ms, 95):.0f} ms"
        + (f" (POST /v1/documents:batch, {args.batch} per call)" if args.batch > 1 else "")
    )


if __name__ == "__main__":
    main()
