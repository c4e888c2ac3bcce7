"""Public claim/evidence and NLI sets from ../shared/data as (claim, passage, label) rows, with a group key.

Every row: claim, passage, label (supports / contradicts / neither), claim_lang, passage_lang, source, group. The
group is what a held-out split must keep whole (a VitaminC page, a DanFEVER entity, a Perspectrum claim, an NLI
premise): rows of one group are near-duplicates, so splitting by row would leak. NLI premises are the passage and
hypotheses the claim, as a claim is checked against what a passage says.

Training sets (permissive licences): VitaminC real (CC BY-SA 3.0), DanFEVER train + filled NEI (CC BY 4.0),
Perspectrum train (CC BY-SA 4.0). Evaluation only, never trained on: FEVER symmetric and adversarial, FM2 (dev,
test), DanFEVER test, Perspectrum test, SweDiagnostics, SweNLI test (FraCaS), and the non-commercial XNLI, SICK, ANLI.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from training.factory.sources import DATA

Row = dict[str, Any]
_FEVER = {"SUPPORTS": "supports", "REFUTES": "contradicts", "NOT ENOUGH INFO": "neither"}
_NLI = {"entailment": "supports", "contradiction": "contradicts", "neutral": "neither"}
_DANFEVER = {"Supported": "supports", "Refuted": "contradicts", "NotEnoughInfo": "neither"}


def row(claim: str, passage: str, label: str, source: str, group: str, claim_lang: str, passage_lang: str = "") -> Row:
    """One labelled pair."""
    return {
        "claim": " ".join(claim.split()),
        "passage": " ".join(passage.split()),
        "label": label,
        "claim_lang": claim_lang,
        "passage_lang": passage_lang or claim_lang,
        "source": source,
        "group": group,
        "transform": source,
    }


def held_out(group: str, percent: int = 10) -> bool:
    """Whether a group falls in the held-out split (stable across runs and machines)."""
    return int(hashlib.sha1(group.encode()).hexdigest()[:8], 16) % 100 < percent


def _fever_text(text: str) -> str:
    for a, b in (("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("-COLON-", ":")):
        text = text.replace(a, b)
    return text


def _zip_lines(name: str, member: str) -> Iterator[dict[str, Any]]:
    with zipfile.ZipFile(DATA / "vitaminc" / name) as zf, zf.open(member) as f:
        for line in io.TextIOWrapper(f, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def vitaminc() -> Iterator[Row]:
    """VitaminC real: the same claim against a Wikipedia sentence before and after an edit (group: its page)."""
    for r in _zip_lines("vitaminc_real.zip", "vitaminc_real/test.jsonl"):
        yield row(r["claim"], r["evidence"], _FEVER[r["label"]], "vitaminc", f"vitaminc:{r.get('page') or r['case_id']}", "en")


def fever_symmetric(split: str = "test") -> Iterator[Row]:
    """FEVER symmetric stress set (supports / refutes)."""
    for i, r in enumerate(_zip_lines("fever_symmetric.zip", f"fever_symmetric/{split}.jsonl")):
        yield row(_fever_text(r["claim"]), _fever_text(r["evidence"]), _FEVER[r["label"]], "fever-symmetric", f"fs:{i}", "en")


def fever_adversarial() -> Iterator[Row]:
    """FEVER 2.0 adversarial claims with their evidence."""
    for r in _zip_lines("fever_adversarial.zip", "fever_adversarial/test.jsonl"):
        if r.get("label") in _FEVER and r.get("evidence"):
            claim, evidence = _fever_text(r["claim"]), _fever_text(r["evidence"])
            yield row(claim, evidence, _FEVER[r["label"]], "fever-adversarial", f"fa:{r['id']}", "en")


def fm2(split: str = "test") -> Iterator[Row]:
    """Fool Me Twice: adversarially written claims against their gold Wikipedia evidence (supports / refutes), grouped
    by Wikipedia page (the dev and test splits share none)."""
    with (DATA / "fool_me_twice" / f"{split}.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            evidence = " ".join(e["text"] for e in r["gold_evidence"])
            claim = r["text"] if "text" in r else r["claim"]
            yield row(claim, evidence, _FEVER[r["label"]], "fm2", f"fm2:{r['wikipedia_page']}", "en")


def _danfever_file(name: str) -> list[dict[str, Any]]:
    with (DATA / "danfever_partial" / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _danfever_rows(rows: list[dict[str, Any]], source: str) -> Iterator[Row]:
    for r in rows:
        evidence = " ".join(e for e in r.get("evidence") or [] if e)
        if evidence and r["label"] in _DANFEVER:
            entity = "|".join(r.get("entity") or []) or r["claim"]
            yield row(r["claim"], evidence, _DANFEVER[r["label"]], source, f"danfever:{entity}", "da")


def danfever_test() -> Iterator[Row]:
    """DanFEVER test: human Danish claims vs Danish Wikipedia (NotEnoughInfo rows have no evidence, so none here)."""
    yield from _danfever_rows(_danfever_file("annotations_test.jsonl"), "danfever-test")


def danfever_train() -> Iterator[Row]:
    """DanFEVER train, dev and the filled-NEI set (same-topic neither), without any claim or entity of the test set."""
    test = _danfever_file("annotations_test.jsonl")
    test_claims = {r["claim"] for r in test}
    test_entities = {e for r in test for e in r.get("entity") or []}
    seen: set[str] = set()
    rows = []
    for name in ("annotations_train.jsonl", "annotations_dev.jsonl", "annotations-filled-nei.jsonl"):
        for r in _danfever_file(name):
            has_evidence = any(r.get("evidence") or [])
            if not has_evidence or r["claim"] in test_claims or r["claim"] in seen or test_entities & set(r.get("entity") or []):
                continue
            seen.add(r["claim"])
            rows.append(r)
    yield from _danfever_rows(rows, "danfever")


def perspectrum(split: str = "train") -> Iterator[Row]:
    """Perspectrum: debate claims vs perspectives that support or undermine them (group: the claim)."""
    base = DATA / "perspectrum"
    splits = json.loads((base / "dataset_split_v1.0.json").read_text())
    pool = {p["pId"]: p["text"] for p in json.loads((base / "perspective_pool_v1.0.json").read_text())}
    for claim in json.loads((base / "perspectrum_with_answers_v1.0.json").read_text()):
        if splits.get(str(claim["cId"])) != split:
            continue
        for cluster in claim["perspectives"]:
            label = {"SUPPORT": "supports", "UNDERMINE": "contradicts"}.get(cluster["stance_label_3"])
            if label is None:
                continue
            for pid in cluster["pids"][:2]:
                yield row(claim["text"], pool[pid], label, f"perspectrum-{split}", f"perspectrum:{claim['cId']}", "en")


def swediagnostics() -> Iterator[Row]:
    """SweDiagnostics (Swedish NLI diagnostics)."""
    with (DATA / "superlim2_sweparaphrase_swediagnostics" / "swediagnostics_test.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["label"] in _NLI:
                yield row(r["hypothesis"], r["premise"], _NLI[r["label"]], "swediagnostics", f"swediag:{r['premise']}", "sv")


def swenli_test() -> Iterator[Row]:
    """SweNLI test (FraCaS in Swedish)."""
    with (DATA / "swenli" / "swenli_test.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["label"] in _NLI:
                yield row(r["hypothesis"], r["premise"], _NLI[r["label"]], "swenli-test", f"swenli-test:{r['id']}", "sv")


def in_bokmal(rows: Iterator[Row], pair: str, source: str) -> Iterator[Row]:
    """A set's rows with claim and passage translated to Bokmål by Apertium (an evaluation column, never trained on)."""
    from training.factory.apertium import translate

    rows_ = list(rows)
    claims = translate([r["claim"] for r in rows_], pair)
    passages = translate([r["passage"] for r in rows_], pair)
    for r, c, p in zip(rows_, claims, passages, strict=True):
        yield r | {"claim": c, "passage": p, "claim_lang": "nb", "passage_lang": "nb", "source": source, "transform": source}


def xnli(lang: str) -> Iterator[Row]:
    """XNLI dev in one language (CC BY-NC: evaluation only)."""
    with (DATA / "xnli_xtreme_15lang" / f"dev-{lang}.tsv").open(encoding="utf-8") as f:
        for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(r) == 3 and r[2] in _NLI:
                yield row(r[1], r[0], _NLI[r[2]], f"xnli-{lang}", f"xnli:{r[0]}", lang)


def sick() -> Iterator[Row]:
    """SICK test part (CC BY-NC-SA: evaluation only)."""
    with (DATA / "sick" / "SICK.txt").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r["SemEval_set"] == "TEST" and r["entailment_label"].lower() in _NLI:
                label = _NLI[r["entailment_label"].lower()]
                yield row(r["sentence_B"], r["sentence_A"], label, "sick", f"sick:{r['sentence_A']}", "en")


def anli() -> Iterator[Row]:
    """ANLI dev rounds 1-3 (CC BY-NC: evaluation only)."""
    labels = {"e": "supports", "c": "contradicts", "n": "neither"}
    for rnd in (1, 2, 3):
        with (DATA / "anli_dev_annotated" / f"ANLI_analysis_r{rnd}_dev.csv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["gold_label"] in labels:
                    yield row(r["statement"], r["context"], labels[r["gold_label"]], "anli", f"anli:{r['uid']}", "en")


# the evaluation sets the generalization bench reports, none of them trained on
EVALUATION: dict[str, Callable[[], Iterator[Row]]] = {
    "fever-symmetric": fever_symmetric,
    "fever-adversarial": fever_adversarial,
    "fm2-test": fm2,
    "danfever-test": danfever_test,
    "perspectrum-test": lambda: perspectrum("test"),
    "swediagnostics": swediagnostics,
    "swenli-test": swenli_test,
    "sick": sick,
    "anli": anli,
}
EVALUATION["swenli-test-nb"] = lambda: in_bokmal(swenli_test(), "swe-nob", "swenli-test-nb")
EVALUATION["swediagnostics-nb"] = lambda: in_bokmal(swediagnostics(), "swe-nob", "swediagnostics-nb")
for _lang in ("en", "de", "fr", "es", "ru", "ar", "zh", "sw"):
    EVALUATION[f"xnli-{_lang}"] = functools.partial(xnli, _lang)


def sample(rows: list[Row], n: int | None, seed: int = 7) -> list[Row]:
    """A fixed random sample of n rows (all of them when n is None or larger)."""
    if n is None or len(rows) <= n:
        return rows
    return random.Random(seed).sample(rows, n)


def write_jsonl(rows: list[Row], path: Path) -> None:
    """Rows as JSON Lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
