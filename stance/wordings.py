"""Wordings the serving side writes itself: main-clause negation and denial frames in en, nb and sv.

Counter-claims (stance.counter) are built from these; the training factory reuses them (training may import
serving, never the reverse). No wording here is taken from the seed articles or the gold sets.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Finite auxiliaries and frequent finite verbs after which a main-clause negation goes (V2 in nb/sv).
FINITE = {
    "en": _words("is are was were has have had will would can could should may might must does do did"),
    "nb": _words(
        "er var har hadde vil ville skal skulle kan kunne må måtte blir ble får fikk går gikk kommer kom sier sa "
        "finnes fantes ligger lå står sto viser viste mener mente tror trodde"
    ),
    "sv": _words(
        "är var har hade vill ville ska skulle kan kunde måste blir blev får fick går gick kommer kom säger sa "
        "finns fanns ligger låg står stod visar visade menar menade tror trodde"
    ),
}
NEGATION = {"en": "not", "nb": "ikke", "sv": "inte"}
_EXISTING_NEG = {
    "en": re.compile(r"\b(not|n't|never)\b ?", re.I),
    "nb": re.compile(r"\b(ikke|aldri)\b ?", re.I),
    "sv": re.compile(r"\b(inte|aldrig)\b ?", re.I),
}
# Generic denial frames: someone rejecting a statement, the commonest explicit contradiction in reporting.
DENIAL_OF = {
    "en": ["{x} denied that {s}", "{x} rejected claims that {s}"],
    "nb": ["{x} avviser at {s}", "{x} benekter at {s}"],
    "sv": ["{x} förnekar att {s}", "{x} avvisar uppgifterna om att {s}"],
}
# The same, with the statement left implicit (a denial reported in another language than the claim's).
DENIAL = {
    "en": ["{x} denied the reports.", "{x} rejected the claims as false."],
    "nb": ["{x} avviser påstandene.", "{x} tilbakeviser opplysningene."],
    "sv": ["{x} förnekar uppgifterna.", "{x} avvisar påståendena som felaktiga."],
}


def body(s: str) -> str:
    """The sentence as a subordinate clause body: no final punctuation, first letter lowered unless a name."""
    s = s.strip().rstrip(".!?")
    first, _, rest = s.partition(" ")
    if first[:1].isupper() and first[1:].islower() and len(first) > 1:
        first = first.lower()
    return f"{first} {rest}".strip()


def sentence(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:] + ("" if s.endswith((".", "!", "?", "»", "”", '"')) else ".")


def negate(s: str, lang: str) -> str | None:
    """Flip the polarity of the main clause: remove an existing negation, or add one after the first finite verb."""
    existing = _EXISTING_NEG[lang]
    if existing.search(s):
        flipped = existing.sub("", s, count=1)
        return re.sub(r"\bcan ?(?=\s|$)", "can ", flipped).replace("  ", " ")
    words = s.split(" ")
    for i, w in enumerate(words[1:12], 1):
        bare = re.sub(r"[^\wæøåäö']", "", w.lower())
        if bare in FINITE[lang]:
            return " ".join(words[: i + 1] + [NEGATION[lang]] + words[i + 1 :])
        if lang == "en" and bare.endswith("n't"):
            return None
    return None
