import re

import pytest

from text.entity import build_entities, normalise, skeleton
from text.entity.grouping import definitions, fuzzy_same
from text.passages import Passage, split_passages


def _p(text: str, doc: str = "d1", start: int = 0) -> Passage:
    return Passage(doc, 0, start, start + len(text), text, "en")


def _by_alias(passages):
    return {a: e for e in build_entities(passages) for a in e.aliases}


def test_normalise_folds_case_diacritics_and_article_forms():
    assert normalise("Raqqah") == normalise("Raqqa") == normalise("RAQQA")
    assert normalise("Deir ez-Zor") == normalise("Deir al-Zor") == normalise("Deir el Zor")
    assert normalise("Mustafa") != normalise("Mosul")


def test_skeleton_joins_transliterations_but_not_other_names():
    assert skeleton("Dayr al-Zawr") == skeleton("Deir Ezzor") == skeleton("Deir ez-Zor") == skeleton("Deir al-Zor")
    assert skeleton("Deir ez-Zor") != skeleton("Raqqa")
    assert skeleton("Abu Kamal") != skeleton("Al-Bab")


def test_fuzzy_rule_separates_spelling_from_inflection():
    assert fuzzy_same(normalise("Mustafa Bali"), normalise("Mostafa Bali"))
    assert not fuzzy_same(normalise("Syrians"), normalise("Syrias"))
    assert not fuzzy_same(normalise("Americans"), normalise("Anglo-Americans"))


def test_compounds_and_possessives_reduce_to_the_name():
    text = "Mange IS-krigere dro til Deir ez-Zor-provinsen med USAs hjelp."
    assert set(_by_alias([_p(text)])) == {"IS", "Deir ez-Zor", "USA"}


def test_lowercase_is_is_never_the_acronym():
    entities = build_entities([_p("This is what IS fighters said it is. Is it true?")])
    mentions = [m for e in entities for m in e.mentions if normalise(m.surface) == "is"]
    assert [m.surface for m in mentions] == ["IS"]


def test_parenthetical_definitions_join_long_forms_and_acronym_lists():
    passages = [
        _p("The Syrian Observatory for Human Rights (SOHR) said so.", "d1"),
        _p("Later SOHR repeated it, and the SDF agreed.", "d2"),
        _p("The Syrian Democratic Forces (SDF) took the town.", "d3"),
        _p("Byen var hovedstaden til Den nye fronten (NF, Frontgruppen) i fire år.", "d4"),
        _p("Senere tapte den nye fronten mye land.", "d5"),
    ]
    by_alias = _by_alias(passages)
    assert by_alias["SOHR"] is by_alias["Syrian Observatory for Human Rights"]
    assert by_alias["SDF"] is by_alias["Syrian Democratic Forces"]
    assert by_alias["SOHR"] is not by_alias["SDF"]
    assert by_alias["NF"] is by_alias["Frontgruppen"]
    assert {"d4", "d5"} <= set(by_alias["NF"].documents)


def test_surname_joins_the_full_name_in_the_same_document_only():
    passages = [
        _p("Spokesman Karim Haddad said the road was open.", "d1"),
        _p("Haddad added that talks would go on.", "d1"),
        _p("Haddad is also a family name in another story.", "d2"),
    ]
    person = _by_alias(passages)["Karim Haddad"]
    assert person.type == "person"
    assert {(m.surface, m.document_id) for m in person.mentions} >= {("Karim Haddad", "d1"), ("Haddad", "d1")}
    assert "d2" not in person.documents


def test_sentence_initial_function_words_and_calendar_words_are_not_names():
    names = set(_by_alias([_p("The US said so. Later the US denied it."), _p("On Monday the talks ended in June.")]))
    assert "US" in names
    assert not names & {"The US", "On Monday", "Monday", "June", "Later"}


def test_title_case_headline_only_contributes_names_seen_elsewhere():
    passages = [_p("Rebels Quit Aleppo Under Deal"), _p("The rebels left Aleppo at night.")]
    names = set(_by_alias(passages))
    assert "Aleppo" in names and not names & {"Rebels", "Quit", "Under", "Deal", "Rebels Quit Aleppo Under Deal"}


@pytest.fixture(scope="module")
def seed_entities(seed_docs):
    passages = [p for d in seed_docs for p in split_passages(d.document_id, d.text, d.language)]
    return build_entities(passages), {d.document_id: d.text for d in seed_docs}


def test_seed_merges_that_must_not_happen(seed_entities):
    entities, _ = seed_entities
    by_alias = {a: e for e in entities for a in e.aliases}
    assert by_alias["SDF"] is not by_alias["SOHR"]
    assert by_alias["Raqqa"] is not by_alias["Deir ez-Zor"]
    assert by_alias["IS"] is not by_alias["SDF"]


def test_seed_mentions_are_exact_and_case_sensitive(seed_entities):
    entities, texts = seed_entities
    for e in entities:
        for m in e.mentions:
            assert texts[m.document_id][m.start : m.end] == m.surface
            if re.fullmatch(r"[A-Z]{2,5}", m.surface):
                assert m.surface.isupper()


def test_seed_definitions_are_found(seed_entities):
    _, texts = seed_entities
    passages = [_p(t, doc) for doc, t in texts.items()]
    defined = {item for _, items in definitions(passages) for item in items}
    assert {"SOHR", "SDF"} <= defined


def test_a_long_form_across_a_line_break_adds_no_empty_name():
    from text.entity.grouping import _collect

    text = "Schoolgirls were taken from Chibok in April.\nglb/sb (Reuters, AFP)"
    passages = split_passages("d1", text, "en")
    by_key, _ = _collect(passages)
    assert all(by_key.values()), {k: v for k, v in by_key.items() if not v}
    assert {"chibok", "reuters", "afp"} <= {e.entity_id for e in build_entities(passages)}
