"""Claims with their known evidence, for measuring (held-out claims) and for compare-like training pairs (claims the
measurement never uses): VitaminC real pages, split by page as the training mix splits them, and DanFEVER claims
(test or train annotations) with claims and evidence put into Bokmål by Apertium.

Each case: {"set", "claim", "page", "evidence": [(text, label), ...]}, label supports / contradicts / neither.
"""

from __future__ import annotations

import hashlib
import json
import random
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
LABELS = {"SUPPORTS": "supports", "REFUTES": "contradicts", "NOT ENOUGH INFO": "neither"}
DANFEVER = {"Supported": "supports", "Refuted": "contradicts"}
OUTLETS = {"vitaminc": "wikipedia-en", "danfever-nb": "wikipedia-da-nb"}  # the outlet an evidence document is filed under


def evidence_document(prefix: str, case: dict[str, Any], text: str) -> tuple[str, dict[str, Any]]:
    """One evidence text of a case as an archive document: its id (prefix and a hash of the text) and its
    metadata.json entry (the case's outlet, its page as the title)."""
    doc_id = f"{prefix}_{hashlib.sha1(text.encode()).hexdigest()[:16]}"
    return doc_id, {"outlet": {"value": OUTLETS[case["set"]]}, "title": {"value": case["page"]}}


def candidate_pair(claim: str, hit: dict[str, Any], relevance: float, name: str) -> dict[str, Any]:
    """One passage compare's reading handed the model for a claim, as the pairs files hold it (relevance: the e5
    cosine compare decides the topic with; name: the case's set; passage_id: where its vector can be read back)."""
    return {
        "claim": claim,
        "passage_id": hit["passage_id"],
        "passage": hit["text"],
        "passage_lang": hit["language"],
        "relevance": relevance,
        "set": name,
    }


def heldout_pages() -> set[str]:
    """The VitaminC pages the training mix holds out (build/stance-mix/heldout.jsonl)."""
    held = ROOT / "build" / "stance-mix" / "heldout.jsonl"
    if not held.exists():
        raise SystemExit(
            "build/stance-mix/heldout.jsonl missing: python -m training.factory.build && python -m training.factory.mix"
        )
    pages = set()
    with held.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("bucket") == "vitaminc":
                pages.add(r["group"].removeprefix("vitaminc:"))
    return pages


def vitaminc_cases(n: int, rnd: random.Random, held: bool = True) -> list[dict[str, Any]]:
    """Up to n claims of VitaminC real pages, each with all its evidence rows: of the pages the training mix holds
    out (held) or of the other pages (not held)."""
    pages = heldout_pages()
    by_claim: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    with zipfile.ZipFile(DATA / "vitaminc" / "vitaminc_real.zip") as zf, zf.open("vitaminc_real/test.jsonl") as f:
        for raw in f:
            r = json.loads(raw)
            page = r.get("page") or ""
            if (page in pages) == held:
                by_claim[(page, " ".join(r["claim"].split()))].append((" ".join(r["evidence"].split()), LABELS[r["label"]]))
    keys = sorted(k for k, ev in by_claim.items() if any(label != "neither" for _, label in ev))
    rnd.shuffle(keys)
    return [
        {"set": "vitaminc", "claim": claim, "page": page, "evidence": sorted(set(by_claim[(page, claim)]))}
        for page, claim in keys[:n]
    ]


def danfever_cases(n: int, rnd: random.Random, split: str = "test") -> list[dict[str, Any]]:
    """Up to n DanFEVER claims of one split (test, train) with evidence, claims and evidence translated to Bokmål."""
    from training.factory.apertium import translate

    rows = []
    with (DATA / "danfever_partial" / f"annotations_{split}.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            evidence = [e for e in r.get("evidence") or [] if e.strip()]
            if r["label"] in DANFEVER and evidence:
                rows.append((r["claim"], tuple(evidence), DANFEVER[r["label"]], (r.get("entity") or ["?"])[0]))
    rows = sorted(set(rows))
    rnd.shuffle(rows)
    rows = rows[:n]
    flat = [c for c, *_ in rows] + [e for _, ev, *_ in rows for e in ev]
    nb = dict(zip(flat, translate(flat, "dan-nob"), strict=True))
    return [
        {
            "set": "danfever-nb",
            "claim": nb[claim],
            "page": entity.replace("_", " "),
            "evidence": sorted({(nb[e], label) for e in ev}),
        }
        for claim, ev, label, entity in rows
    ]
