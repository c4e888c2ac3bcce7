import json

import pytest

pytestmark = pytest.mark.integration
REQUIRED = (
    "document_id",
    "passage_id",
    "text",
    "start",
    "end",
    "language",
    "outlet",
    "published",
    "score",
    "stance",
    "confidence",
)


def _claims(seed_docs):
    """Claims made from the seeds' own sentences (a passage must support its own wording)."""
    from text.passages import split_passages

    out = []
    for doc in seed_docs:
        passages = [p for p in split_passages(doc.document_id, doc.text, doc.language) if len(p.text.split()) > 8]
        out.append((doc, passages[len(passages) // 2]))
    return out


def test_a_sentence_finds_itself_on_the_supporting_side(client, seed_docs):
    for _doc, passage in _claims(seed_docs):
        body = client.post("/v1/compare", json={"claim": passage.text, "limit": 50}).get_json()
        assert passage.passage_id in {p["passage_id"] for p in body["supporting"]}, passage.text


def test_every_returned_passage_is_complete_and_exact(client, seed_docs):
    texts = {d.document_id: d.text for d in seed_docs}
    body = client.post("/v1/compare", json={"claim": "Fighters were evacuated from the city under an agreement."}).get_json()
    assert body["supporting"] or body["contradicting"]
    for side, stance in (("supporting", "supports"), ("contradicting", "contradicts")):
        confidences = [p["confidence"] for p in body[side]]
        assert confidences == sorted(confidences, reverse=True)
        for p in body[side]:
            assert all(k in p for k in REQUIRED)
            assert p["stance"] == stance
            assert texts[p["document_id"]][p["start"] : p["end"]] == p["text"]
    assert body["claim_language"] == "en"


def test_related_holds_on_topic_passages_without_a_position_apart_from_the_sides(client, seed_docs):
    texts = {d.document_id: d.text for d in seed_docs}
    seen_related = 0
    for _doc, passage in _claims(seed_docs)[:3]:
        body = client.post("/v1/compare", json={"claim": passage.text, "limit": 50, "related_limit": 50}).get_json()
        sided = {p["passage_id"] for p in body["supporting"] + body["contradicting"]}
        related = body["related"]
        assert not sided & {p["passage_id"] for p in related}, "a passage is either on a side or related"
        order = [(-p["position_probability"], -p["score"]) for p in related]  # nearest to a position, then relevance
        assert order == sorted(order)
        for p in related:
            assert p["stance"] == "neither" and 0 <= p["confidence"] <= 1
            assert p["leaning"] in ("supports", "contradicts") and 0 < p["to_side"] <= 1
            assert p["role"] != "comment", "comments are listed apart by default"
            assert texts[p["document_id"]][p["start"] : p["end"]] == p["text"]
        assert body["outlets"]["related"] == len({p["outlet"] for p in related if p["outlet"] and p["role"] != "comment"})
        seen_related += len(related)
        few = client.post("/v1/compare", json={"claim": passage.text, "limit": 50, "related_limit": 2}).get_json()
        assert len(few["related"]) == min(2, len(related))
        assert client.post("/v1/compare", json={"claim": passage.text, "related_limit": 0}).get_json()["related"] == []
    assert seen_related, "claims made from seed sentences have on-topic passages that take no position on them"


def test_a_claim_language_sent_is_the_one_used(client):
    body = client.post("/v1/compare", json={"claim": "Raqqa", "claim_language": "sv", "related_limit": 0}).get_json()
    assert body["claim_language"] == "sv"


def test_strict_is_accepted_and_changes_nothing(client):
    body = {"claim": "Fighters were evacuated from the city under an agreement.", "limit": 50}
    plain = client.post("/v1/compare", json=body).get_json()
    strict = client.post("/v1/compare", json=body | {"strict": True}).get_json()
    for side in ("supporting", "contradicting", "related"):
        assert [p["passage_id"] for p in plain[side]] == [p["passage_id"] for p in strict[side]]


def test_filters_restrict_the_answer(client):
    body = client.post("/v1/compare", json={"claim": "IS fighters left Raqqa.", "languages": ["sv"], "limit": 5}).get_json()
    passages = body["supporting"] + body["contradicting"]
    assert passages and all(p["language"] == "sv" for p in passages)
    assert len(body["supporting"]) <= 5
    early = {"claim": "IS fighters left Raqqa.", "published_before": "1990-01-01"}
    none = client.post("/v1/compare", json=early | {"include_undated": False}).get_json()
    assert none["supporting"] == none["contradicting"] == none["related"] == []
    undated = client.post("/v1/compare", json=early).get_json()  # undated seed articles stay unless asked
    shown = undated["supporting"] + undated["contradicting"] + undated["related"]
    assert all(p["published"] is None for p in shown)
    assert undated["filtered_out"]["undated_kept"] >= len({p["document_id"] for p in shown}) >= 1


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"claim": ""}, 422, "claim"),
        ({"claim": "   "}, 422, "claim"),
        ({"claim": 42}, 422, "claim"),
        ({"claim": ["a"]}, 422, "claim"),
        ({"claim": "ok", "unknown": True}, 422, "unknown"),
        ({"claim": "ok", "limit": "ten"}, 422, "limit"),
        ({"claim": "ok", "strict": "yes"}, 422, "strict"),
        ({"claim": "ok", "strict": 1}, 422, "strict"),
        ({"claim": "ok", "related_limit": 51}, 422, "related_limit"),
        ({"claim": "ok", "claim_language": "da"}, 422, "claim_language"),
        ({"claim": "ok", "related_limit": -1}, 422, "related_limit"),
        ({"claim": "ok", "languages": "nb"}, 422, "languages"),
        ({"claim": "ok", "published_after": "yesterday"}, 422, "published_after"),
        ({"claim": "x" * 5000}, 422, "claim"),
        ([], 422, "body"),
        ("a string", 422, "body"),
    ],
)
def test_bad_bodies_get_problems_naming_the_field(client, payload, status, field):
    r = client.post("/v1/compare", json=payload)
    assert r.status_code == status
    assert r.content_type == "application/problem+json"
    problem = r.get_json()
    assert problem["status"] == status and problem["title"]
    assert field in {e["field"] for e in problem["errors"]}


def test_invalid_json_oversize_wrong_type_and_method(client):
    r = client.post("/v1/compare", data="{not json", content_type="application/json")
    assert (r.status_code, r.content_type) == (400, "application/problem+json")
    r = client.post("/v1/compare", data=json.dumps({"claim": "x" * 100_000}), content_type="application/json")
    assert (r.status_code, r.content_type) == (413, "application/problem+json")
    r = client.post("/v1/compare", data="claim=x", content_type="application/x-www-form-urlencoded")
    assert (r.status_code, r.content_type) == (415, "application/problem+json")
    r = client.get("/v1/compare")
    assert (r.status_code, r.content_type) == (405, "application/problem+json")
    assert "POST" in r.headers["Allow"]
    r = client.get("/v1/nothing-here")
    assert (r.status_code, r.content_type) == (404, "application/problem+json")
    for r in (client.post("/v1/compare", data="{not json", content_type="application/json"),):
        assert "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"claim": "\xed\xb3\xbf"}',  # a lone surrogate as UTF-8 bytes
        b'{"claim": "\\udcff x"}',  # the same as a JSON escape
        b'{"claim": "Raqqa \xff\xfe"}',  # bytes that are not UTF-8 at all
        b'{"claim": "\xc3"}',  # a truncated sequence
    ],
)
def test_a_body_that_is_not_unicode_text_is_a_400_naming_the_body(client, raw):
    for path in ("/v1/compare", "/v1/stance"):
        r = client.post(path, data=raw, content_type="application/json")
        assert (r.status_code, r.content_type) == (400, "application/problem+json"), (path, raw)
        problem = r.get_json()
        assert problem["status"] == 400 and {e["field"] for e in problem["errors"]} == {"body"}
        assert "Traceback" not in r.get_data(as_text=True)


def test_candidates_clear_their_language_pairs_floor_in_margin_order(es, seeded_names, seed_docs):
    from api.config import Settings
    from api.services.compare import retrieve
    from index.repository import Archive
    from stance.engine import candidate_floor
    from text.embedding import embed_query

    archive = Archive(es, seeded_names)
    languages_seen = set()
    for doc, passage in _claims(seed_docs):
        vector = embed_query(passage.text)
        plain = retrieve(
            archive, Settings.from_env(compare_candidates=12, compare_counter=0), passage.text, doc.language, vector, []
        )
        assert 0 < len(plain) <= 12
        margins = [cos - candidate_floor(doc.language, hit["language"]) for hit, cos in plain]
        assert all(m >= 0 for m in margins), "every candidate clears its language pair's floor (threshold less rescue band)"
        assert margins == sorted(margins, reverse=True)
        assert passage.passage_id in {hit["passage_id"] for hit, _ in plain}
        languages_seen |= {hit["language"] for hit, _ in plain if hit["language"] != doc.language}

        with_counter = retrieve(
            archive, Settings.from_env(compare_candidates=12, compare_counter=4), passage.text, doc.language, vector, []
        )
        assert len(with_counter) == len(plain)
        assert [h["passage_id"] for h, _ in with_counter[:8]] == [h["passage_id"] for h, _ in plain[:8]]
        assert all(cos >= candidate_floor(doc.language, hit["language"]) for hit, cos in with_counter)
    assert languages_seen, "passages in other languages reach the model when they clear the cross-language floor"


def test_compare_answers_from_its_reading_and_only_from_it(es, seeded_names, seed_docs):
    from api.config import Settings
    from api.services.compare import compare, reading
    from index.repository import Archive

    archive, settings = Archive(es, seeded_names), Settings.from_env()
    _doc, passage = next(iter(_claims(seed_docs)))
    request = {"claim": passage.text, "limit": 50, "related_limit": 50}
    read = reading(archive, settings, request)
    assert read.candidates
    answer = compare(archive, settings, request, read=read)
    assert answer == compare(archive, settings, request), "a reading handed in is the one compare makes itself"
    listed = {p["passage_id"] for key in ("supporting", "contradicting", "related", "comments") for p in answer[key]}
    assert passage.passage_id in listed
    assert listed <= {hit["passage_id"] for hit, _ in read.candidates}, "nothing is listed that the model did not read"


# a denial worded unlike the counter-claim frames (stance.wordings), one per archive language
_DENIAL = {
    "en": "{x} rejected the reports and insisted it had played no part in any of this.",
    "nb": "{x} avviste opplysningene og insisterte på at de ikke hadde spilt noen rolle i dette.",
    "sv": "{x} avvisade uppgifterna och insisterade på att de inte hade spelat någon roll i detta.",
}


def test_a_denial_by_the_claims_actor_reaches_the_model_under_a_tight_budget(es, fresh_names, seed_docs):
    from api.config import Settings
    from api.services.compare import retrieve
    from index.ingest import build
    from index.repository import Archive
    from stance.counter import actor
    from text.documents import Document
    from text.embedding import embed_query
    from text.passages import split_passages

    claims = []  # seed sentences that open with their actor's name, each denied by that actor in a wire story
    for doc in seed_docs:
        sentences = [p for p in split_passages(doc.document_id, doc.text, doc.language) if 8 <= len(p.text.split()) <= 30]
        for p in sentences[::4]:
            who = actor(p.text, p.language)
            if p.language in _DENIAL and who and p.text.split()[0] == who.split()[0]:
                claims.append((p, who))
    claims = claims[:6]
    assert len(claims) >= 4
    wires = [
        Document(f"denial-{i}", _DENIAL[p.language].format(x=who), language=p.language, language_given=True)
        for i, (p, who) in enumerate(claims)
    ]
    build(es, fresh_names, [*seed_docs, *wires])
    archive = Archive(es, fresh_names)

    def reached(counter: int) -> int:
        settings = Settings.from_env(compare_candidates=10, compare_counter=counter)
        found = 0
        for i, (p, _) in enumerate(claims):
            cands = retrieve(archive, settings, p.text, p.language, embed_query(p.text), [])
            found += any(hit["document_id"] == f"denial-{i}" for hit, _ in cands)
        return found

    with_channel, without = reached(3), reached(0)
    assert with_channel >= len(claims) - 1, f"{with_channel} of {len(claims)} denials reached the model"
    assert with_channel > without


def test_roles_are_reported_filtered_and_ranked(client):
    body = {"claim": "The US flew ISIS fighters from Raqqa to Deir ez-Zor", "limit": 50, "related_limit": 50}
    answer = client.post("/v1/compare", json=body).get_json()
    shown = [p for key in ("supporting", "contradicting", "related") for p in answer[key]]
    assert {p["role"] for p in shown} <= {"body", "headline", "caption", "comment", "quote_box", "fact_box"}
    for p in shown:
        assert (p["speaker"] == "reader comment") == (p["role"] == "comment")
    rank = {"body": 0, "headline": 0, "quote_box": 1, "fact_box": 1, "caption": 2, "comment": 3}
    for key in ("supporting", "contradicting"):
        ranks = [rank[p["role"]] for p in answer[key]]
        assert ranks == sorted(ranks), "the article's own text before boxes, captions and comments"
    credited = {p["outlet"] for p in answer["supporting"] if p["outlet"] and p["role"] != "comment"}
    assert answer["outlets"]["supporting"] == len(credited)
    only = client.post("/v1/compare", json=body | {"roles": ["body", "headline"]}).get_json()
    assert all(p["role"] in ("body", "headline") for key in ("supporting", "contradicting", "related") for p in only[key])
    bad = client.post("/v1/compare", json=body | {"roles": ["footnote"]})
    assert bad.status_code == 422 and "roles" in bad.get_data(as_text=True)


def test_an_empty_date_range_keeps_only_undated_documents(client):
    body = {"claim": "IS fighters left Raqqa.", "published_after": "2017-10-02", "published_before": "2017-10-01"}
    answer = client.post("/v1/compare", json=body).get_json()
    shown = answer["supporting"] + answer["contradicting"] + answer["related"]
    assert all(p["published"] is None for p in shown)
    none = client.post("/v1/compare", json=body | {"include_undated": False}).get_json()
    assert none["supporting"] == none["contradicting"] == none["related"] == []


def test_compare_says_where_its_time_went_in_server_timing(client):
    body, fresh = {"claim": "Raqqa was almost completely destroyed."}, {"Cache-Control": "no-cache"}
    resp = client.post("/v1/compare", json=body, headers=fresh)
    assert resp.status_code == 200
    parts = [part.strip().split(";") for part in resp.headers["Server-Timing"].split(",")]
    stages = {p[0]: p[1].removeprefix("dur=") for p in parts}
    assert set(stages) == {"cache", "claim", "counter", "search", "candidates", "model", "answer"}
    assert {p[0]: p[-1] for p in parts}["cache"] == 'desc="fresh"'  # asked for a fresh answer
    assert all(float(ms) >= 0 for ms in stages.values()) and float(stages["model"]) > 0


def test_a_full_model_queue_answers_503_busy_and_reads_still_answer(seeded_names):
    from api import create_app
    from api.config import Settings
    from tests.conftest import ES_URL

    app = create_app(Settings(elasticsearch_url=ES_URL, index_prefix=seeded_names.prefix, compare_in_flight=1, warm_models=False))
    client = app.test_client()
    with app.extensions["model_slots"].slot():  # another request holds the only place
        busy = client.post("/v1/compare", json={"claim": "Raqqa was destroyed."})
        stance = client.post("/v1/stance", json={"claim": "Raqqa was destroyed.", "passages": ["The city lies in ruins."]})
        read = client.get("/v1/entities?q=Raqqa")
    assert busy.status_code == stance.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert busy.content_type == "application/problem+json" and "busy" in busy.get_json()["detail"]
    assert read.status_code == 200
    assert client.post("/v1/compare", json={"claim": "Raqqa was destroyed."}).status_code == 200  # the place is free again


RAQQA = "The US flew ISIS fighters from Raqqa to Deir ez-Zor."


def test_readers_comments_are_listed_apart_unless_asked_for_on_the_sides(client):
    body = {"claim": RAQQA, "limit": 50, "related_limit": 50}
    default = client.post("/v1/compare", json=body).get_json()
    for key in ("supporting", "contradicting", "related"):
        assert all(p["role"] != "comment" for p in default[key]), f"a reader comment in {key}"
    comments = default["comments"]
    assert comments, "the seeds hold reader comments on this topic"
    assert all(p["role"] == "comment" and p["speaker"] == "reader comment" for p in comments)
    sided = [p["stance"] != "neither" for p in comments]
    assert sided == sorted(sided, reverse=True), "sided comments first"
    opted = client.post("/v1/compare", json=body | {"include_comments": True}).get_json()
    assert opted["comments"] == []
    listed = [p for key in ("supporting", "contradicting", "related") for p in opted[key]]
    on_lists = {p["passage_id"]: p["stance"] for p in listed if p["role"] == "comment"}
    # the same comments with the same stances, on the sides (marked as comments) instead of apart
    assert on_lists == {p["passage_id"]: p["stance"] for p in comments}
    for key in ("supporting", "contradicting"):
        own = [p for p in opted[key] if p["role"] != "comment"]
        assert [p["passage_id"] for p in default[key]] == [p["passage_id"] for p in own]
    bad = client.post("/v1/compare", json=body | {"include_comments": "yes"})
    assert bad.status_code == 422 and "include_comments" in bad.get_data(as_text=True)


def test_each_side_has_a_summary_computed_from_its_passages(client):
    answer = client.post("/v1/compare", json={"claim": RAQQA, "limit": 50}).get_json()
    for side in ("supporting", "contradicting"):
        passages, summary = answer[side], answer["summary"][side]
        assert summary["passages"] == len(passages)
        assert summary["independent_sources"] == len({p["origin"]["id"] for p in passages}) == answer["independent_sources"][side]
        assert summary["outlets"] == sorted({p["outlet"] for p in passages if p["outlet"]})
        assert summary["languages"] == sorted({p["language"] for p in passages})
        dated = sorted(p["published"] for p in passages if p["published"])
        assert (summary["earliest"] or {}).get("published") == (dated[0] if dated else None)
        assert summary["one_origin_repeated"] == (len(passages) > 1 and summary["independent_sources"] == 1)
    assert answer["summary"]["supporting"]["passages"] or answer["summary"]["contradicting"]["passages"]
