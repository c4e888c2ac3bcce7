"""Command line: index the archive, serve the API, compare a claim, look up an entity."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marshmallow import Schema

from api.config import Settings, SettingsError
from index.repository import Archive
from text.language import SUPPORTED

ROOT = Path(__file__).resolve().parents[1]


def _archive(settings: Settings) -> Archive:
    """The archive the settings point at."""
    from api.services.archive import connect

    return connect(settings)


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """Build every document in a folder into fresh indices and swap the aliases."""
    from tqdm import tqdm

    from text.documents import load_folder

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

    archive = _archive(settings)
    report = archive.writer.build(docs, progress)
    for bar in bars.values():
        bar.close()
    archive.watches.ensure()  # the watched claims' indices live beside the archive's and outlive its rebuilds
    print(
        json.dumps(
            {"documents": report.documents, "passages": report.passages, "entities": report.entities, "indices": report.indices}
        )
    )
    return 0


def _ingest_bodies(source: Path) -> list[tuple[str, object]]:
    """(label, body) pairs from a folder of .txt files (with metadata.json) or a JSON Lines file."""
    if source.is_dir():
        from text.documents import load_folder

        return [(d.document_id, d) for d in load_folder(source)]
    out: list[tuple[str, object]] = []
    for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append((f"line {n}", json.loads(line)))
            except ValueError as err:
                out.append((f"line {n}", err))
    return out


def shard_of(document_id: str, shards: int) -> int:
    """Which of `shards` ingest runs takes a document: a stable hash of its id, the same on every machine."""
    return int(hashlib.sha1(document_id.encode("utf-8")).hexdigest(), 16) % shards


def _shard(text: str) -> tuple[int, int]:
    """--shard K/N: this run's share of the input (K from 0 to N - 1)."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit()) or not 0 <= int(k) < int(n):
        raise argparse.ArgumentTypeError(f"expected K/N with 0 <= K < N, got {text!r}")
    return int(k), int(n)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add or replace documents in the live archive, in order, each as POST /v1/documents writes it, their passages
    embedded 16 documents at a time while the previous ones are written (`Writer.upsert_many`). Rerunning an
    interrupted ingest resumes it (done ones answer unchanged before any embedding)."""
    from marshmallow import ValidationError
    from tqdm import tqdm

    from api.schemas import DocumentIn
    from api.services.documents import to_document
    from text.documents import Document

    shard, shards = args.shard
    archive = _archive(settings)
    counts: dict[str, int] = {}
    failures: list[str] = []
    bodies = _ingest_bodies(Path(args.source))

    with tqdm(total=len(bodies), desc="ingest", unit="doc", file=sys.stderr) as bar:

        def ours() -> Iterator[Document]:
            """The valid documents of this shard; the rest are counted (and the bar moved) here."""
            for label, body in bodies:
                try:
                    if isinstance(body, Exception):
                        raise ValidationError(f"invalid JSON: {body}")
                    if not isinstance(body, Document | dict):
                        raise ValidationError("a line must be a JSON object")
                    doc = body if isinstance(body, Document) else to_document(DocumentIn().load(body))
                except ValidationError as err:
                    failures.append(f"{label}: {err.messages}")
                    bar.update(1)
                    continue
                if shard_of(doc.document_id, shards) != shard:
                    counts["other shard"] = counts.get("other shard", 0) + 1
                    bar.update(1)
                    continue
                yield doc

        for result in archive.writer.upsert_many(ours()):
            counts[result.status] = counts.get(result.status, 0) + 1
            bar.update(1)
    print(json.dumps({"counts": counts, "failed": len(failures)}))
    for line in failures:
        print(f"  failed {line}", file=sys.stderr)
    return 1 if failures else 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    """Rebuild every document already in the archive into fresh indices and swap the aliases."""
    archive = _archive(settings)
    report = archive.writer.build(archive.all_documents())
    print(json.dumps({"documents": report.documents, "passages": report.passages, "entities": report.entities}))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run gunicorn on the WSGI app with gunicorn.conf.py (the settings); flags given here override it."""
    argv = ["gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    for flag, value in (("--bind", args.bind), ("--workers", args.workers), ("--threads", args.threads)):
        if value is not None:
            argv += [flag, str(value)]
    os.execvp(argv[0], [*argv, "api.wsgi:app"])
    return 0


def _validated(schema: Schema, body: dict[str, object]) -> dict[str, object] | None:
    """The body loaded by an API schema, or None after printing its errors (the same checks as the API)."""
    from marshmallow import ValidationError

    try:
        return dict(schema.load(body))
    except ValidationError as err:
        for field, messages in dict(err.messages).items():  # type: ignore[arg-type]
            print(f"invalid {field}: {' '.join(map(str, messages))}", file=sys.stderr)
        return None


def _server(url: str, settings: Settings) -> bool:
    """Whether a claimcheck server answers at url and serves the archive these settings name."""
    import urllib.request

    request = urllib.request.Request(url.rstrip("/") + "/v1/health", headers=_auth(settings))
    try:
        with urllib.request.urlopen(request, timeout=1.5) as resp:
            health = json.load(resp)
    except (OSError, ValueError):
        return False
    return bool(health.get("index", {}).get("prefix") == settings.index_prefix and health.get("index", {}).get("ready"))


def _auth(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.tokens[0]}"} if settings.tokens else {}


def _compare_remote(url: str, body: dict[str, object], fmt: str, settings: Settings) -> tuple[int, object]:
    """POST /v1/compare on a running server: (HTTP status, parsed answer)."""
    import urllib.error
    import urllib.request

    query = "?format=claimreview" if fmt == "claimreview" else ""
    headers = {"Content-Type": "application/json"} | _auth(settings)
    request = urllib.request.Request(f"{url.rstrip('/')}/v1/compare{query}", json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    """Print the supporting, contradicting and related passages for a claim as a table (or JSON / ClaimReview):
    through the running server at --url when it serves this archive, else with the model loaded here."""
    from api.claimreview import claim_review
    from api.schemas import CompareRequest, CompareResponse
    from api.tables import compare_table

    body: dict[str, object] = {"claim": args.claim, "limit": args.limit}
    for key, value in (
        ("languages", args.language),
        ("outlets", args.outlet),
        ("related_limit", args.related_limit),
        ("claim_language", args.claim_language),
        ("published_after", args.published_after),
        ("published_before", args.published_before),
        ("include_undated", False if args.exclude_undated else None),
        ("include_comments", True if args.include_comments else None),
    ):
        if value is not None:
            body[key] = value
    req = _validated(CompareRequest(claim_max_chars=settings.claim_max_chars), body)
    if req is None:
        return 2
    url = args.url or f"http://{settings.bind}"
    if not args.local and _server(url, settings):
        print(f"[compare] via the server at {url}", file=sys.stderr)
        status, answer = _compare_remote(url, body, args.format, settings)
        if status != 200:
            problem = answer if isinstance(answer, dict) else {}
            for error in problem.get("errors") or [{"field": "-", "message": problem.get("detail", status)}]:
                print(f"invalid {error.get('field')}: {error.get('message')}", file=sys.stderr)
            return 2 if status in (400, 422) else 1
        if args.format == "claimreview":
            print(json.dumps(answer, ensure_ascii=False, indent=2))
            return 0
        result: dict[str, Any] = dict(answer) if isinstance(answer, dict) else {}
    else:
        from api.services.compare import compare

        print(f"[compare] no server for index {settings.index_prefix} at {url}: loading the model here", file=sys.stderr)
        result = CompareResponse().dump(compare(_archive(settings), settings, req))
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.format == "claimreview":
        print(json.dumps(claim_review(result, settings.claimreview_author), ensure_ascii=False, indent=2))
    else:
        compare_table(result)
    return 0


def cmd_entities(args: argparse.Namespace, settings: Settings) -> int:
    """Print the entities matching a name as a table (or JSON)."""
    from api.schemas import EntitySearchQuery
    from api.services.entities import search
    from api.tables import entities_table

    query = _validated(EntitySearchQuery(), {"q": args.name, "limit": args.limit})
    if query is None:
        return 2
    page = search(_archive(settings), str(query["q"]), int(query["limit"]), 0)  # type: ignore[call-overload]
    if args.format == "json":
        print(json.dumps(page, ensure_ascii=False, indent=2))
    else:
        entities_table(args.name, page)
    return 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    """Watched claims: add one (its backfill runs here, in the foreground), list them, read a watch's matches."""
    from api.schemas import MatchesQuery, MatchPage, WatchCreatedSchema, WatchIn, WatchPage, WatchPageQuery
    from api.services import watches

    archive = _archive(settings)
    if args.action == "add":
        body: dict[str, object] = {"claim": args.claim}
        for key, value in (("label", args.label), ("webhook_url", args.webhook), ("claim_language", args.claim_language)):
            if value is not None:
                body[key] = value
        req = _validated(WatchIn(claim_max_chars=settings.claim_max_chars), body)
        if req is None:
            return 2
        created = watches.create(archive, settings, req, backfill="here")
        print(json.dumps(WatchCreatedSchema().dump(created), ensure_ascii=False, indent=2))
        state = watches.detail(archive, settings, created["id"])["backfill"]
        progress = f"{state['done']}/{state['total']} candidates, {state['matches']} matches"
        print(f"[watch] backfill {state['status']}: {progress}", file=sys.stderr)
        return 0 if state["status"] == "done" else 1
    if args.action == "list":
        query = _validated(WatchPageQuery(), {"limit": args.limit} | ({"cursor": args.cursor} if args.cursor else {}))
        if query is None:
            return 2
        listed = watches.listing(archive, int(str(query["limit"])), args.cursor)
        print(json.dumps(WatchPage().dump(listed), ensure_ascii=False, indent=2))
        return 0
    query = _validated(MatchesQuery(), {"limit": args.limit} | ({"since": args.since} if args.since else {}))
    if query is None:
        return 2
    page = watches.matches(archive, settings, args.watch_id, args.since, int(str(query["limit"])))
    print(json.dumps(MatchPage().dump(page), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m api` and the `claimcheck` script."""
    parser = argparse.ArgumentParser(prog="claimcheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="index a folder of .txt articles (with metadata.json)")
    p.add_argument("folder", nargs="?", default=str(ROOT / "seeds"))
    p = sub.add_parser("ingest", help="add or replace documents from a folder or a JSON Lines file, in place")
    p.add_argument("source", help="a folder of .txt files (+ metadata.json) or a .jsonl file of POST /v1/documents bodies")
    p.add_argument(
        "--shard",
        type=_shard,
        default=(0, 1),
        metavar="K/N",
        help="take only the documents whose id hashes to K of N (run N of these, on one machine or several, against "
        "one cluster); an interrupted run resumes by running it again: documents already in are 'unchanged'",
    )
    sub.add_parser("reindex", help="rebuild the whole archive into new indices and swap the aliases (no downtime)")
    p = sub.add_parser("serve", help="serve the API with gunicorn")
    p.add_argument("--bind", help="host:port (default: BIND, 127.0.0.1:8000)")
    p.add_argument("--workers", type=int, help="worker processes (default: WEB_CONCURRENCY, 2)")
    p.add_argument("--threads", type=int, help="threads per worker (default: THREADS, 4)")
    p = sub.add_parser("compare", help="compare a claim with the archive")
    p.add_argument("claim")
    p.add_argument("--limit", type=int, default=10, help="passages per side at most")
    p.add_argument("--related-limit", type=int, help="related passages (on topic, no position) at most; 0 leaves them out")
    p.add_argument("--language", action="append", choices=SUPPORTED, help="only passages in this language (repeatable)")
    p.add_argument("--claim-language", choices=SUPPORTED, help="the claim's own language (detected when left out)")
    p.add_argument("--outlet", action="append", help="only passages from this outlet (repeatable)")
    p.add_argument("--published-after", metavar="YYYY-MM-DD", help="only passages published on or after this day")
    p.add_argument("--published-before", metavar="YYYY-MM-DD", help="only passages published on or before this day")
    p.add_argument("--exclude-undated", action="store_true", help="with a date filter, leave undated documents out")
    p.add_argument("--include-comments", action="store_true", help="readers' comments on the sides (default: listed apart)")
    p.add_argument("--url", help="the server to ask (default: http://BIND); used when it serves INDEX_PREFIX")
    p.add_argument("--local", action="store_true", help="never ask a server: load the model in this process")
    p.add_argument("--format", choices=["table", "json", "claimreview"], default="table")
    p = sub.add_parser("entities", help="find entities by name")
    p.add_argument("name")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p = sub.add_parser("watch", help="watched claims: add, list, matches")
    actions = p.add_subparsers(dest="action", required=True)
    w = actions.add_parser("add", help="watch a claim (its backfill runs in this process)")
    w.add_argument("claim")
    w.add_argument("--label")
    w.add_argument("--webhook", metavar="URL", help="POST each new match here (signed; the secret is printed once)")
    w.add_argument("--claim-language", choices=SUPPORTED)
    w = actions.add_parser("list", help="the watched claims, oldest first")
    w.add_argument("--limit", type=int, default=20)
    w.add_argument("--cursor")
    w = actions.add_parser("matches", help="a watch's matches in the order found (poll again with next_cursor as --since)")
    w.add_argument("watch_id")
    w.add_argument("--since", metavar="CURSOR")
    w.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        from api import logs
        from api.models import configure_models

        logs.configure(settings.log_level)  # JSON lines on stderr, as the server logs (LOG_LEVEL)

        configure_models(settings)  # the stance engine's options; nothing is loaded until a model is needed
    except (SettingsError, FileNotFoundError) as err:
        print(err, file=sys.stderr)
        return 2
    handlers = {
        "index": cmd_index,
        "ingest": cmd_ingest,
        "reindex": cmd_reindex,
        "serve": cmd_serve,
        "compare": cmd_compare,
        "entities": cmd_entities,
        "watch": cmd_watch,
    }
    from elasticsearch import ApiError, TransportError

    from index.errors import IndexNotReady, NotFound, SearchFailed
    from text.torch_thread import torch_here

    try:
        with torch_here():  # one command, one process: it runs its torch work itself, the writer's overlap kept
            return handlers[args.command](args, settings)
    except NotFound as err:
        print(f"no such watch: {err}", file=sys.stderr)
        return 2
    except IndexNotReady as err:
        print(
            f"nothing is indexed under {settings.index_prefix!r} ({err}): run `python -m api index <folder>` first",
            file=sys.stderr,
        )
    except (TransportError, ApiError, SearchFailed) as err:
        print(f"Elasticsearch at {settings.elasticsearch_url} failed: {type(err).__name__}: {err}", file=sys.stderr)
    return 1
