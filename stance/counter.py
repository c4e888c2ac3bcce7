"""Counter-claims: what a passage contradicting a claim would say, in each archive language, to retrieve denials."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from index.entity.mentions import find_mentions
from index.passages import Passage
from stance.factory.transforms import negate, not_involved_wordings

LANGUAGES = ("en", "nb", "sv")


def actor(claim: str, lang: str) -> str | None:
    """The claim's first name mention ('US' in 'The US-led coalition let …'): whom a denial would come from."""
    mentions = find_mentions(Passage("claim", 0, 0, len(claim), claim, lang))
    return mentions[0].surface if mentions else None


def counter_claims(claim: str, lang: str) -> dict[str, list[str]]:
    """Per archive language, sentences a contradicting passage would resemble: the claim's actor denying any
    involvement (the factory's templates, so written as the model learnt them) and, in the claim's own language,
    the claim negated where a finite auxiliary allows it. Languages with nothing to say are left out."""
    who = actor(claim, lang if lang in LANGUAGES else "en")
    out: dict[str, list[str]] = {}
    for language in LANGUAGES:
        texts = not_involved_wordings(who, language) if who else []
        negated = negate(claim, language) if language == lang else None
        if negated:
            texts.append(negated)
        if texts:
            out[language] = texts
    return out


def interleave(ranked: Mapping[str, Sequence[str]], first: str) -> list[str]:
    """One list from per-language rankings, taking each language's next best in turn (the claim's language first):
    e5 cosines are not comparable across languages, ranks within one are."""
    order = sorted(ranked, key=lambda language: (language != first, language))
    rounds = itertools.zip_longest(*(ranked[language] for language in order))
    return list(dict.fromkeys(pid for row in rounds for pid in row if pid is not None))
