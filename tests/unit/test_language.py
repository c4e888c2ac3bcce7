"""Claim language: short one-sentence claims in each archive language are read as that language (floor measured
in bench/short_language.py), names and fragments stay und."""

import pytest

from text.language import detect, detect_claim

CLAIMS = [
    ("Regjeringen la fram et nytt budsjett i går.", "nb"),
    ("Hæren trakk seg ut av byen etter tre uker.", "nb"),
    ("Polisen grep två män efter branden i hamnen.", "sv"),
    ("Regeringen sänkte skatten för pensionärer i år.", "sv"),
    ("The ministry denied that any troops crossed the border.", "en"),
    ("Prices rose sharply after the harbour closed.", "en"),
]


@pytest.mark.parametrize("claim, lang", CLAIMS)
def test_short_claims_are_read_in_their_language(claim, lang):
    assert detect_claim(claim) == lang


@pytest.mark.parametrize("text", ["Dayr al-Zawr", "Oslo", "SDF"])
def test_names_and_fragments_are_und(text):
    assert detect_claim(text) == "und"


def test_passages_keep_the_cautious_floor():
    """A short Norwegian sentence lingua spreads over Bokmål, Danish and Swedish: a claim is read as nb, a passage
    (detect, floor 0.5) takes its document's language instead."""
    text = "Byen ble bombet i natt."
    assert detect_claim(text) == "nb"
    assert detect(text, fallback="document language") == "document language"
