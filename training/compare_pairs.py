"""Compare-like pairs for distillation: (claim, passage) pairs drawn the way compare draws its candidates, for claims
no measurement uses.

The cascade's student must agree with the teacher on what compare actually asks the model: the candidates of one
claim in a news archive (on topic or near it, mostly without a position), not the campaign's balanced mix. This
builds such pairs for training claims (VitaminC real pages the mix trains on, DanFEVER train claims in Bokmål) in a
copy of the evidence-reach archive (bench/evidence_reach.py: 46k news and other passages plus the held-out claims'
evidence), with each training claim's own evidence added as documents, so that its reading finds its evidence among
the rest. The held-out claims of bench/evidence_reach.py (build/evreach-pairs.jsonl, which training.cascade_margin
reports on) are never used here: other VitaminC pages, another DanFEVER split.

    python -m training.compare_pairs place --out build/distreach                     # cases.json + docs/
    python -m training.compare_pairs place --out build/distreach2 --vitaminc 2200 --danfever 1000 \
        --exclude build/distreach/cases.json                                          # a later batch: new claims only
    python -m training.compare_pairs clone --source evreach --prefix distreach        # copy the indices in ES
    INDEX_PREFIX=distreach python -m api ingest build/distreach/docs                  # the evidence documents
    INDEX_PREFIX=distreach python -m training.compare_pairs pairs --archive build/distreach \
        --out build/distreach-pairs.jsonl                                             # compare's reading per claim

Each pair: claim, passage, passage_lang, relevance, set, group (the claim's case id: hold out by it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from training.factory.evidence_cases import candidate_pair, danfever_cases, evidence_document, vitaminc_cases


def place(args: argparse.Namespace) -> None:
    """Training claims and their evidence documents (docs/*.txt + docs/metadata.json), the claims to cases.json."""
    folder = Path(args.out)
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(args.seed)
    drawn = vitaminc_cases(args.vitaminc, rnd, held=False) + danfever_cases(args.danfever, rnd, split="train")
    done = {c["id"] for name in args.exclude for c in json.loads(Path(name).read_text(encoding="utf-8"))}
    meta: dict[str, dict[str, object]] = {"documents": {}}
    cases = []
    for case in drawn:
        case["id"] = hashlib.sha1(f"{case['set']}\n{case['claim']}".encode()).hexdigest()[:12]
        if case["id"] in done:  # placed by an earlier batch (the draws are prefixes of one shuffle per set)
            continue
        for text, _label in case["evidence"]:
            doc_id, entry = evidence_document("dst", case, text)
            (docs / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
            meta["documents"][doc_id] = entry
        del case["evidence"]  # the pairs carry no gold: the teacher's reading is the target
        cases.append(case)
    (docs / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "cases.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(cases)} claims ({Counter(c['set'] for c in cases)}), {len(meta['documents'])} evidence documents")


def clone(args: argparse.Namespace) -> None:
    """Copy the source archive's documents, passages and entities (vectors included) into new indices behind the
    prefix's aliases: no second embedding of tens of thousands of passages. Vectors the mapping keeps out of
    _source (the passages' embedding) are read back through a script field and written in a second pass."""
    from api.config import Settings
    from index.client import make_client
    from index.mappings import body
    from index.names import KINDS, IndexNames

    settings = Settings.from_env()
    es = make_client(settings.elasticsearch_urls, request_timeout=600, max_retries=2)
    source, target = IndexNames(args.source), IndexNames(args.prefix)
    for kind in KINDS:
        if es.indices.exists_alias(name=target.alias(kind)):
            sys.exit(f"{target.alias(kind)} exists already: delete the {args.prefix}-* indices first")
    for kind in KINDS:
        name = target.concrete(kind)
        spec = body(kind)
        es.indices.create(index=name, **spec)
        resp = es.reindex(source={"index": source.alias(kind)}, dest={"index": name}, wait_for_completion=True, refresh=True)
        hidden = spec["mappings"].get("_source", {}).get("excludes", [])
        if hidden:
            copied = _copy_hidden(es, source.alias(kind), name, hidden)
            print(f"{source.alias(kind)} -> {name}: {copied} documents' {', '.join(hidden)} copied", flush=True)
        es.indices.put_alias(index=name, name=target.alias(kind))
        print(f"{source.alias(kind)} -> {name}: {resp['created']} copied", flush=True)


def _copy_hidden(es: Any, source: str, target: str, fields: list[str]) -> int:
    """Fields kept out of _source (dense vectors), copied document by document through script fields."""
    from elasticsearch import helpers

    scripts = {f: {"script": {"source": f"doc['{f}'].size() == 0 ? null : doc['{f}'].vectorValue"}} for f in fields}
    hits = helpers.scan(es, index=source, query={"query": {"match_all": {}}, "script_fields": scripts, "_source": False})

    def updates() -> Any:
        for hit in hits:
            values = {f: hit["fields"][f][0] for f in fields if hit.get("fields", {}).get(f, [None])[0] is not None}
            if values:
                yield {"_op_type": "update", "_index": target, "_id": hit["_id"], "doc": values}

    done, _ = helpers.bulk(es, updates(), chunk_size=500, raise_on_error=True, refresh=True)  # raises on any failure
    return int(done)


def pairs(args: argparse.Namespace) -> None:
    """Compare's own reading (the candidates its model reads) for every training claim, as pairs."""
    from api.config import Settings
    from api.models import configure_models
    from api.services.archive import connect
    from api.services.compare import reading

    cases = json.loads((Path(args.archive) / "cases.json").read_text(encoding="utf-8"))
    settings = Settings.from_env()
    configure_models(settings)
    archive = connect(settings)
    out = Path(args.out)
    tmp = out.with_suffix(".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for i, case in enumerate(cases, 1):
            read = reading(archive, settings, {"claim": case["claim"], "limit": 100, "related_limit": 100})
            for hit, relevance in read.candidates:
                row = candidate_pair(case["claim"], hit, relevance, case["set"]) | {"group": f"compare:{case['id']}"}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
            if i % 100 == 0:
                print(f"{i}/{len(cases)} claims, {n} pairs", flush=True)
    tmp.replace(out)
    print(f"{len(cases)} claims, {n} pairs -> {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("place", help="training claims and their evidence documents")
    p.add_argument("--out", default="build/distreach")
    p.add_argument("--vitaminc", type=int, default=1100, help="VitaminC claims of pages the mix trains on")
    p.add_argument("--danfever", type=int, default=500, help="DanFEVER train claims (in Bokmal)")
    p.add_argument("--seed", type=int, default=23)
    p.add_argument(
        "--exclude", action="append", default=[], help="an earlier batch's cases.json: its claims are not placed again"
    )
    p.set_defaults(func=place)
    c = sub.add_parser("clone", help="copy an archive's indices under another prefix")
    c.add_argument("--source", default="evreach")
    c.add_argument("--prefix", default="distreach")
    c.set_defaults(func=clone)
    r = sub.add_parser("pairs", help="compare's reading for every claim, as pairs (INDEX_PREFIX names the archive)")
    r.add_argument("--archive", default="build/distreach")
    r.add_argument("--out", default="build/distreach-pairs.jsonl")
    r.set_defaults(func=pairs)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
