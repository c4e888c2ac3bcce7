"""Write a news archive of other same-era text around the seeds: a folder `python -m api index` takes.

English: FNC-1 competition-test article bodies (news; the stance model never trained on them), then the training
bodies, then (past ~46k passages, where the news text runs out) Wikipedia and debate sentences. Norwegian: NorNE
sentences (news and blogs), in runs of 15 consecutive sentences as one article. Swedish: SweParaphrase news
sentences, the argumentation test sentences and SweNLI premises, in runs of 15. The seeds are copied in with
their metadata. Nothing is written into the repository: the folder goes under build/ (texts keep their own terms).

    python bench/archive_build.py --passages 16000 --out build/archive
    python -m api index build/archive        # then the gold and undiscussed benches against that archive
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))


def english(limit: int, rnd: random.Random) -> list[tuple[str, str]]:
    """(id, text) of FNC-1 article bodies: the competition-test bodies first (shuffled), then the training bodies
    (shuffled) for archives larger than the test bodies fill; each distinct body once."""
    csv.field_size_limit(10_000_000)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, prefix in (("competition_test_bodies.csv", "fnc1t"), ("train_bodies.csv", "fnc1tr")):
        with (DATA / "fnc1" / name).open(encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if len(r["articleBody"].split()) > 80]
        rnd.shuffle(rows)
        for r in rows:
            if r["articleBody"] not in seen:
                seen.add(r["articleBody"])
                out.append((f"{prefix}_{r['Body ID']}", r["articleBody"]))
    return out[:limit]


def english_sentences() -> list[tuple[str, str]]:
    """English sentences for archives larger than the news bodies fill (past ~46k passages): VitaminC's Wikipedia
    evidence sentences and claims and Fool Me Twice's evidence sentences, grouped by Wikipedia page, 15 to an
    article, then Perspectrum's debate perspectives, 15 to an article; each distinct sentence once. Not news: they
    make the archive's size, latency and ingest figures measurable at 100k; sides found in them are not news sides."""
    import zipfile

    pages: dict[str, list[str]] = {}
    with zipfile.ZipFile(DATA / "vitaminc" / "vitaminc_real.zip") as z:
        for raw in z.open("vitaminc_real/test.jsonl"):
            r = json.loads(raw)
            pages.setdefault(f"vc-{r['page']}", []).extend([r["evidence"], r["claim"]])
    for split in ("dev", "test"):
        for line in (DATA / "fool_me_twice" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            evidence = [e["text"] for e in r["gold_evidence"] + r["retrieved_evidence"]]
            pages.setdefault(f"fm2-{r['wikipedia_page']}", []).extend(evidence)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for k, (_page, sentences) in enumerate(sorted(pages.items())):
        fresh = [t for t in dict.fromkeys(x.strip() for x in sentences) if 6 <= len(t.split()) <= 80 and t not in seen]
        seen.update(fresh)
        out += [(f"wiki_{k:05d}_{i:03d}", " ".join(fresh[i : i + 15])) for i in range(0, len(fresh), 15)]
    pool = json.loads((DATA / "perspectrum" / "perspective_pool_v1.0.json").read_text(encoding="utf-8"))
    perspectives = [p["text"].strip().rstrip(".") + "." for p in pool if p["text"].strip() not in seen]
    return out + _runs(list(dict.fromkeys(perspectives)), "persp")


def _runs(sentences: list[str], prefix: str, size: int = 15) -> list[tuple[str, str]]:
    return [(f"{prefix}_{i // size:05d}", " ".join(sentences[i : i + size])) for i in range(0, len(sentences), size)]


def norwegian() -> list[tuple[str, str]]:
    """NorNE sentences in order, 15 to an article."""
    out = []
    for part in ("dev", "test"):
        for line in (DATA / "norne_nob" / f"no_bokmaal-ud-{part}.conllu").read_text(encoding="utf-8").splitlines():
            if line.startswith("# text"):
                out.append(line.split("=", 1)[1].strip())
    return _runs(out, "norne")


def swedish() -> list[tuple[str, str]]:
    """Swedish news paraphrase sentences, argumentation test sentences and SweNLI premises, 15 to an article."""
    out: list[str] = []
    with (DATA / "superlim2_sweparaphrase_swediagnostics" / "sweparaphrase_train.tsv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if "news" in (r.get("genre") or ""):
                out.append(r["sentence_1"])
    with (DATA / "swe_argumentation_sentences" / "argumentation-sentences_test.jsonl").open(encoding="utf-8") as f:
        out += [json.loads(line)["sentence"] for line in f]
    with (DATA / "swenli" / "swenli_dev.jsonl").open(encoding="utf-8") as f:
        out += list(dict.fromkeys(json.loads(line)["premise"] for line in f))
    out = [s.strip() for s in out if 6 <= len(s.split()) <= 60]
    return _runs(list(dict.fromkeys(out)), "sv")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--passages", type=int, default=16000, help="about this many added passages (seeds not counted)")
    ap.add_argument("--out", default=str(ROOT / "build" / "archive"))
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    from text.passages import split_passages

    rnd = random.Random(args.seed)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # English news bodies first; past them (archives over ~46k passages), English sentences (not news)
    pools = {"en": english(10_000, rnd) + english_sentences(), "nb": norwegian(), "sv": swedish()}
    share = {"en": 0.5, "nb": 0.25, "sv": 0.25}
    # nb and sv hold about 4,000 passages each; past that, English fills what they cannot
    capacity = {"nb": 4000, "sv": 4000}
    metadata: dict[str, dict[str, dict[str, str]]] = {}
    total = 0
    spare = sum(max(0, int(args.passages * share[lang]) - cap) for lang, cap in capacity.items())
    for lang, docs in pools.items():
        budget, used = int(args.passages * share[lang]) + (spare if lang == "en" else 0), 0
        for doc_id, text in docs:
            if used >= budget:
                break
            n = len(split_passages(doc_id, text, lang))
            (out / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
            metadata[doc_id] = {"outlet": {"value": f"archive-{lang}"}}
            used += n
        print(f"{lang}: {used} passages", flush=True)
        total += used
    seeds = json.loads((ROOT / "seeds" / "metadata.json").read_text(encoding="utf-8"))
    for path in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(path, out / path.name)
    seeds["documents"].update(metadata)
    (out / "metadata.json").write_text(json.dumps(seeds, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{total} added passages in {len(metadata)} documents, plus the seeds: {out}")


if __name__ == "__main__":
    main()
