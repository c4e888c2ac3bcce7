"""Counter-claims for retrieving contradictions: wordings per language, negation, interleaving by rank."""

from stance.counter import LANGUAGES, actor, counter_claims, interleave


def test_the_actor_is_the_claims_first_name():
    assert actor("The US-led coalition let Islamic State fighters leave the city.", "en") == "US"
    assert actor("Politiet stengte broen i går.", "nb") == "Politiet"
    assert actor("the bridge was closed yesterday.", "en") is None


def test_a_quantifier_opening_the_claim_is_no_actor():
    assert actor("More than 3,000 people were killed in the battle.", "en") is None
    assert actor("Nesten alle innbyggerne har flyktet fra byen.", "nb") is None
    assert actor("Hundratals civila dödades i Raqqa.", "sv") == "Raqqa"


def test_every_archive_language_gets_the_actor_denying_the_claim():
    out = counter_claims("Statoil sold the field to a Russian company.", "en")
    assert set(out) == set(LANGUAGES)
    for language in LANGUAGES:
        assert out[language] and all(text.startswith("Statoil ") for text in out[language])
    assert len(set(out["en"]) & set(out["nb"])) == 0, "each language has its own wordings"
    # in the claim's language the denial carries the claim itself; elsewhere it can only refer to it
    assert any("sold the field to a Russian company" in text for text in out["en"])
    assert all("sold the field" not in text for text in out["nb"] + out["sv"])
    assert any("sold the field" not in text for text in out["en"]), "the bare rejection too, for denials that do not restate"


def test_no_counter_claim_reuses_the_dev_sets_involvement_wordings():
    texts = [t for lang in ("en", "nb", "sv") for t in counter_claims("Statoil sold the field.", lang).get(lang, [])]
    for fitted in ("involve", "inblandning", "med på det", "not involved"):
        assert all(fitted not in t for t in texts)


def test_the_claim_negated_joins_its_own_language_only():
    out = counter_claims("Broen er stengt etter ulykken.", "nb")
    assert "Broen er ikke stengt etter ulykken." in out["nb"]
    assert all("ikke stengt" not in text for text in out["en"] + out["sv"])


def test_a_claim_with_neither_name_nor_auxiliary_has_no_counter_claims():
    assert counter_claims("prices rose sharply in spring.", "en") == {}


def test_interleave_takes_each_languages_next_best_in_turn_claim_language_first():
    ranked = {"en": ["e1", "e2", "e3"], "nb": ["n1"], "sv": ["s1", "s2"]}
    assert interleave(ranked, "sv") == ["s1", "e1", "n1", "s2", "e2", "e3"]
    assert interleave({}, "en") == []
