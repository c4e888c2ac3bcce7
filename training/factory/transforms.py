"""Label-preserving and label-changing edits of a sentence in en, nb or sv, each returning None when it does not apply."""

from __future__ import annotations

import random
import re

from stance.wordings import FINITE, negate
from stance.wordings import body as _body
from stance.wordings import sentence as _sentence

__all__ = ["negate"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STILL = {
    "en": [(r"\b(is|are|was|were) still\b", r"\1 no longer"), (r"\bstill (holds?|controls?|remains?)\b", r"no longer \1")],
    "nb": [(r"\b(er|var) fortsatt\b", r"\1 ikke lenger"), (r"\bfortsatt\b", "ikke lenger")],
    "sv": [(r"\b(är|var) fortfarande\b", r"\1 inte längre"), (r"\bfortfarande\b", "inte längre")],
}
ACTORS = {
    "en": ["The ministry", "A government spokesman", "The police", "Officials", "The company", "Local sources"],
    "nb": ["Departementet", "En talsmann for regjeringen", "Politiet", "Myndighetene", "Selskapet", "Lokale kilder"],
    "sv": ["Departementet", "En talesperson för regeringen", "Polisen", "Myndigheterna", "Företaget", "Lokala källor"],
}
_SAY = {"en": "{a} said that {s}", "nb": "{a} sier at {s}", "sv": "{a} säger att {s}"}
_CLAIMED = {"en": "It is claimed that {s}", "nb": "Det hevdes at {s}", "sv": "Det hävdas att {s}"}
_DENY = {
    "en": ["{a} denied that {s}", "{a} rejected reports that {s}"],
    "nb": ["{a} avviser at {s}", "{a} nekter for at {s}"],
    "sv": ["{a} förnekar att {s}", "{a} tillbakavisar att {s}"],
}
_NOT_ONLY = {
    "en": "{a} claims not only that {s}, but also that {o}",
    "nb": "{a} hevder ikke bare at {s}, men også at {o}",
    "sv": "{a} hävdar inte bara att {s}, utan också att {o}",
}
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ .,]\d{3})+|\d+)(?![\w,.]\d)")


def no_longer(s: str, lang: str) -> str | None:
    """'is still' -> 'is no longer' (and nb/sv equivalents)."""
    for pattern, repl in _STILL[lang]:
        if re.search(pattern, s, re.I):
            return re.sub(pattern, repl, s, count=1, flags=re.I)
    return None


def change_number(s: str, rnd: random.Random) -> str | None:
    """Replace the first number by one clearly outside any hedge (x0.3 or x3, rounded); years are left alone."""
    for m in _NUMBER.finditer(s):
        digits = re.sub(r"\D", "", m.group(1))
        value = int(digits)
        if 1900 <= value <= 2100 or value < 3:
            continue
        new = max(1, round(value * rnd.choice([0.3, 0.4, 3, 4])))
        sep = next((c for c in m.group(1) if not c.isdigit()), "")
        text = f"{new:,}".replace(",", sep) if sep and new >= 1000 else str(new)
        return s[: m.start()] + text + s[m.end() :]
    return None


def swap_name(s: str, names: list[str], pool: list[str], rnd: random.Random) -> str | None:
    """Replace a named actor by another name of the corpus."""
    present = [n for n in names if n in s and len(n) > 2]
    if not present or not pool:
        return None
    old = rnd.choice(present)
    new = rnd.choice([p for p in pool if p != old and p not in s] or [None])
    return None if new is None else s.replace(old, new, 1)


def shorten(s: str) -> str | None:
    """The main clause before the first comma (or before 'and/og/och'), when long enough to stand alone."""
    for sep in (", ", " and ", " og ", " och ", " – "):
        head = s.split(sep)[0]
        if head != s and len(head.split()) >= 5:
            return _sentence(head)
    return None


def attribute(s: str, lang: str, rnd: random.Random) -> str:
    """Report the sentence as someone's assertion: support is kept."""
    template = rnd.choice([_SAY[lang], _CLAIMED[lang]])
    return _sentence(template.format(a=rnd.choice(ACTORS[lang]), s=_body(s)))


def deny(s: str, lang: str, rnd: random.Random) -> str:
    """Report someone denying the sentence: a contradiction."""
    return _sentence(rnd.choice(_DENY[lang]).format(a=rnd.choice(ACTORS[lang]), s=_body(s)))


def not_only(s: str, other: str, lang: str, rnd: random.Random) -> str:
    """'X claims not only that S, but also that O': negation words around an assertion that still supports S."""
    return _sentence(_NOT_ONLY[lang].format(a=rnd.choice(ACTORS[lang]), s=_body(s), o=_body(other)))


def attributed_negation(s: str, lang: str, rnd: random.Random) -> str | None:
    """'X says that not-S': someone asserting the opposite, which contradicts S (attribution does not change stance)."""
    neg = negate(s, lang)
    return None if neg is None else attribute(neg, lang, rnd)


_SPEECH = _words(
    "say says said tell tells told think thinks thought sier sa forteller fortalte mener mente tror trodde "
    "säger sa berättar berättade menar menade tror trodde"
)
_PRONOUN = _words(
    "it this that there these those he she they we i you one det den dette disse han hun de vi jeg du man "
    "denna detta dessa hon men but and og och kanskje der her nå da så nu där här då var något lyckligtvis on in at "
    "if when om hvis när"
)
_COPULA = _words("is are was were er var ble blir är blev blir")
_CLAUSE_SEP = re.compile(r", (?:and|but|while|og|men|mens|och|medan) |; | – ")


def subject(s: str, lang: str, names: tuple[str, ...] = ()) -> str | None:
    """The actor before the main clause's finite verb, when it is a name (annotated or capitalised words) or 'the X',
    the verb is not a copula and the sentence is not speech ('X said' is an attribution, not an act)."""
    words = s.split(" ")
    for i, w in enumerate(words[1:5], 1):
        bare = re.sub(r"[^\wæøåäö']", "", w.lower())
        past = lang == "en" and bare.endswith("ed") and len(bare) > 4
        if bare in FINITE[lang] or past or bare in _SPEECH:
            head = " ".join(words[:i]).rstrip(",")
            named = head in names or (i > 1 or lang == "en") and all(x[:1].isupper() for x in words[:i])
            nominal = lang == "en" and words[0] == "The" and all(x[:1].isupper() for x in words[1:i])
            if bare in _SPEECH or bare in _COPULA or words[0].lower() in _PRONOUN or not (named or nominal):
                return None
            return head if not re.search(r"[,;:()\"«»]", head) else None
    return None


def clauses(s: str) -> tuple[str, str] | None:
    """Two coordinated main clauses of a sentence, each long enough to stand alone: separate propositions on one
    topic, sharing its names and numbers (hard 'neither' pairs)."""
    parts = _CLAUSE_SEP.split(s.strip().rstrip(".!?"), maxsplit=1)
    if len(parts) != 2 or min(len(p.split()) for p in parts) < 5:
        return None
    return _sentence(parts[0]), _sentence(parts[1])
