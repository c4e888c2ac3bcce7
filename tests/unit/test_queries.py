from index import queries


def test_filters_cover_each_option():
    f = queries.passage_filters(["nb"], ["VG"], "2017-01-01", "2018-01-01", include_undated=False)
    assert {"terms": {"language": ["nb"]}} in f
    assert {"terms": {"outlet": ["VG"]}} in f
    dated = {"range": {"published_period": {"relation": "intersects", "gte": "2017-01-01", "lte": "2018-01-01"}}}
    assert dated in f
    assert queries.passage_filters() == []


def test_a_date_filter_keeps_undated_documents_unless_asked():
    (kept,) = queries.passage_filters(published_after="2017-10-16")
    dated, undated = kept["bool"]["should"]
    assert dated == {"range": {"published_period": {"relation": "intersects", "gte": "2017-10-16"}}}
    assert undated == {"bool": {"must_not": [{"exists": {"field": "published_period"}}]}}
    assert queries.passage_filters(published_after="2017-10-16", include_undated=False) == [dated]


def test_bm25_searches_every_language_field_and_hides_vectors():
    body = queries.bm25_passages("Raqqa deal", 7, [{"term": {"language": "en"}}])
    mm = body["query"]["bool"]["must"][0]["multi_match"]
    assert set(mm["fields"]) == {"text", "text.en", "text.nb", "text.sv"}
    assert body["query"]["bool"]["filter"] == [queries.LIVE, {"term": {"language": "en"}}]
    assert body["size"] == 7 and "embedding" in body["_source"]["excludes"]


def test_knn_only_sees_live_passages_and_given_filters():
    body = queries.knn_passages([0.1] * 384, 5)
    assert body["knn"]["k"] == 5 and body["knn"]["num_candidates"] >= 5 and body["knn"]["filter"] == [queries.LIVE]
    assert queries.knn_passages([0.1] * 384, 5, [{"term": {"x": 1}}])["knn"]["filter"] == [queries.LIVE, {"term": {"x": 1}}]


def test_every_passage_read_is_restricted_to_live_passages():
    for body in (
        queries.passages_by_ids(["a"]),
        queries.passages_of_document("d"),
        queries.passages_of_entity("e", 5),
        queries.entity_passages_with_vectors("e", 5),
    ):
        assert queries.LIVE in body["query"]["bool"]["filter"]


def test_entity_search_uses_key_and_fuzzy_alias_match():
    body = queries.search_entities("Deir Ezzor", ["deirezzor", "drzr"], 10, 20)
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    assert {"terms": {"keys": ["deirezzor", "drzr"], "boost": 10}} in should
    assert any("match" in c and c["match"].get("aliases", {}).get("fuzziness") == "AUTO" for c in should)
    assert body["from"] == 20


def test_knn_can_keep_only_passages_above_a_cosine():
    body = queries.knn_passages([0.1] * 384, 5, [queries.language_is("nb", same=False)], min_cosine=0.81)
    assert body["knn"]["similarity"] == 0.81
    assert body["knn"]["filter"] == [queries.LIVE, {"bool": {"must_not": [{"term": {"language": "nb"}}]}}]
    assert "similarity" not in queries.knn_passages([0.1] * 384, 5)["knn"]


def test_cursor_pages_use_search_after_instead_of_from():
    first = queries.list_documents(3)
    after = queries.list_documents(3, after=["doc-7"])
    assert first["from"] == 0 and "search_after" not in first
    assert after["search_after"] == ["doc-7"] and "from" not in after
    assert queries.search_entities("raqqa", ["raqqa"], 5, after=[3.2, "raqqa"])["sort"][-1] == {"entity_id": "asc"}


def test_neighbours_keep_the_request_filters():
    body = queries.neighbours_of([("d", 3)], 1, [{"terms": {"language": ["sv"]}}])
    assert body["query"]["bool"]["filter"] == [queries.LIVE, {"terms": {"language": ["sv"]}}]
    window = body["query"]["bool"]["should"][0]["bool"]["filter"][1]["range"]["position"]
    assert window == {"gte": 2, "lte": 4}
