"""How much known evidence reaches the stance model, and on which side it ends, for claims the model never trained on.

Held-out claims with known evidence: VitaminC real pages the mix holds out (training.factory.mix, by page; English)
and DanFEVER test (never trained on), claims and evidence put into Bokmål by Apertium (as the Norwegian evaluation
columns are). Every evidence text of the chosen claims becomes one document (title: its Wikipedia page) placed in
a news archive written by bench/archive_build.py, so the evidence has to be found among tens of thousands of
passages, next to the other evidence of its page (VitaminC's contrastive rows: the sentence before and after an
edit, one supporting and one refuting the same claim).

    python bench/archive_build.py --passages 46000 --out build/evreach
    python bench/evidence_reach.py place --archive build/evreach        # writes the evidence documents + cases.json
    INDEX_PREFIX=evreach python -m api index build/evreach
    INDEX_PREFIX=evreach python bench/evidence_reach.py run --archive build/evreach

`run` reads STANCE_WEIGHTS and STANCE_BF16 as the server does, asks compare's reading
(`api.services.compare.reading`) which passages the model reads, then compare itself on that same reading (in
process, the product's settings) where each evidence passage ends: on the side its label names, on the other side,
in related (on topic, no position), judged off topic, or never read. NOT ENOUGH INFO evidence (VitaminC) that ends
on a side is a leak. Nothing here is tuned on: it is a measurement of the product as it is.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.factory.evidence_cases import candidate_pair, danfever_cases, evidence_document, vitaminc_cases  # noqa: E402


def place(args: argparse.Namespace) -> None:
    """Write each case's evidence as documents into the archive folder, and the cases to cases.json."""
    folder = Path(args.archive)
    meta_path = folder / "metadata.json"
    if not meta_path.exists():
        sys.exit(f"{meta_path} missing: python bench/archive_build.py --out {folder}")
    rnd = random.Random(args.seed)
    cases = vitaminc_cases(args.vitaminc, rnd) + danfever_cases(args.danfever, rnd)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    docs = 0
    for case in cases:
        ids = []
        for text, label in case["evidence"]:
            doc_id, entry = evidence_document("evr", case, text)
            ids.append([doc_id, label])
            if not (folder / f"{doc_id}.txt").exists():
                (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
                meta["documents"][doc_id] = entry
                docs += 1
        case["evidence"] = ids
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "cases.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(cases)} claims ({Counter(c['set'] for c in cases)}), {docs} evidence documents written into {folder}")


def run(args: argparse.Namespace) -> None:
    """Per claim: which evidence documents the model reads (compare's reading) and where compare puts them."""
    from api.config import Settings
    from api.models import configure_models
    from api.services.archive import connect
    from api.services.compare import compare, reading

    cases = json.loads((Path(args.archive) / "cases.json").read_text(encoding="utf-8"))
    if args.limit:
        cases = cases[: args.limit]
    settings = Settings.from_env()
    configure_models(settings)  # STANCE_WEIGHTS (a candidate's folder), STANCE_BF16 as the server reads them
    archive = connect(settings)
    outcome: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    claim_any: dict[str, Counter[str]] = defaultdict(Counter)
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    lines = []
    pairs_out = open(args.pairs_out, "w", encoding="utf-8") if args.pairs_out else None  # noqa: SIM115
    for i, case in enumerate(cases, 1):
        claim = case["claim"]
        request = {"claim": claim, "limit": 100, "related_limit": 100}
        read_for = reading(archive, settings, request)  # compare's own reading, handed to it below
        cands = read_for.candidates
        read = {h["document_id"] for h, _ in cands}
        if pairs_out is not None:
            for h, rel in cands:
                pairs_out.write(json.dumps(candidate_pair(claim, h, rel, case["set"]), ensure_ascii=False) + "\n")
        answer = compare(archive, settings, request, read=read_for)
        langs[case["set"]][answer["claim_language"]] += 1
        where: dict[str, str] = {}
        for key, side in (("supporting", "supports"), ("contradicting", "contradicts"), ("related", "neither")):
            for p in answer[key]:
                where.setdefault(p["document_id"], side)
        right = False
        for doc_id, label in case["evidence"]:
            if doc_id not in read:
                got = "not read"
            elif doc_id not in where:
                got = "off topic"
            elif where[doc_id] == "neither":
                got = "related"
            elif label == "neither":
                got = "leak"
            else:
                got = "right side" if where[doc_id] == label else "wrong side"
            right |= got == "right side"
            outcome[(case["set"], label)][got] += 1
            lines.append(f"{case['set']}\t{label}\t{got}\t{claim[:90]}")
        claim_any[case["set"]]["claims"] += 1
        claim_any[case["set"]]["with right-side evidence"] += right
        if i % 20 == 0:
            print(f"{i}/{len(cases)} claims", file=sys.stderr, flush=True)
    if pairs_out is not None:
        pairs_out.close()
    kinds = ("right side", "wrong side", "related", "off topic", "not read", "leak")
    print(f"# bench/evidence_reach.py run: {len(cases)} claims; evidence passages by where compare put them")
    print(f"{'set':<12} {'label':<12} {'n':>4} {'read':>6} " + " ".join(f"{k:>10}" for k in kinds))
    for (name, label), c in sorted(outcome.items()):
        n = sum(c.values())
        reached = n - c["not read"]
        print(f"{name:<12} {label:<12} {n:>4} {reached / n:>6.2f} " + " ".join(f"{c[k] / n:>10.2f}" for k in kinds))
    for name, c in sorted(claim_any.items()):
        share = c["with right-side evidence"] / c["claims"]
        print(
            f"{name}: {c['with right-side evidence']}/{c['claims']} claims = {share:.2f} have evidence on the right side;"
            f" claim language read as {dict(langs[name])}"
        )
    if args.details:
        Path(args.details).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("place", help="write the evidence documents into an archive folder")
    p.add_argument("--archive", default=str(ROOT / "build" / "evreach"))
    p.add_argument("--vitaminc", type=int, default=100, help="VitaminC held-out claims")
    p.add_argument("--danfever", type=int, default=100, help="DanFEVER test claims (in Bokmal)")
    p.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("run", help="measure against the indexed archive (INDEX_PREFIX of the environment)")
    r.add_argument("--archive", default=str(ROOT / "build" / "evreach"))
    r.add_argument("--limit", type=int, help="only the first N claims")
    r.add_argument("--details", help="write one line per evidence passage here")
    r.add_argument("--pairs-out", help="write every (claim, candidate passage) pair the model reads here (JSON Lines)")
    args = ap.parse_args()
    {"place": place, "run": run}[args.command](args)


if __name__ == "__main__":
    main()
