"""Language detection of short texts (claims are one sentence): accuracy per language on sentences nobody here wrote.

Sets (../shared/data/parallel_scandi_opus_testsets, never committed): Tatoeba test sentences of 4-15 words (nob from
eng-nob, swe and eng from eng-swe), split by a hash of the sentence into a fit half (choices are made there) and a
check half (reported); FLORES-200 devtest (longer Wikinews/Wikivoyage sentences, all 1,012 per language) as a second
check. Compares lingua's single best language (the detector before) with the per-archive-language sum of lingua's
confidences (Bokmål + Nynorsk + Danish count for nb), at the confidence floor chosen on the fit half.

    python bench/short_language.py [--per-language 500]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import PARALLEL, flores  # noqa: E402

from text.language import _CODES, _MIN_WORDS, CLAIM_FLOOR, SUPPORTED, _detector, detect_claim  # noqa: E402

TATOEBA = {"nb": "eng-nob/tatoeba-test-v2021-08-07.nob", "sv": "eng-swe/tatoeba-test-v2021-08-07.swe"}
TATOEBA["en"] = "eng-swe/tatoeba-test-v2021-08-07.eng"


def confidences(text: str) -> dict[str, float]:
    """lingua's confidence per archive language, summed over the languages each stands for (nb: Bokmål,
    Nynorsk and Danish), so a Norwegian claim lingua splits between Bokmål and Danish is still read as nb."""
    scores = dict.fromkeys(SUPPORTED, 0.0)
    for value in _detector().compute_language_confidence_values(text):
        scores[_CODES[value.language]] += value.value
    return scores


def half(text: str) -> str:
    return "fit" if int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2 else "check"


def tatoeba(per_language: int) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {"fit": {}, "check": {}}
    for lang, rel in TATOEBA.items():
        lines = sorted({ln.strip() for ln in (PARALLEL / "tatoeba" / rel).read_text(encoding="utf-8").splitlines()})
        short = [ln for ln in lines if 4 <= len(ln.split()) <= 15]
        short.sort(key=lambda s: hashlib.sha1(s.encode()).hexdigest())
        for part in out:
            out[part][lang] = [s for s in short if half(s) == part][:per_language]
    return out


def best_single(text: str, floor: float) -> str:
    """The detector before: lingua's single best language, und below the floor."""
    if len(text.split()) < _MIN_WORDS:
        return "und"
    values = _detector().compute_language_confidence_values(text)
    return _CODES[values[0].language] if values and values[0].value >= floor else "und"


def summed(text: str, floor: float) -> str:
    """Confidences summed per archive language, und below the floor."""
    if len(text.split()) < _MIN_WORDS:
        return "und"
    scores = confidences(text)
    lang = max(scores, key=scores.__getitem__)
    return lang if scores[lang] >= floor else "und"


_THREE = None


def three_languages(text: str, floor: float) -> str:
    """A detector that knows only Bokmål, Swedish and English: lingua's best of those three."""
    global _THREE
    if _THREE is None:
        from lingua import Language, LanguageDetectorBuilder

        _THREE = LanguageDetectorBuilder.from_languages(Language.BOKMAL, Language.SWEDISH, Language.ENGLISH).build()
    if len(text.split()) < _MIN_WORDS:
        return "und"
    values = _THREE.compute_language_confidence_values(text)
    return _CODES[values[0].language] if values and values[0].value >= floor else "und"


def table(name: str, sets: dict[str, list[str]], method, floor: float) -> tuple[str, float]:
    rows, worst = [], 1.0
    for lang, texts in sets.items():
        got = Counter(method(t, floor) for t in texts)
        acc = got[lang] / len(texts)
        worst = min(worst, acc)
        others = ", ".join(f"{k} {v}" for k, v in got.most_common() if k != lang)
        rows.append(f"  {name:<34} {lang}  n={len(texts):<5} accuracy {acc:.3f}  ({others or 'all right'})")
    return "\n".join(rows), worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-language", type=int, default=500)
    args = ap.parse_args()
    parts = tatoeba(args.per_language)
    every = flores()
    devtest = {lang: every[lang] for lang in ("nb", "sv", "en")}  # the order the tables print
    print("# python bench/short_language.py  (Tatoeba 4-15 words, fit/check halves by sentence hash; FLORES-200 devtest)")
    floors = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
    chosen = {}
    methods = (
        ("best single language", best_single),
        ("summed per archive language", summed),
        ("three languages", three_languages),
    )
    for name, method in methods:
        fit = {f: min(sum(method(t, f) == lang for t in ts) / len(ts) for lang, ts in parts["fit"].items()) for f in floors}
        chosen[name] = max(floors, key=lambda f: (round(fit[f], 3), f))  # ties: the more cautious floor
        print(f"fit half, worst-language accuracy by floor ({name}): " + ", ".join(f"{f}: {a:.3f}" for f, a in fit.items()))
    print(f"the product's claim detector (text.language.detect_claim, floor {CLAIM_FLOOR}):")
    for label, sets in (("tatoeba check", parts["check"]), ("flores devtest", devtest)):
        for lang, texts in sets.items():
            got = Counter(detect_claim(t) for t in texts)
            print(f"  {label:<15} {lang}  n={len(texts):<5} accuracy {got[lang] / len(texts):.3f}")
    for name, method in methods:
        f = chosen[name]
        text, worst = table(f"{name} @ {f}: tatoeba check", parts["check"], method, f)
        print(text)
        text, _ = table(f"{name} @ {f}: flores devtest", devtest, method, f)
        print(text)
        print(f"  worst language on the check half: {worst:.3f}")


if __name__ == "__main__":
    main()
