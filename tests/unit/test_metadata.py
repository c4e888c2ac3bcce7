from text.metadata import extract_metadata, extract_outlet, extract_published, extract_title


def test_archive_header_gives_month_precision():
    found = extract_published(" date 2016-03 Some body text that follows.")
    assert found is not None
    assert (found.value, found.precision, found.source) == ("2016-03", "month", "text")


def test_publication_stamp_beats_header_and_is_day_first():
    found = extract_published(" date 2020-05 Heading\n\nPublisert: 03.05.20 10:15\n\nBody.")
    assert found is not None
    assert (found.value, found.precision) == ("2020-05-03", "day")
    assert "Publisert" in found.evidence


def test_english_dateline():
    found = extract_published("Monday, March 2, 2015\n\nHeadline Of The Story Here\nbody.")
    assert found is not None and found.value == "2015-03-02"


def test_no_date_is_none():
    assert extract_published("Nothing here says when. Just prose about things.") is None


def test_masthead_domain_is_outlet():
    found = extract_outlet("Headline Of The Story\nexample.com\n\nBody text.")
    assert found is not None and found.value == "example.com"


def test_outlet_needs_two_statements_to_it():
    once = "– Det er kaldt, sier Hansen til NRK. Mer tekst."
    twice = once + " – Vi kommer tilbake, sa Hansen til NRK."
    assert extract_outlet(once) is None
    found = extract_outlet(twice)
    assert found is not None and found.value == "NRK"


def test_title_is_first_headline_like_line_not_a_sentence():
    assert extract_title("This is a sentence. And another one follows here.\nMore.") is None
    found = extract_title("Caption text. Photo: AP\nThe Headline We Want Here\nBody.")
    assert found is not None and found.value == "The Headline We Want Here"


def test_extract_metadata_omits_unknowns():
    assert extract_metadata("plain words without any metadata at all.") == {}
