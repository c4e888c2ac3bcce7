"""Same origin: verbatim reuse by word 5-gram containment, and grouping of linked passages across documents."""

import numpy as np

from text.origins import containment, group, same_origin

QUOTE = "the council will not rebuild the old harbour before the new budget is approved"


def test_a_quote_reused_inside_another_sentence_is_contained():
    assert containment(QUOTE, f"Mayor Lind told NRK that {QUOTE}, and left the meeting.") == 1.0
    assert containment(QUOTE, "The council approved the new budget for the harbour on Monday.") < 0.2
    assert containment("Too short to judge.", "Too short to judge.") == 0.0


def test_same_origin_needs_a_high_cosine_or_a_reused_quote():
    assert same_origin(0.97, "a", "b")
    assert not same_origin(0.91, "The harbour closed.", "The harbour opened.")
    assert same_origin(0.5, QUOTE, f"«{QUOTE}», she said.")


def test_group_links_across_documents_only_and_transitively():
    v = np.eye(4, dtype=np.float32)
    v[1] = v[0]  # passage 1 (document b) restates passage 0 (document a)
    v[2] = v[0]  # passage 2 (document a again): same document as 0, linked only through 1
    roots = group(["a", "b", "a", "c"], ["x y"] * 4, v)
    assert roots == [0, 0, 0, 3]


def test_a_question_never_restates_an_assertion():
    assert not same_origin(0.99, "Did the council close the harbour?", "The council closed the harbour.")
    assert same_origin(0.99, "Did the council close the harbour?", "Did the council close the harbour?")


def test_group_asks_the_model_only_for_cross_language_pairs_in_the_band():
    asked = []

    def restates(pairs):
        asked.extend(pairs)
        return [0.95 for _ in pairs]

    v = np.zeros((3, 2), dtype=np.float32)
    v[:, 0] = 1.0
    v[1] = [0.91, (1 - 0.91**2) ** 0.5]  # cosine 0.91 with passage 0: in the band
    v[2] = v[1]
    roots = group(["a", "b", "c"], ["one", "en", "to"], v, ["en", "nb", "nb"], restates)
    assert asked and all(lang_pair for lang_pair in asked)
    assert roots == [0, 0, 0]
    assert group(["a", "b"], ["one", "en"], v[:2], ["en", "nb"], lambda pairs: [0.2] * len(pairs)) == [0, 1]
