"""Dev gold pairs through POST /v1/stance: every claim and language variant against each expected quote.

Prints accuracy per stance x claim language x passage language and the totals the stance issue asks for
(contradictions right, Norwegian/Swedish claims right, overall). The gold set is only measured, never trained on.
    python bench/stance_gold.py --base-url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from common import call  # noqa: E402

GOLD = ROOT.parent / "shared" / "eval" / "seed_gold_dev.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--json", help="write the rows here too")
    args = ap.parse_args()
    from text.language import detect

    items = [i for i in json.loads(Path(args.gold).read_text()) if i["kind"] == "claim"]
    rows = []
    for item in items:
        claims = [("en", item["query"])] + sorted(item.get("variants", {}).items())
        quotes = [e["quote"] for e in item["expect"]]
        for lang, claim in claims:
            status, body, _ = call(args.base_url.rstrip("/"), "POST", "/v1/stance", {"claim": claim, "passages": quotes})
            if status != 200:
                print(f"error {status}: {body}")
                return 1
            for exp, res in zip(item["expect"], body["results"], strict=True):
                rows.append(
                    {
                        "id": item["id"],
                        "claim_lang": lang,
                        "passage_lang": detect(exp["quote"], fallback="en"),
                        "gold": exp["stance"],
                        "pred": res["stance"],
                        "confidence": res["confidence"],
                        "on_topic": res.get("on_topic", True),
                        "probabilities": res.get("probabilities") or {},
                    }
                )
    cells: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    for r in rows:
        cells[(r["gold"], r["claim_lang"], r["passage_lang"])].append(r["gold"] == r["pred"])
    print(f"{'gold stance':<12} {'claim':<6} {'passage':<8} right/total")
    for key in sorted(cells):
        ok = cells[key]
        print(f"{key[0]:<12} {key[1]:<6} {key[2]:<8} {sum(ok)}/{len(ok)}")

    def rate(sel: list[dict[str, str]]) -> str:
        right = sum(r["gold"] == r["pred"] for r in sel)
        return f"{right}/{len(sel)} = {right / max(1, len(sel)):.2f}"

    print("contradictions right:", rate([r for r in rows if r["gold"] == "contradicts"]))
    print("supports right:      ", rate([r for r in rows if r["gold"] == "supports"]))
    print("neither right:       ", rate([r for r in rows if r["gold"] == "neither"]))
    print("nb/sv claims right:  ", rate([r for r in rows if r["claim_lang"] in ("nb", "sv")]))
    print("overall:             ", rate(rows))
    wrong = [r for r in rows if r["gold"] != r["pred"]]
    labels = ("supports", "contradicts", "neither")
    confusions = {
        f"{g}->{p}": sum(1 for r in wrong if (r["gold"], r["pred"]) == (g, p)) for g in labels for p in labels if g != p
    }
    print(f"confusions: {json.dumps(confusions)}")
    # why a sided gold pair was read as neither: the topic gate (cosine, no confident verdict) or the model itself
    for side in ("supports", "contradicts"):
        missed = [r for r in wrong if r["gold"] == side and r["pred"] == "neither"]
        gated = sum(1 for r in missed if not r["on_topic"])
        mean = sum(float(r["probabilities"].get(side, 0.0)) for r in missed) / max(1, len(missed))
        print(f"{side} read as neither: {len(missed)} ({gated} off topic by the gate); mean P({side}) of those {mean:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
