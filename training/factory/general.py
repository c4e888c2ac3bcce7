"""The campaign's wider pairs: general NLI in English, Swedish and Bokmål, Bokmål FEVER, VitaminC synthetic, RTE.

Every row has public.row's fields; a row may carry `context` (the Wikipedia page or entity its evidence sentence
comes from), which the trainer gives the model beside the passage on part of the draws. Groups follow the
source's natural unit (an NLI premise, a VitaminC page, a DanFEVER entity), so a held-out split keeps them whole;
every translated or crossed variant of a row keeps the group of its original.

Sets and licences (all permissive): SNLI dev + test (CC BY-SA 4.0), SweNLI dev (CC BY 4.0, OPUS-MT Swedish of
MultiNLI), Breaking NLI (CC BY-SA 4.0), negation NLI (MIT), VitaminC synthetic (CC BY-SA 3.0), DanFEVER train/dev/
filled-NEI and its machine-translated FEVER sample (CC BY 4.0 / Wikipedia CC BY-SA), GLUE RTE (PASCAL RTE terms).
Bokmål variants are Apertium translations (GPL tools; the output is the data's own licence).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from typing import Any

from training.factory import apertium, public
from training.factory.sources import DATA

Row = dict[str, Any]
_NLI = {"entailment": "supports", "contradiction": "contradicts", "neutral": "neither"}
# RTE's two labels: not_entailment is a contradiction or a neutral pair, so it only says "not supports"
NOT_SUPPORTS = "not-supports"


def detok(text: str) -> str:
    """SNLI's tokenised text back to plain spacing ("packages ." -> "packages.")."""
    text = re.sub(r" ([.,!?;:%)])", r"\1", text)
    text = re.sub(r"([(]) ", r"\1", text)
    return re.sub(r" (n't|'s|'re|'ve|'m|'ll|'d)\b", r"\1", text)


def _page(page: str) -> str:
    return public._fever_text(page.replace("_", " ")).strip()


def snli() -> Iterator[Row]:
    """SNLI dev + test: hypothesis as claim, premise as passage (group: the premise)."""
    base = DATA / "snli_devtest_esnli"
    for split in ("dev", "test"):
        s1 = (base / f"s1.{split}").read_text(encoding="utf-8").splitlines()
        s2 = (base / f"s2.{split}").read_text(encoding="utf-8").splitlines()
        labels = (base / f"labels.{split}").read_text(encoding="utf-8").splitlines()
        for p, h, lab in zip(s1, s2, labels, strict=True):
            if lab.strip() in _NLI:
                yield public.row(detok(h), detok(p), _NLI[lab.strip()], "snli", f"snli:{p.strip()}", "en")


def _swenli_dev() -> list[dict[str, Any]]:
    with (DATA / "swenli" / "swenli_dev.jsonl").open(encoding="utf-8") as f:
        return [r for r in map(json.loads, f) if r["label"] in _NLI]


def swenli(norwegian: bool = True) -> Iterator[Row]:
    """All of SweNLI dev in Swedish; with `norwegian`, also in Bokmål and crossed (nb claim on the Swedish premise,
    Swedish claim on the Bokmål premise), one crossed direction per row, drawn at random."""
    rows = _swenli_dev()
    for r in rows:
        yield public.row(r["hypothesis"], r["premise"], _NLI[r["label"]], "swenli", f"swenli:{r['premise']}", "sv")
    if not norwegian:
        return
    premises = apertium.translate([r["premise"] for r in rows], "swe-nob")
    hypotheses = apertium.translate([r["hypothesis"] for r in rows], "swe-nob")
    rnd = random.Random(11)
    for r, p_nb, h_nb in zip(rows, premises, hypotheses, strict=True):
        label, group = _NLI[r["label"]], f"swenli:{r['premise']}"
        yield public.row(h_nb, p_nb, label, "swenli-nb", group, "nb")
        if rnd.random() < 0.5:
            yield public.row(h_nb, r["premise"], label, "swenli-cross", group, "nb", "sv")
        else:
            yield public.row(r["hypothesis"], p_nb, label, "swenli-cross", group, "sv", "nb")


def breaking_nli() -> Iterator[Row]:
    """Breaking NLI in full (lexical substitutions on SNLI premises; group: the premise)."""
    with (DATA / "breaking_nli" / "data" / "dataset.jsonl").open(encoding="utf-8") as f:
        for r in map(json.loads, f):
            if r["gold_label"] in _NLI:
                label, group = _NLI[r["gold_label"]], f"snli:{r['sentence1']}"
                yield public.row(r["sentence2"], r["sentence1"], label, "breaking-nli", group, "en")


def negation_nli() -> Iterator[Row]:
    """Hossain et al. 2020: pairs where a negation decides the label (group: the text)."""
    for name in ("SNLI.txt", "MNLI.txt", "RTE.txt"):
        raw = (DATA / "negation_nli_hossain2020" / name).read_bytes().decode("cp1252", errors="replace")
        for r in csv.DictReader(raw.splitlines(), delimiter="\t"):
            label = (r.get("gold_label") or r.get("label") or "").strip()
            text, hyp = r.get("Text") or r.get("sentence1"), r.get("Hypothesis") or r.get("sentence2")
            if not text or not hyp:
                continue
            if label == "not_entailment":
                yield public.row(hyp, text, NOT_SUPPORTS, "negation-nli", f"negnli:{text}", "en")
            elif label in _NLI:
                yield public.row(hyp, text, _NLI[label], "negation-nli", f"negnli:{text}", "en")


def rte() -> Iterator[Row]:
    """GLUE RTE train + dev: entailment -> supports; not_entailment -> not-supports (a partial label)."""
    for split in ("train", "dev"):
        raw = (DATA / "rte_glue" / f"{split}.tsv").read_text(encoding="utf-8")
        for r in csv.DictReader(raw.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
            label = "supports" if r["label"] == "0" else NOT_SUPPORTS
            yield public.row(r["sentence2"], r["sentence1"], label, "rte", f"rte:{r['sentence1']}", "en")


def vitaminc_synthetic() -> Iterator[Row]:
    """VitaminC synthetic: FEVER claims against evidence edited to support or refute them (group: the page)."""
    for r in public._zip_lines("vitaminc_synthetic.zip", "vitaminc_synthetic/test.jsonl"):
        page = r.get("page") or r["case_id"]
        claim, evidence = public._fever_text(r["claim"]), public._fever_text(r["evidence"])
        yield public.row(claim, evidence, public._FEVER[r["label"]], "vitaminc-synthetic", f"vitaminc:{page}", "en") | {
            "context": _page(page)
        }


def vitaminc_real() -> Iterator[Row]:
    """VitaminC real (as public.vitaminc) with its page title as context."""
    for r in public._zip_lines("vitaminc_real.zip", "vitaminc_real/test.jsonl"):
        page = r.get("page") or r["case_id"]
        yield public.row(r["claim"], r["evidence"], public._FEVER[r["label"]], "vitaminc", f"vitaminc:{page}", "en") | {
            "context": _page(str(page))
        }


def _danfever_context(r: dict[str, Any]) -> str:
    return ", ".join(e.replace("_", " ") for e in r.get("entity") or [])


def danfever(norwegian: bool = True) -> Iterator[Row]:
    """DanFEVER train/dev/filled-NEI (as public.danfever_train, test claims and entities left out) with the entity as
    context; with `norwegian`, also in Bokmål (nb>nb) and a Bokmål claim on the Danish evidence (nb>da)."""
    rows = list(public.danfever_train())
    raw = {
        r["claim"]: r
        for name in ("annotations_train.jsonl", "annotations_dev.jsonl", "annotations-filled-nei.jsonl")
        for r in public._danfever_file(name)
    }
    for r in rows:
        r["context"] = _danfever_context(raw.get(r["claim"], {}))
        yield r
    if not norwegian:
        return
    claims = apertium.translate([r["claim"] for r in rows], "dan-nob")
    passages = apertium.translate([r["passage"] for r in rows], "dan-nob")
    contexts = apertium.translate([r["context"] or "-" for r in rows], "dan-nob")
    for r, c_nb, p_nb, ctx in zip(rows, claims, passages, contexts, strict=True):
        context = ctx if r["context"] else ""
        yield r | {
            "claim": c_nb,
            "passage": p_nb,
            "claim_lang": "nb",
            "passage_lang": "nb",
            "source": "danfever-nb",
            "transform": "danfever-nb",
            "context": context,
        }
        yield r | {"claim": c_nb, "claim_lang": "nb", "source": "danfever-cross", "transform": "danfever-cross"}


def fever_da(norwegian: bool = True) -> Iterator[Row]:
    """DanFEVER's machine-translated FEVER sample (Danish; group: the claim), and in Bokmål."""
    fever = {"Supported": "supports", "Refuted": "contradicts", "NotEnoughInfo": "neither"}
    rows = []
    for r in public._danfever_file("fever_da_machine_translated.jsonl"):
        evidence = public._fever_text(" ".join(e for e in r.get("evidence") or [] if e))
        if evidence and r["label"] in fever:
            rows.append(
                public.row(
                    public._fever_text(r["claim"]), evidence, fever[r["label"]], "fever-da", f"fever-da:{r['claim']}", "da"
                )
            )
    yield from rows
    if not norwegian:
        return
    claims = apertium.translate([r["claim"] for r in rows], "dan-nob")
    passages = apertium.translate([r["passage"] for r in rows], "dan-nob")
    for r, c_nb, p_nb in zip(rows, claims, passages, strict=True):
        yield r | {
            "claim": c_nb,
            "passage": p_nb,
            "claim_lang": "nb",
            "passage_lang": "nb",
            "source": "fever-da-nb",
            "transform": "fever-da-nb",
        }
