"""Candidate recall of compare's retrieval: for every gold claim and variant, is each expected quote among the
candidates handed to the stance model? Reported per stance (supports / contradicts) and overall.

Runs against the Elasticsearch and index prefix of the environment (ELASTICSEARCH_URL, INDEX_PREFIX).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.config import Settings  # noqa: E402
from api.services.archive import connect  # noqa: E402
from api.services.compare import retrieve  # noqa: E402
from text.embedding import embed_query  # noqa: E402
from text.language import detect  # noqa: E402

GOLD = ROOT.parent / "shared" / "eval" / "seed_gold_dev.json"


def _norm(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip().casefold()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--candidates", type=int, nargs="*", help="model budgets to report (default: COMPARE_CANDIDATES)")
    ap.add_argument("--counter", type=int, nargs="*", help="counter-claim places to report (default: COMPARE_COUNTER)")
    args = ap.parse_args()
    defaults = Settings.from_env()
    for budget in args.candidates or [defaults.compare_candidates]:
        for counter in args.counter if args.counter is not None else [defaults.compare_counter]:
            report(Settings.from_env(compare_candidates=budget, compare_counter=counter))


def report(settings: Settings) -> None:
    """Recall of the gold quotes among the candidates the model would judge under these settings."""
    archive = connect(settings)
    found: dict[str, list[bool]] = defaultdict(list)
    sizes = []
    for item in (i for i in json.loads(GOLD.read_text()) if i["kind"] == "claim"):
        for lang, claim in [("en", item["query"]), *sorted(item.get("variants", {}).items())]:
            cands = retrieve(archive, settings, claim, detect(claim, fallback="und"), embed_query(claim), [])
            sizes.append(len(cands))
            for exp in item["expect"]:
                if exp["stance"] == "neither":
                    continue
                hit = any(h["document_id"] == exp["document_id"] and _norm(exp["quote"]) in _norm(h["text"]) for h, _ in cands)
                found[exp["stance"]].append(hit)
                found[f"claim {lang}"].append(hit)
    print(
        f"model budget {settings.compare_candidates} on-topic candidates per claim, {settings.compare_counter} of them "
        "kept for the passages closest to the claim's counter-claims (the rest: kNN within/across languages above the "
        f"calibrated cosines, BM25, neighbours; by margin); judged on average {sum(sizes) / len(sizes):.1f}"
    )
    for key in sorted(found):
        print(f"recall {key:<12} {sum(found[key])}/{len(found[key])} = {sum(found[key]) / len(found[key]):.2f}")
    allv = found["supports"] + found["contradicts"]
    print(f"recall overall      {sum(allv)}/{len(allv)} = {sum(allv) / len(allv):.2f}\n")


if __name__ == "__main__":
    main()
