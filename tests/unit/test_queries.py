from index import queries
from index.fusion import reciprocal_rank_fusion


def test_filters_cover_each_option():
    f = queries.passage_filters(["nb"], ["VG"], "2017-01-01", "2018-01-01")
    assert {"terms": {"language": ["nb"]}} in f
    assert {"terms": {"outlet": ["VG"]}} in f
    assert {"range": {"published": {"gte": "2017-01-01", "lte": "2018-01-01"}}} in f
    assert queries.passage_filters() == []


def test_bm25_searches_every_language_field_and_hides_vectors():
    body = queries.bm25_passages("Raqqa deal", 7, [{"term": {"language": "en"}}])
    mm = body["query"]["bool"]["must"][0]["multi_match"]
    assert set(mm["fields"]) == {"text", "text.en", "text.nb", "text.sv"}
    assert body["query"]["bool"]["filter"] == [{"term": {"language": "en"}}]
    assert body["size"] == 7 and "embedding" in body["_source"]["excludes"]


def test_knn_has_filter_only_when_given():
    body = queries.knn_passages([0.1] * 384, 5)
    assert body["knn"]["k"] == 5 and body["knn"]["num_candidates"] >= 5 and "filter" not in body["knn"]
    assert queries.knn_passages([0.1] * 384, 5, [{"term": {"x": 1}}])["knn"]["filter"] == [{"term": {"x": 1}}]


def test_entity_search_uses_key_and_fuzzy_alias_match():
    body = queries.search_entities("Deir Ezzor", ["deirezzor", "drzr"], 10, 20)
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    assert {"terms": {"keys": ["deirezzor", "drzr"], "boost": 10}} in should
    assert any("match" in c and c["match"].get("aliases", {}).get("fuzziness") == "AUTO" for c in should)
    assert body["from"] == 20


def test_rrf_rewards_agreement_and_is_deterministic():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]])
    assert fused[0][0] == "b"
    assert [i for i, _ in fused] == [i for i, _ in reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]])]
    assert {i for i, _ in fused} == {"a", "b", "c", "d"}
    assert reciprocal_rank_fusion([]) == []
