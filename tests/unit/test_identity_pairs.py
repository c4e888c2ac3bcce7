from training.factory.identity import identity_rows, marked, sentences


def _row(i: int, passage: str) -> dict:
    return {"claim": "x", "passage": passage, "label": "neither", "passage_lang": "en", "group": f"g{i}"}


def test_identity_rows_support_their_own_passage_or_one_of_its_sentences_and_keep_the_group():
    rows = [_row(i, f"Sentence number {i} tells the thing it tells. And number {i} then tells more of it.") for i in range(40)]
    rows += [_row(100 + i, f"The ministry denied that report {i} was ever true at all.") for i in range(40)]
    out = identity_rows(rows, 20)
    assert len(out) == 20
    by_group = {r["group"]: r for r in rows}
    for r in out:
        assert r["label"] == "supports" and r["bucket"] == "identity"
        passage = by_group[r["group"]]["passage"]
        assert r["passage"] == passage and (r["claim"] == passage or r["claim"] in sentences(passage, "en"))
    assert sum(marked(r["passage"]) for r in out) == 10


def test_short_long_and_repeated_passages_make_no_rows():
    rows = [
        _row(1, "Too short."),
        _row(2, " ".join(["word"] * 80)),
        _row(3, "One two three four five six."),
        _row(4, "One two three four five six."),
    ]
    assert [r["group"] for r in identity_rows(rows, 10)] == ["g3"]


def test_negations_denials_and_reported_speech_are_marked_in_each_language():
    for text in (
        "He didn't go.",
        "Hun nektet for det.",
        "Han förnekade allt.",
        "the so-called observatory",
        "enligt polisen",
        "ifølge NTB",
    ):
        assert marked(text), text
    assert not marked("The bridge opened in 1932.")


def test_with_too_few_plain_passages_the_rest_are_marked_ones():
    rows = [_row(i, f"The ministry denied that report {i} was ever true at all.") for i in range(30)]
    assert len(identity_rows(rows, 20)) == 20
