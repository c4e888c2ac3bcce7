"""When two passages state the same thing: e5 cosine thresholds per language pair, measured (bench/statement_threshold.py)."""

from __future__ import annotations

# e5 passage-passage cosine above which two passages state the same thing. FLORES-200 devtest, 300 sentences:
# en-nb / en-sv at 0.86 keep 94-95 % of translations with 0.7 % of next-sentence neighbours; nb-sv (and
# same-language pairs, whose cosines run higher) need 0.88 for 99 % recall with 5 % neighbours.
SAME_STATEMENT_CROSS_ENGLISH = 0.86
SAME_STATEMENT_OTHERWISE = 0.88


def same_statement_threshold(lang_a: str, lang_b: str) -> float:
    """Cosine threshold for 'the same statement' between passages in two languages."""
    if lang_a != lang_b and "en" in (lang_a, lang_b):
        return SAME_STATEMENT_CROSS_ENGLISH
    return SAME_STATEMENT_OTHERWISE
