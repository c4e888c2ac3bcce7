"""The feed path end to end, as a newsroom runs it: N archive articles as JSON Lines through `python -m api
ingest`, into a fresh seeds-only archive, timed; prints passages/s, the ingest's own CPU and, when Elasticsearch
runs on this machine, the node's CPU during the ingest (from /proc). `--repo` runs another checkout's code (a git
worktree of an earlier commit) with this one's virtual environment, for side-by-side figures.

    python bench/feed_ingest.py --n 1000                          # ~4.5 min on 2 cores
    python bench/feed_ingest.py --n 1000 --watches 100            # the same feed against 100 watched claims
    python bench/feed_ingest.py --n 500 --archive 500 --watches 100  # onto an archive that already holds 500 articles
    git worktree add /tmp/before <commit>; python bench/feed_ingest.py --n 1000 --repo /tmp/before

Articles: the last N non-seed `.txt` files of a folder bench/archive_build.py wrote (build/archive by default);
`--archive M` first ingests the M before them, untimed (a newsroom's feed arrives on an archive with a past). With
watches, the ingest logs at DEBUG and the bench sums what the watches cost: pairs over the floor, pairs the model read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import added_articles  # noqa: E402


def _es_cpu_seconds() -> float | None:
    """The local Elasticsearch node's user + system CPU seconds, None when it does not run here."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"org.elasticsearch.bootstrap.Elasticsearch" in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return None


def _count(url: str, index: str) -> int:
    with urllib.request.urlopen(f"{url.rstrip('/')}/{index}/_count", timeout=30) as resp:
        return int(json.loads(resp.read())["count"])


def _first_sentence(path: Path) -> str:
    """An article's first line of more than six words, cut to a claim's length."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if len(line.split()) > 6:
            return " ".join(line.split()[:40])
    return path.stem


def _jsonl(paths: list[Path]) -> Any:
    """The articles as a JSON Lines feed in a temporary file (the caller deletes it)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
        for path in paths:
            body = {"id": f"feed-{path.stem}", "text": path.read_text(encoding="utf-8"), "outlet": "feed bench"}
            out.write(json.dumps(body) + "\n")
    return out


def _watch_cost(log: str) -> str:
    """The pairs the watches cost, summed from the ingest's DEBUG lines (api.services.watches.judge)."""
    pattern = r"watches judged \(ingest\): (\d+) pairs over the floor, (\d+) read by the model"
    found = [tuple(map(int, m)) for m in re.findall(pattern, log)]
    return f"{sum(f for f, _ in found)} pairs over the floor, {sum(r for _, r in found)} read by the model"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--folder", default=str(ROOT / "build" / "archive"))
    ap.add_argument("--repo", default=str(ROOT), help="the checkout whose code runs (default: this one)")
    ap.add_argument("--keep", action="store_true", help="keep the indices (default: deleted afterwards)")
    ap.add_argument("--watches", type=int, default=0, help="watch this many claims first (the first sentences of other articles)")
    ap.add_argument("--archive", type=int, default=0, help="ingest this many earlier articles first, untimed")
    ap.add_argument("--log", help="write the timed ingest's log (DEBUG with watches) to this file")
    args = ap.parse_args()
    everything = added_articles(args.folder)
    files = everything[-args.n :]
    past = everything[-args.n - args.archive : -args.n] if args.archive else []
    prefix = f"feedbench-{uuid.uuid4().hex[:8]}"
    url = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200").split(",")[0]
    env = os.environ | {"INDEX_PREFIX": prefix, "STANCE_BF16": os.environ.get("STANCE_BF16", "false")}
    feed, history = _jsonl(files), _jsonl(past)
    try:
        subprocess.run(
            [sys.executable, "-m", "api", "index", str(ROOT / "seeds")], cwd=args.repo, env=env, check=True, capture_output=True
        )
        if past:
            subprocess.run(
                [sys.executable, "-m", "api", "ingest", history.name], cwd=args.repo, env=env, check=True, capture_output=True
            )
        if args.watches:
            claims = [_first_sentence(p) for p in added_articles(args.folder)[: args.watches]]
            script = (
                "import json, sys\n"
                "from api.config import Settings\nfrom api.services.archive import connect\nfrom api.services import watches\n"
                "s = Settings.from_env(); a = connect(s)\n"
                "for c in json.load(sys.stdin): watches.create(a, s, {'claim': c}, backfill='none')\n"
            )
            watch = [sys.executable, "-c", script]
            subprocess.run(watch, cwd=args.repo, env=env, check=True, input=json.dumps(claims), text=True)
        seeds = _count(url, f"{prefix}-passages")
        es_before, started = _es_cpu_seconds(), time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        logged = env | ({"LOG_LEVEL": "DEBUG"} if args.watches else {})
        done = subprocess.run(
            [sys.executable, "-m", "api", "ingest", feed.name], cwd=args.repo, env=logged, capture_output=True, text=True
        )
        took = time.perf_counter() - started
        if args.log:
            Path(args.log).write_text(done.stderr, encoding="utf-8")
        after, es_after = resource.getrusage(resource.RUSAGE_CHILDREN), _es_cpu_seconds()
        if done.returncode:
            raise SystemExit(done.stderr[-2000:])
        added = _count(url, f"{prefix}-passages") - seeds
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        es = f", Elasticsearch {es_after - es_before:.0f} s CPU" if es_before is not None and es_after is not None else ""
        found = f"; {_count(url, f'{prefix}-matches')} matches, {_watch_cost(done.stderr)}" if args.watches else ""
        print(
            f"{args.repo}: {len(files)} articles, {added} passages in {took:.1f} s = {added / took:.1f} passages/s; "
            f"ingest {cpu:.0f} s CPU{es}; {done.stdout.strip().splitlines()[-1]}{found}"
        )
    finally:
        os.unlink(feed.name)
        os.unlink(history.name)
        if not args.keep:  # by name: Elasticsearch refuses wildcard deletes
            with urllib.request.urlopen(f"{url.rstrip('/')}/_cat/indices/{prefix}-*?h=index", timeout=30) as resp:
                names = ",".join(resp.read().decode().split())
            if names:
                urllib.request.urlopen(urllib.request.Request(f"{url.rstrip('/')}/{names}", method="DELETE"), timeout=60).close()


if __name__ == "__main__":
    main()
