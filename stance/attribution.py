"""Who a passage says asserts something: 'Russian TV claims', 'SOHR confirms', 'ifølge NTB', 'enligt polisen'."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHO = r"(?P<who>(?:[A-ZÆØÅÄÖ][\w.’'-]*|the|det|den|de|da|en|ett|a|an)(?:[ -](?:[\w.’'-]+)){0,6}?)"
_CUES = {
    "en": r"said|says|claims?|claimed|confirms?|confirmed|reports?|reported|told|added|insists?|insisted|alleges?|alleged|"
    r"denies|denied|maintains?|stated|states|announced|accused|argues|argued",
    "nb": r"hevder|hevdet|sier|sa|bekrefter|bekreftet|melder|meldte|skriver|skrev|avviser|avviste|nekter|nektet|mener|"
    r"opplyser|opplyste|påstår|anklager",
    "sv": r"hävdar|hävdade|säger|sa|sade|bekräftar|bekräftade|rapporterar|rapporterade|skriver|skrev|förnekar|förnekade|"
    r"menar|uppger|uppgav|påstår|anklagar",
}
_SUBJECT_FIRST = {
    lang: re.compile(rf"^[«“\"”–-]?\s*{_WHO}(?:,[^,]{{2,90}},)?\s+(?P<cue>{cues})\b", re.UNICODE) for lang, cues in _CUES.items()
}
_AFTER_QUOTE = {
    lang: re.compile(rf"[,»”\"]\s*(?P<cue>{cues})\s+{_WHO}(?:\s+(?:til|till|to)\b|[.,]|$)") for lang, cues in _CUES.items()
}
_ACCORDING = re.compile(r"\b(?P<cue>(?i:according to|ifølge|enligt))\s+(?P<who>[\w.’'-]+(?:\s[A-ZÆØÅÄÖ][\w.’'-]*){0,4})")
_IMPERSONAL = re.compile(r"\b(?P<cue>det hevdes|det hävdas|it is claimed|it is alleged|reportedly|angivelig|uppges)\b", re.I)


@dataclass(frozen=True)
class Attribution:
    """The asserting source (None when unnamed) and the reporting cue."""

    who: str | None
    cue: str

    def as_dict(self) -> dict[str, str | None]:
        """JSON form."""
        return {"who": self.who, "cue": self.cue}


def attribution(text: str, lang: str = "en") -> Attribution | None:
    """The source a passage attributes its content to, if it says so."""
    for pattern in (_ACCORDING, _SUBJECT_FIRST.get(lang), _AFTER_QUOTE.get(lang), *_SUBJECT_FIRST.values()):
        if pattern is None:
            continue
        m = pattern.search(text)
        if m:
            who = m.group("who").strip(" ,.")
            return Attribution(who or None, m.group("cue").lower())
    m = _IMPERSONAL.search(text)
    if m:
        return Attribution(None, m.group("cue").lower())
    return None
