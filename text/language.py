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
_MIN_CONFIDENCE = 0.5
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


def detect_document_language(text: str) -> str:
    """The dominant language of a whole document."""
    return detect(text[:5000], fallback="und")
