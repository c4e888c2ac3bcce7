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
