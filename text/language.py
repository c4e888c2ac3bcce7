"""Detect the language of documents and passages (nb, sv, en) with lingua."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

SUPPORTED = ("nb", "sv", "en")
_CODES = {
    Language.BOKMAL: "nb",
    Language.NYNORSK: "nb",
    Language.DANISH: "nb",
    Language.SWEDISH: "sv",
    Language.ENGLISH: "en",
}
_MIN_CONFIDENCE = 0.5  # passages and documents: below it they take their document's (or the caller's) language
# claims: lingua's best language when its confidence reaches 0.2, chosen on the fit half of 4-15-word Tatoeba
# sentences (worst-language accuracy 0.982 at 0.2 and 0.0, 0.414 at 0.5); bench/results/short_language.txt
CLAIM_FLOOR = 0.2
_MIN_WORDS = 3


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """One shared detector restricted to the Scandinavian languages and English."""
    return LanguageDetectorBuilder.from_languages(*_CODES).with_preloaded_language_models().build()


def detect(text: str, fallback: str = "und") -> str:
    """The language code of `text`, or `fallback` when the text is too short or ambiguous."""
    if len(text.split()) < _MIN_WORDS:
        return fallback
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < _MIN_CONFIDENCE:
        return fallback
    return _CODES[values[0].language]


def detect_claim(text: str) -> str:
    """The language of a claim (usually one short sentence), und when it has under three words or lingua is unsure."""
    if len(text.split()) < _MIN_WORDS:
        return "und"
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < CLAIM_FLOOR:
        return "und"
    return _CODES[values[0].language]


def detect_document_language(text: str) -> str:
    """The dominant language of a whole document."""
    return detect(text[:5000], fallback="und")
