from hypothesis import given, settings
from hypothesis import strategies as st

from text.passages import split_passages


def test_seed_offsets_are_exact(seed_docs):
    for doc in seed_docs:
        passages = split_passages(doc.document_id, doc.text, doc.language)
        assert passages, doc.document_id
        for p in passages:
            assert doc.text[p.start : p.end] == p.text
            assert p.passage_id == f"{doc.document_id}:{p.start}-{p.end}"
        assert [p.position for p in passages] == list(range(len(passages)))
        assert all(a.end <= b.start for a, b in zip(passages, passages[1:], strict=False))


def test_boilerplate_is_dropped():
    text = (
        "The council met on Monday to discuss the budget.\n\narrow-left\n\narrow-right\n\n"
        "Leave a Reply\n\nFoto: NTB\n\nThe budget was approved after a long debate."
    )
    texts = [p.text for p in split_passages("d", text, "en")]
    assert texts == ["The council met on Monday to discuss the budget.", "The budget was approved after a long debate."]


def test_lead_in_ending_with_colon_is_grouped_with_what_follows():
    text = "The minister said:\n\n“We will not raise taxes this year.”\n\nOther news followed."
    texts = [p.text for p in split_passages("d", text, "en")]
    assert texts[0].startswith("The minister said:") and texts[0].endswith("this year.”")


def test_english_quote_inside_norwegian_text_gets_its_own_language():
    text = (
        "Statsministeren holdt en lang tale i Stortinget om økonomien i dag. "
        "Hun sa at regjeringen vil kutte skatten neste år.\n\n"
        "«We expect the economy to grow strongly over the next two years,» said the analyst."
    )
    passages = split_passages("d", text, "nb")
    langs = {p.text[:12]: p.language for p in passages}
    assert "nb" in langs.values() and "en" in langs.values()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400))
def test_offsets_hold_for_any_text(text):
    for p in split_passages("d", text, "en"):
        assert text[p.start : p.end] == p.text
        assert p.text.strip() == p.text
