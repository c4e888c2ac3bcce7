"""Counter-claims: what a passage contradicting a claim would say, in each archive language, to retrieve denials.

Built from the claim by general means only (stance.wordings): the claim negated and the claim's actor denying it,
in the claim's own language, and in every archive language the actor rejecting the reports (the claim itself
cannot be restated in another language without a translation). Nothing is worded after the seeds or the gold sets.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence

from stance.wordings import DENIAL, DENIAL_OF, body, negate, sentence
from text.entity.mentions import find_mentions
from text.language import SUPPORTED
from text.passages import Passage

LANGUAGES = SUPPORTED


def actor(claim: str, lang: str) -> str | None:
    """The claim's first name mention ('US' in 'The US-led coalition let …'): whom a denial would come from."""
    mentions = find_mentions(Passage("claim", 0, 0, len(claim), claim, lang))
    return mentions[0].surface if mentions else None


def counter_claims(claim: str, lang: str) -> dict[str, list[str]]:
    """Per archive language, sentences a contradicting passage would resemble; languages with nothing are left out."""
    who = actor(claim, lang if lang in LANGUAGES else "en")
    out: dict[str, list[str]] = {}
    for language in LANGUAGES:
        texts: list[str] = []
        if language == lang:
            negated = negate(claim, language)
            texts += [negated] if negated else []
            texts += [sentence(f.format(x=who, s=body(claim))) for f in DENIAL_OF[language]] if who else []
        texts += [f.format(x=who) for f in DENIAL[language]] if who else []
        if texts:
            out[language] = texts
    return out


def language_order(languages: Iterable[str], first: str) -> list[str]:
    """The order in which languages take their turns: the claim's first, then by name."""
    return sorted(languages, key=lambda language: (language != first, language))


def interleave(ranked: Mapping[str, Sequence[str]], first: str) -> list[str]:
    """One list from per-language rankings, taking each language's next best in turn (the claim's language first):
    e5 cosines are not comparable across languages, ranks within one are."""
    order = language_order(ranked, first)
    rounds = itertools.zip_longest(*(ranked[language] for language in order))
    return list(dict.fromkeys(pid for row in rounds for pid in row if pid is not None))
