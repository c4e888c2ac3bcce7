"""Label-preserving and label-changing edits of a sentence in en, nb or sv, each returning None when it does not apply."""

from __future__ import annotations

import random
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Finite auxiliaries and frequent finite verbs after which a main-clause negation goes (V2 in nb/sv).
_FINITE = {
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


def _body(s: str) -> str:
    """The sentence as a subordinate clause body: no final punctuation, first letter lowered unless a name."""
    s = s.strip().rstrip(".!?")
    first, _, rest = s.partition(" ")
    if first[:1].isupper() and first[1:].islower() and len(first) > 1:
        first = first.lower()
    return f"{first} {rest}".strip()


def _sentence(s: str) -> str:
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
        if bare in _FINITE[lang]:
            return " ".join(words[: i + 1] + [NEGATION[lang]] + words[i + 1 :])
        if lang == "en" and bare.endswith("n't"):
            return None
    return None


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
_NOT_INVOLVED = {
    "en": ["{x} denied any involvement.", "{x} said it was not involved.", "{x} says it had nothing to do with it."],
    "nb": [
        "{x} nekter for å ha vært involvert.",
        "{x} sier de ikke var med på det.",
        "{x} avviser at de hadde noe med det å gjøre.",
    ],
    "sv": ["{x} förnekar all inblandning.", "{x} säger att de inte var inblandade.", "{x} nekar till att ha varit delaktiga."],
}
_INVOLVED = {
    "en": ["{x} confirmed its involvement.", "{x} admitted it had taken part."],
    "nb": ["{x} bekrefter at de var involvert.", "{x} innrømmer at de var med på det."],
    "sv": ["{x} bekräftar sin inblandning.", "{x} medger att de var delaktiga."],
}
_COPULA = _words("is are was were er var ble blir är blev blir")
_CLAUSE_SEP = re.compile(r", (?:and|but|while|og|men|mens|och|medan) |; | – ")


def subject(s: str, lang: str, names: tuple[str, ...] = ()) -> str | None:
    """The actor before the main clause's finite verb, when it is a name (annotated or capitalised words) or 'the X',
    the verb is not a copula and the sentence is not speech ('X said' is an attribution, not an act)."""
    words = s.split(" ")
    for i, w in enumerate(words[1:5], 1):
        bare = re.sub(r"[^\wæøåäö']", "", w.lower())
        past = lang == "en" and bare.endswith("ed") and len(bare) > 4
        if bare in _FINITE[lang] or past or bare in _SPEECH:
            head = " ".join(words[:i]).rstrip(",")
            named = head in names or (i > 1 or lang == "en") and all(x[:1].isupper() for x in words[:i])
            nominal = lang == "en" and words[0] == "The" and all(x[:1].isupper() for x in words[1:i])
            if bare in _SPEECH or bare in _COPULA or words[0].lower() in _PRONOUN or not (named or nominal):
                return None
            return head if not re.search(r"[,;:()\"«»]", head) else None
    return None


def not_involved(actor: str, lang: str, rnd: random.Random) -> str:
    """'X denied any involvement': the actor of the claim rejecting its part in it (a contradiction)."""
    return rnd.choice(_NOT_INVOLVED[lang]).format(x=actor)


def not_involved_wordings(actor: str, lang: str) -> list[str]:
    """Every wording of 'X denied any involvement' in this language (query-side counter-claims use them all)."""
    return [t.format(x=actor) for t in _NOT_INVOLVED[lang]]


def involved(actor: str, lang: str, rnd: random.Random) -> str:
    """'X confirmed its involvement': the actor owning its part (support), so 'involvement' is no cue by itself."""
    return rnd.choice(_INVOLVED[lang]).format(x=actor)


def clauses(s: str) -> tuple[str, str] | None:
    """Two coordinated main clauses of a sentence, each long enough to stand alone: separate propositions on one
    topic, sharing its names and numbers (hard 'neither' pairs)."""
    parts = _CLAUSE_SEP.split(s.strip().rstrip(".!?"), maxsplit=1)
    if len(parts) != 2 or min(len(p.split()) for p in parts) < 5:
        return None
    return _sentence(parts[0]), _sentence(parts[1])
