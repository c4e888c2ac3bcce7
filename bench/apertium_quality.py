"""How good are the Apertium Bokmål training pairs? FLORES-200 devtest sv->nb and da->nb against the Bokmål reference.

    python bench/apertium_quality.py          # chrF and BLEU (sacrebleu), and the untranslated source as a floor

The source sentence itself scored against the reference is the floor (Swedish and Danish share much with Bokmål):
the gain over it is what the translation adds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import sacrebleu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.factory.apertium import translate  # noqa: E402
from training.factory.sources import DATA  # noqa: E402

FLORES = DATA / "parallel_scandi_opus_testsets" / "flores200_devtest"


def lines(lang: str) -> list[str]:
    return (FLORES / f"{lang}_Latn.devtest").read_text(encoding="utf-8").splitlines()


def main() -> None:
    ref = lines("nob")
    print(f"FLORES-200 devtest, {len(ref)} sentences, reference nob (sacrebleu {sacrebleu.__version__})")
    print(f"{'pair':<10}{'chrF':>8}{'BLEU':>8}{'src chrF':>10}{'src BLEU':>10}{'sent/s':>9}")
    for src_lang, pair in (("swe", "swe-nob"), ("dan", "dan-nob")):
        src = lines(src_lang)
        t0 = time.monotonic()
        hyp = translate(src, pair)
        rate = len(src) / max(1e-9, time.monotonic() - t0)
        chrf, bleu = sacrebleu.corpus_chrf(hyp, [ref]).score, sacrebleu.corpus_bleu(hyp, [ref]).score
        chrf0, bleu0 = sacrebleu.corpus_chrf(src, [ref]).score, sacrebleu.corpus_bleu(src, [ref]).score
        print(f"{pair:<10}{chrf:>8.1f}{bleu:>8.1f}{chrf0:>10.1f}{bleu0:>10.1f}{rate:>9.0f}")
        for s, h, r in list(zip(src, hyp, ref, strict=True))[:2]:
            print(f"  src: {s}\n  mt:  {h}\n  ref: {r}")


if __name__ == "__main__":
    main()
