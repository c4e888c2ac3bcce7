"""Passage roles from layout cues, on articles written for these tests (not the seeds)."""

from text.passages import split_passages
from text.roles import role_at, spans

BLOG = """Harbour town votes to close the old ferry pier

The council of Northbridge voted on Tuesday to close the old ferry pier after engineers found cracks in its pillars.
The mayor said repairs would cost more than a new pier.

DAMAGED PIER: Cracks run through the pillars under the old pier. Photo: Jane Doe / Northbridge Post

Ferries will use the container quay until a new pier opens in 2027, the harbour office said.

3 responses to "Harbour town votes to close the old ferry pier"

  1. Anna
     The pier was already closed last winter, nobody told us.

  2. This is a scandal and the council knew it for years!

Leave a Reply
"""

AVIS = """Fergekaia stenges etter funn av sprekker

Kommunestyret i Nordvik vedtok tirsdag å stenge den gamle fergekaia. Ingeniører fant sprekker i pilarene.

SPREKKER: Pilarene under kaia er skadet. Foto: NTB

– Vi kan ikke ta sjansen på at kaia svikter, sa ordføreren.

Nordvik kommune er en kystkommune i Nordland. Kommunen har rundt 4000 innbyggere.
Fergesambandet ble åpnet i 1968. Kilde: Store norske leksikon

KART OVER SAMBANDET: Rød = dagens rute. Blå = ny rute. Grønn = kai under bygging.

pullquote – Vi kan ikke ta sjansen på at kaia svikter, sa ordføreren.

Nordvik kommune er en kommune som har varslet nye kaier før, men pengene har aldri kommet.

8 kommentarer

Dette burde vært gjort for lenge siden.
"""


def roles(text, lang):
    found = spans(text)
    return [(role_at(found, p.start), p.text) for p in split_passages("t", text, lang)]


def test_a_blog_post_with_a_comment_thread():
    got = roles(BLOG, "en")
    assert got[0] == ("headline", "Harbour town votes to close the old ferry pier")
    role_of = lambda needle: {r for r, t in got if needle in t}  # noqa: E731
    assert role_of("The mayor said repairs would cost more") == {"body"}
    assert role_of("Cracks run through the pillars") == {"caption"}
    after = [r for r, t in got if "nobody told us" in t or "scandal" in t]
    assert after == ["comment", "comment"], "reader responses after the 'N responses' marker are comments"
    assert role_of("Ferries will use the container quay") == {"body"}


def test_a_norwegian_article_with_caption_box_legend_and_pull_quote():
    got = roles(AVIS, "nb")
    role_of = lambda needle: {r for r, t in got if needle in t}  # noqa: E731
    assert role_of("Fergekaia stenges etter funn av sprekker") == {"headline"}
    assert role_of("Kommunestyret i Nordvik vedtok") == {"body"}
    assert role_of("Pilarene under kaia er skadet") == {"caption"}
    assert role_of("kystkommune i Nordland") == {"fact_box"}, "an encyclopedia box opens with its definition"
    assert role_of("Fergesambandet ble åpnet i 1968") == {"fact_box"}
    assert role_of("dagens rute") == {"caption"}, "a map legend"
    assert "quote_box" in role_of("Vi kan ikke ta sjansen") and "body" in role_of("Vi kan ikke ta sjansen")
    assert role_of("pengene har aldri kommet") == {"body"}, "a definition-like body sentence without a source line"
    assert role_of("burde vært gjort") == {"comment"}


def test_plain_news_is_body():
    text = (
        "Stockholm har fått en ny borgmästare. Hon tillträder i januari.\n\n"
        "Valet avgjordes efter en lång natt, sade valnämnden på onsdagen.\n"
    )
    assert {r for r, _ in roles(text, "sv")} == {"body"}
