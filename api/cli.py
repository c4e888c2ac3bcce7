"""Command line: index the archive, serve the API, compare a claim, look up an entity."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from api.config import Settings
from index.repository import Archive

ROOT = Path(__file__).resolve().parents[1]


def _archive(settings: Settings) -> Archive:
    """The archive the settings point at."""
    from index.client import make_client
    from index.names import IndexNames

    es = make_client(settings.elasticsearch_url, settings.es_request_timeout, settings.es_max_retries)
    return Archive(es, IndexNames(settings.index_prefix))


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """Build every document in a folder into fresh indices and swap the aliases."""
    from tqdm import tqdm

    from index.documents import load_folder
    from index.ingest import build

    docs = load_folder(Path(args.folder))
    if not docs:
        print(f"no *.txt documents in {args.folder}", file=sys.stderr)
        return 1
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for previous in bars.values():
                previous.close()
            bars[stage] = tqdm(total=total, desc=stage, unit="item", file=sys.stderr)
        bars[stage].n = done
        bars[stage].refresh()

    report = build(_archive(settings).es, _archive(settings).names, docs, progress)
    for bar in bars.values():
        bar.close()
    print(
        json.dumps(
            {"documents": report.documents, "passages": report.passages, "entities": report.entities, "indices": report.indices}
        )
    )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run gunicorn on the WSGI app."""
    argv = [
        "gunicorn",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "api.wsgi:app",
    ]
    os.execvp(argv[0], argv)
    return 0


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    """Print the supporting and contradicting passages for a claim."""
    from api.services.compare import compare

    result = compare(_archive(settings), settings, {"claim": args.claim, "limit": args.limit})
    for side in ("supporting", "contradicting"):
        print(f"== {side} ({len(result[side])})")
        for p in result[side]:
            where = f"{p['outlet'] or '-':<12} {p['published'] or '-':<10} {p['language']}"
            print(f"  {p['confidence']:.2f}  {where}  {p['text'][:100]}")
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    """Print the entities matching a name."""
    from api.services.entities import search

    for e in search(_archive(settings), args.name, args.limit, 0)["entities"]:
        print(f"  {e['id']:<40} {e['mention_count']:>4} mentions  {', '.join(e['aliases'][:6])}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m api` and the `claimcheck` script."""
    parser = argparse.ArgumentParser(prog="claimcheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="index a folder of .txt articles (with metadata.json)")
    p.add_argument("folder", nargs="?", default=str(ROOT / "seeds"))
    p = sub.add_parser("serve", help="serve the API with gunicorn")
    p.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    p.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "4")))
    p = sub.add_parser("compare", help="compare a claim with the archive")
    p.add_argument("claim")
    p.add_argument("--limit", type=int, default=10)
    p = sub.add_parser("entities", help="find entities by name")
    p.add_argument("name")
    p.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    handlers = {"index": cmd_index, "serve": cmd_serve, "compare": cmd_compare, "entities": cmd_entities}
    return handlers[args.command](args, settings)
