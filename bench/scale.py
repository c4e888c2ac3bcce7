"""The archive's size as a measured dimension: build an archive of about N added passages of public en/nb/sv text
around the seeds (bench/archive_build.py), index it as a user would (`python -m api index`), and print, side by
side with a seeds-only archive served the same way: the build rate, the index sizes on disk, the node's heap, the
compare and entity-search latency (p50/p95, one gunicorn worker each, requests alternating between the two), the
dev gold figures (../shared/eval/score.py) and the false sides on claims no article discusses (bench/undiscussed.py).

    python bench/scale.py --passages 46000                       # build, index, measure (~45 min on 2 cores)
    python bench/scale.py --prefix scale46k --skip-build         # measure an archive already indexed

Elasticsearch from ELASTICSEARCH_URL (one node); the servers run STANCE_BF16=false, WEB_CONCURRENCY=1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import call, gold_claims, percentile, quote  # noqa: E402
from entities_latency import seed_names, variants  # noqa: E402

from api.config import Settings  # noqa: E402
from api.services.archive import connect  # noqa: E402

PY = sys.executable
GOLD = ROOT.parent / "shared" / "eval"


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=ROOT, env=os.environ | (env or {}), capture_output=True, text=True, check=True)
    return done.stdout


@contextmanager
def _server(prefix: str, port: int) -> Iterator[str]:
    env = os.environ | {"INDEX_PREFIX": prefix, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    env |= {"STANCE_BF16": "false", "COMPARE_RATE_LIMIT": "1000000/minute"}
    log = open(ROOT / "build" / f"scale-server-{port}.log", "w")  # noqa: SIM115 - closed below
    gunicorn = Path(PY).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "api.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if call(base, "GET", "/v1/health", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


def _sizes(prefix: str) -> dict[str, float]:
    archive = connect(Settings.from_env(index_prefix=prefix))
    es, out = archive.es, {}
    for kind in ("passages", "documents", "entities"):
        alias = getattr(archive.names, kind)
        stats = es.indices.stats(index=alias, metric="store,docs")["_all"]["primaries"]
        out[f"{kind}_docs"] = stats["docs"]["count"]
        out[f"{kind}_mib"] = stats["store"]["size_in_bytes"] / 2**20
    node = next(iter(es.nodes.stats(metric="jvm")["nodes"].values()))
    out["heap_used_mib"] = node["jvm"]["mem"]["heap_used_in_bytes"] / 2**20
    return out


def _alternate(bases: dict[str, str], requests: list[tuple[str, str, object]], rounds: int) -> dict[str, list[float]]:
    """Each request to each server in turn, `rounds` times; milliseconds per server (non-200 raise)."""
    out: dict[str, list[float]] = {name: [] for name in bases}
    for _ in range(rounds):
        for method, path, body in requests:
            for name, base in bases.items():
                status, _, seconds = call(base, method, path, body, timeout=120)
                if status != 200:
                    raise RuntimeError(f"{name}: {method} {path} -> {status}")
                out[name].append(seconds * 1000)
    return out


def _p(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=16000)
    ap.add_argument("--prefix", default=None, help="the archive's index prefix (default scale<N>)")
    ap.add_argument("--seeds-prefix", default="scaleseeds")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    prefix = args.prefix or f"scale{args.passages}"
    folder = ROOT / "build" / f"archive-{args.passages}"
    print(f"# python bench/scale.py --passages {args.passages} --prefix {prefix} ({time.strftime('%Y-%m-%d')})")
    if not args.skip_build:
        print(_run([PY, "bench/archive_build.py", "--passages", str(args.passages), "--out", str(folder)]).strip())
        started = time.perf_counter()
        _run([PY, "-m", "api", "index", str(folder)], {"INDEX_PREFIX": prefix})
        took = time.perf_counter() - started
        built = _sizes(prefix)["passages_docs"]
        print(f"build: {built:.0f} passages in {took / 60:.1f} min = {built / took:.1f} passages/s end to end")
    _run([PY, "-m", "api", "index", "seeds"], {"INDEX_PREFIX": args.seeds_prefix})
    for name, p in (("seeds only", args.seeds_prefix), ("archive", prefix)):
        s = _sizes(p)
        print(
            f"{name:<10} passages {s['passages_docs']:>7.0f}: passages index {s['passages_mib']:8.1f} MiB "
            f"({s['passages_mib'] * 2**20 / max(s['passages_docs'], 1):6.0f} B/passage), documents "
            f"{s['documents_mib']:.1f} MiB, entities {s['entities_docs']:.0f} in {s['entities_mib']:.1f} MiB; "
            f"node heap used {s['heap_used_mib']:.0f} MiB"
        )
    claims = gold_claims()
    names = [v for n in seed_names()[:30] for v in variants(n)]
    with _server(args.seeds_prefix, 8101) as seeds, _server(prefix, 8102) as archive:
        bases = {"seeds only": seeds, "archive": archive}
        _alternate(bases, [("POST", "/v1/compare", {"claim": c}) for c in claims[:2]], 1)  # warm
        compare = _alternate(bases, [("POST", "/v1/compare", {"claim": c}) for c in claims], args.rounds)
        entities = _alternate(bases, [("GET", f"/v1/entities?q={quote(q)}", None) for q in names], args.rounds)
        for name in bases:
            c, e = compare[name], entities[name]
            print(f"{name:<10} compare ({len(c)}): {_p(c)}   entities?q= ({len(e)}): {_p(e)}")
        ratio = percentile(compare["archive"], 50) / percentile(compare["seeds only"], 50)
        print(f"compare p50 archive / seeds only: {ratio:.2f}")
        for name, base in bases.items():
            score = _run([PY, str(GOLD / "score.py"), "--base-url", base]).strip().splitlines()[-1]
            undiscussed = _run([PY, "bench/undiscussed.py", "--base-url", base]).strip().splitlines()[-1]
            print(f"{name:<10} score.py: {score}")
            print(f"{name:<10} undiscussed: {undiscussed}")


if __name__ == "__main__":
    main()
