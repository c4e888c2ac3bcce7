"""Raw sentences with provenance from ../shared/data: news bodies (en), SweNLI premises (sv), NorNE (nb), translations."""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sentencex import segment

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass(frozen=True)
class Sentence:
    """A sentence with its language, its group (article or neighbourhood, for hard negatives) and its source."""

    text: str
    lang: str
    group: str
    source: str
    uid: str
    names: tuple[str, ...] = ()  # person/organisation/place names known from annotation (NorNE)


def _ok(text: str, lo: int = 6, hi: int = 45) -> bool:
    n = len(text.split())
    return lo <= n <= hi and not re.search(r"https?://|@|\|", text)


def fnc1_sentences(limit_articles: int = 1200, seed: int = 1) -> list[Sentence]:
    """English news sentences from FNC-1 training bodies, grouped by article."""
    csv.field_size_limit(10_000_000)
    with (DATA / "fnc1" / "train_bodies.csv").open(encoding="utf-8") as f:
        bodies = list(csv.DictReader(f))
    random.Random(seed).shuffle(bodies)
    out: list[Sentence] = []
    for body in bodies[:limit_articles]:
        bid = body["Body ID"]
        for i, s in enumerate(x.strip() for x in segment("en", body["articleBody"])):
            if _ok(s):
                out.append(Sentence(s, "en", f"fnc1:{bid}", "fnc1-body", f"fnc1:{bid}:{i}"))
    return out


def swenli_premises() -> list[Sentence]:
    """Swedish premises of SweNLI dev (unique), in groups of ten neighbours."""
    seen: set[str] = set()
    out: list[Sentence] = []
    with (DATA / "swenli" / "swenli_dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            p = row["premise"].strip()
            if p not in seen and _ok(p):
                seen.add(p)
                out.append(Sentence(p, "sv", f"swenli:{len(out) // 10}", "swenli-premise", f"swenli:{row['id']}"))
    return out


def argumentation_sentences() -> list[Sentence]:
    """Swedish argumentation sentences, grouped by topic (hard negatives share a topic)."""
    out: list[Sentence] = []
    for split in ("train", "dev"):
        with (DATA / "swe_argumentation_sentences" / f"argumentation-sentences_{split}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if _ok(row["sentence"]):
                    out.append(
                        Sentence(
                            row["sentence"].strip(), "sv", f"arg:{row['topic']}", "swe-argumentation", f"arg:{row['sentence_id']}"
                        )
                    )
    return out


def norne_sentences() -> list[Sentence]:
    """Norwegian Bokmål sentences of NorNE with their annotated names, grouped in runs of ten."""
    out: list[Sentence] = []
    for part in ("dev", "test"):
        text: str | None = None
        names: list[str] = []
        current: list[str] = []
        sid = None
        for line in (DATA / "norne_nob" / f"no_bokmaal-ud-{part}.conllu").read_text(encoding="utf-8").splitlines():
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif line.startswith("# text"):
                text = line.split("=", 1)[1].strip()
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                tag = cols[9].split("name=")[-1] if "name=" in cols[9] else "O"
                if tag.startswith("B-") and tag[2:] in ("PER", "ORG", "GPE_LOC", "LOC", "GPE_ORG"):
                    if current:
                        names.append(" ".join(current))
                    current = [cols[1]]
                elif tag.startswith("I-") and current:
                    current.append(cols[1])
                else:
                    if current:
                        names.append(" ".join(current))
                    current = []
            elif not line and text:
                if current:
                    names.append(" ".join(current))
                if _ok(text):
                    n = len(out)
                    out.append(Sentence(text, "nb", f"norne:{part}:{n // 10}", "norne", f"norne:{sid}", tuple(names)))
                text, names, current = None, [], []
    return out


def flores() -> Iterator[dict[str, Sentence]]:
    """FLORES-200 devtest triples (en, nb, sv) of the same sentence; neighbours come from the same article."""
    base = DATA / "parallel_scandi_opus_testsets" / "flores200_devtest"
    cols = {
        lang: (base / f).read_text(encoding="utf-8").splitlines()
        for lang, f in (("en", "eng_Latn.devtest"), ("nb", "nob_Latn.devtest"), ("sv", "swe_Latn.devtest"))
    }
    for i in range(len(cols["en"])):
        yield {lang: Sentence(cols[lang][i].strip(), lang, f"flores:{i // 4}", "flores200", f"flores:{i}") for lang in cols}


def tatoeba(pair: str, a: str, b: str, limit: int = 3000) -> Iterator[tuple[Sentence, Sentence]]:
    """Tatoeba translation pairs (short everyday sentences)."""
    base = DATA / "parallel_scandi_opus_testsets" / "tatoeba" / pair
    left = (base / f"tatoeba-test-v2021-08-07.{pair.split('-')[0]}").read_text(encoding="utf-8").splitlines()
    right = (base / f"tatoeba-test-v2021-08-07.{pair.split('-')[1]}").read_text(encoding="utf-8").splitlines()
    n = 0
    for i, (x, y) in enumerate(zip(left, right, strict=True)):
        if _ok(x, 5, 30) and _ok(y, 4, 30):
            yield (
                Sentence(x, a, f"tatoeba:{pair}:{i}", "tatoeba", f"tatoeba:{pair}:{i}"),
                Sentence(y, b, f"tatoeba:{pair}:{i}", "tatoeba", f"tatoeba:{pair}:{i}"),
            )
            n += 1
            if n >= limit:
                return
