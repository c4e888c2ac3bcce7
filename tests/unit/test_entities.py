from index.entities import build_entities, find_mentions, normalise
from index.passages import Passage


def _p(text: str, doc: str = "d1", start: int = 0) -> Passage:
    return Passage(doc, 0, start, start + len(text), text, "en")


def test_normalise_folds_spelling_variants():
    assert normalise("Raqqah") == normalise("Raqqa") == normalise("RAQQA")
    assert normalise("Deir ez-Zor") == normalise("Deir al-Zor") == normalise("Deir el Zor")
    assert normalise("Mustafa") != normalise("Mosul")


def test_compounds_and_possessives_reduce_to_the_name():
    text = "Mange IS-krigere dro til Deir ez-Zor-provinsen med USAs hjelp."
    surfaces = {a for e in build_entities([_p(text)]) for a in e.aliases}
    assert surfaces == {"IS", "Deir ez-Zor", "USA"}


def test_lowercase_is_is_not_the_acronym():
    surfaces = [m.surface for m, _ in find_mentions(_p("This is what IS fighters said it is."))]
    assert surfaces.count("IS") == 1


def test_parenthetical_acronym_joins_its_long_form_but_distinct_acronyms_stay_apart():
    passages = [
        _p("The Syrian Observatory for Human Rights (SOHR) said so.", "d1"),
        _p("Later SOHR repeated it, and the SDF agreed.", "d2"),
        _p("The Syrian Democratic Forces (SDF) took the town.", "d3"),
    ]
    by_alias = {a: e for e in build_entities(passages) for a in e.aliases}
    assert by_alias["SOHR"] is by_alias["Syrian Observatory for Human Rights"]
    assert by_alias["SDF"] is by_alias["Syrian Democratic Forces"]
    assert by_alias["SOHR"] is not by_alias["SDF"]


def test_sentence_initial_function_word_is_not_part_of_a_name():
    passages = [_p("The US said so. Later the US denied it."), _p("On Monday the talks ended.")]
    names = {a for e in build_entities(passages) for a in e.aliases}
    assert "US" in names and "The US" not in names and "On Monday" not in names
