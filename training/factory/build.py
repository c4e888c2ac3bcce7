"""Build labelled (claim, passage) pairs with provenance; write them as JSON Lines with a held-out split.

    python -m training.factory.build --out build/stance        # then: python bench/factory_report.py

Labels by construction: supports, contradicts, neither. Every pair keeps source set, transformation and
languages. Sentences that share an 8-word sequence with the seed articles or the gold set are never used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from stance.wordings import DENIAL
from training.factory import nli, sources
from training.factory.labelled import pair
from training.factory.sources import Sentence
from training.factory.transforms import (
    ACTORS,
    attribute,
    attributed_negation,
    change_number,
    clauses,
    deny,
    negate,
    no_longer,
    not_only,
    shorten,
    subject,
    swap_name,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "eval"


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def protected_grams() -> set[tuple[str, ...]]:
    """8-grams of the seed articles and every gold text: no training pair may contain one."""
    grams: set[tuple[str, ...]] = set()
    for path in SEEDS.glob("*.txt"):
        grams |= _grams(path.read_text(encoding="utf-8"))
    for path in GOLD.glob("*.json"):
        grams |= _grams(path.read_text(encoding="utf-8"))
    return grams


def _neighbour(s: Sentence, groups: dict[str, list[Sentence]], rnd: random.Random) -> Sentence | None:
    others = [o for o in groups.get(s.group, []) if o.uid != s.uid]
    return rnd.choice(others) if others else None


def _anchors(text: str) -> set[str]:
    """Names and numbers of a sentence: what a hard negative shares with it."""
    return set(re.findall(r"\b[A-ZÆØÅÄÖ][\wæøåäö]+|\d[\d.,]*", text)) - {text.split(" ")[0]}


def _closest(s: Sentence, groups: dict[str, list[Sentence]]) -> Sentence | None:
    """The other sentence of the same article sharing most names and numbers with it (at least one)."""
    mine = _anchors(s.text)
    scored = [(len(mine & _anchors(o.text)), o.uid, o) for o in groups.get(s.group, []) if o.uid != s.uid]
    best = max(scored, default=None, key=lambda x: (x[0], x[1]))
    return best[2] if best and best[0] > 0 else None


def monolingual(sentences: list[Sentence], rnd: random.Random, name_pool: list[str]) -> Iterator[dict[str, Any]]:
    """Support, contradiction and neither pairs from single-language sentences."""
    groups: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        groups[s.group].append(s)
    # without annotation, a person-like name: two capitalised words not opening the sentence
    caps = re.compile(r"(?<=[a-zæøåäö,] )[A-ZÆØÅÄÖ][a-zæøåäö]+ [A-ZÆØÅÄÖ][a-zæøåäö]+\b")
    for s in sentences:
        lang, text = s.lang, s.text
        short = shorten(text) or text
        yield pair(short, text, "supports", s, "shorten" if short != text else "identity", lang, lang)
        if rnd.random() < 0.5:
            yield pair(short, attribute(text, lang, rnd), "supports", s, "attribution", lang, lang)
        neg = negate(text, lang)
        if neg:
            if rnd.random() < 0.5:
                yield pair(shorten(neg) or neg, text, "contradicts", s, "negation-claim", lang, lang)
            else:
                yield pair(short, neg, "contradicts", s, "negation-passage", lang, lang)
        if rnd.random() < 0.35:
            yield pair(short, deny(text, lang, rnd), "contradicts", s, "denial", lang, lang)
        if rnd.random() < 0.25:
            said_not = attributed_negation(text, lang, rnd)
            if said_not:
                yield pair(short, said_not, "contradicts", s, "attributed-negation", lang, lang)
        changed = change_number(text, rnd)
        if changed:
            yield pair(changed, text, "contradicts", s, "number", lang, lang)
        later = no_longer(text, lang)
        if later:
            yield pair(later, text, "contradicts", s, "still-no-longer", lang, lang)
        names = list(s.names) or [m.group(0) for m in caps.finditer(text)]
        swapped = swap_name(text, names, name_pool, rnd)
        if swapped:
            yield pair(swapped, text, "contradicts", s, "actor-swap", lang, lang)
        other = _neighbour(s, groups, rnd) if rnd.random() < 0.4 else None
        if other:
            yield pair(short, other.text, "neither", s, "same-article", lang, lang)
            if rnd.random() < 0.5:
                yield pair(short, not_only(text, other.text, lang, rnd), "supports", s, "not-only", lang, lang)
        if rnd.random() < 0.5:
            yield pair(short, rnd.choice(sentences).text, "neither", s, "random", lang, lang)
        yield from _actor_pairs(s, short, subject(text, lang, s.names), lang, lang, rnd, "")
        split = clauses(text)
        if split:
            yield pair(split[1], split[0], "neither", s, "other-clause", lang, lang)
        close = _closest(s, groups) if rnd.random() < 0.5 else None
        if close:
            yield pair(short, close.text, "neither", s, "same-article-shared-names", lang, lang)


def actor_only(sentences: list[Sentence], rnd: random.Random) -> Iterator[dict[str, Any]]:
    """Only the actor pairs (the actor rejecting the reports / another actor doing so) of sentences not otherwise used."""
    for s in sentences:
        yield from _actor_pairs(s, shorten(s.text) or s.text, subject(s.text, s.lang, s.names), s.lang, s.lang, rnd, "")


def _actor_pairs(
    s: Sentence, claim: str, actor: str | None, claim_lang: str, lang: str, rnd: random.Random, prefix: str
) -> Iterator[dict[str, Any]]:
    """The claim's actor rejecting the reports (contradicts) or another actor doing so (neither), in the generic
    denial frames of stance.wordings (the involvement wordings cut from the dev set's quotes are gone)."""
    if not actor:
        return
    if rnd.random() < 0.4:
        yield pair(claim, rnd.choice(DENIAL[lang]).format(x=actor), "contradicts", s, prefix + "actor-denial", claim_lang, lang)
    if rnd.random() < 0.3:
        other = rnd.choice([a for a in ACTORS[lang] if a != actor])
        denial = rnd.choice(DENIAL[lang]).format(x=other)
        yield pair(claim, denial, "neither", s, prefix + "other-actor-denial", claim_lang, lang)


def crosslingual(tuples: Iterable[dict[str, Sentence]], rnd: random.Random) -> Iterator[dict[str, Any]]:
    """Pairs across languages from translations: a sentence supports its translation, its negation contradicts it."""
    tuples = list(tuples)
    for i, t in enumerate(tuples):
        langs = list(t)
        for a in langs:
            for b in langs:
                if a == b or rnd.random() < 0.4:
                    continue
                claim_src, passage = t[a], t[b].text
                short = shorten(claim_src.text) or claim_src.text
                yield pair(short, passage, "supports", claim_src, "translation", a, b)
                if rnd.random() < 0.3:
                    yield pair(short, attribute(passage, b, rnd), "supports", claim_src, "translation-attribution", a, b)
                neg = negate(claim_src.text, a)
                if neg and rnd.random() < 0.7:
                    yield pair(shorten(neg) or neg, passage, "contradicts", claim_src, "translation-negation", a, b)
                if rnd.random() < 0.3:
                    yield pair(short, deny(passage, b, rnd), "contradicts", claim_src, "translation-denial", a, b)
                said_not = attributed_negation(passage, b, rnd) if rnd.random() < 0.2 else None
                if said_not:
                    yield pair(short, said_not, "contradicts", claim_src, "translation-attributed-negation", a, b)
                neighbour = tuples[i + 1 if i + 1 < len(tuples) else i - 1]
                if b in neighbour and rnd.random() < 0.25:
                    also = not_only(passage, neighbour[b].text, b, rnd)
                    yield pair(short, also, "supports", claim_src, "translation-not-only", a, b)
                actor = subject(t[b].text, b, t[b].names)
                if actor and rnd.random() < 0.5:
                    yield from _actor_pairs(claim_src, short, actor, a, b, rnd, "translation-")
                if b in neighbour and neighbour[b].group == t[b].group:
                    yield pair(short, neighbour[b].text, "neither", claim_src, "translation-neighbour", a, b)
                elif rnd.random() < 0.5:
                    yield pair(short, rnd.choice(tuples)[b].text, "neither", claim_src, "translation-random", a, b)


def build(out: Path, seed: int = 13) -> Counter[str]:
    """Write train.jsonl and heldout.jsonl under `out`; return counts."""
    rnd = random.Random(seed)
    protected = protected_grams()
    en = sources.fnc1_sentences()
    sv = sources.swenli_premises()[:3000] + sources.argumentation_sentences()[:1500]
    nb = sources.norne_sentences()
    nb_names = sorted({n for s in nb for n in s.names})
    caps = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
    en_names = sorted({m.group(0) for s in en for m in caps.finditer(s.text)})[:3000]
    pairs: list[dict[str, Any]] = []
    en_sample = rnd.sample(en, min(4000, len(en)))
    pairs += monolingual(en_sample, rnd, en_names)
    pairs += actor_only(sorted(set(en) - set(en_sample), key=lambda s: s.uid), rnd)
    pairs += monolingual(sv, rnd, en_names)
    pairs += monolingual(nb, rnd, nb_names)
    triples = list(sources.flores())
    pairs += crosslingual(triples, rnd)
    pairs += crosslingual([{"en": a, "nb": b} for a, b in sources.tatoeba("eng-nob", "en", "nb", 1500)], rnd)
    pairs += crosslingual([{"en": a, "sv": b} for a, b in sources.tatoeba("eng-swe", "en", "sv", 1500)], rnd)
    pairs += nli.all_pairs(rnd)
    kept = [p for p in pairs if not (_grams(p["claim"]) | _grams(p["passage"])) & protected]
    rnd.shuffle(kept)
    out.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    files = {name: (out / f"{name}.jsonl").open("w", encoding="utf-8") for name in ("train", "heldout")}
    for p in kept:
        files[p["split"]].write(json.dumps(p, ensure_ascii=False) + "\n")
        counts[p["split"]] += 1
    for f in files.values():
        f.close()
    counts["dropped_seed_overlap"] = len(pairs) - len(kept)
    (out / "manifest.json").write_text(json.dumps({"seed": seed, "counts": counts}, indent=1))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT / "build" / "stance"))
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    print(json.dumps(build(Path(args.out), args.seed)))


if __name__ == "__main__":
    main()
