"""Pure builders of Elasticsearch request bodies (unit-tested on the dicts they return)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TEXT_FIELDS = ("text", "text.en", "text.nb", "text.sv")
# Passages of a document's current version: a write indexes them live last, after the entities and the document
# record (older archives may still hold passages staged with live=false by an interrupted write).
LIVE = {"term": {"live": True}}
_SOURCE_EXCLUDES = ["embedding"]
# The passages index keeps vectors out of _source (index/data/passages.json): they live in the HNSW graph only
# (1.6 vs 7.7 KB a passage, bench/results/vector_index.txt) and are read back through a script field.
_VECTOR = {"embedding": {"script": {"source": "doc['embedding'].vectorValue"}}}


def with_vectors(body: dict[str, Any]) -> dict[str, Any]:
    """The request body that also returns each hit's embedding (as the script field `embedding`)."""
    return body | {"_source": True, "script_fields": _VECTOR}


def passage_filters(
    languages: Sequence[str] | None = None,
    outlets: Sequence[str] | None = None,
    published_after: str | None = None,
    published_before: str | None = None,
    include_undated: bool = True,
    roles: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Filter clauses shared by every passage search. A date range keeps every passage whose published period
    (a day, a month or a year, by the date's precision) overlaps it, and undated ones unless include_undated is
    false; roles keeps only passages of those roles (body, headline, caption, comment, quote_box, fact_box)."""
    filters: list[dict[str, Any]] = []
    if languages:
        filters.append({"terms": {"language": list(languages)}})
    if outlets:
        filters.append({"terms": {"outlet": list(outlets)}})
    if roles:
        filters.append({"terms": {"role": list(roles)}})
    if published_after or published_before:
        rng: dict[str, str] = {"relation": "intersects"}
        if published_after:
            rng["gte"] = published_after
        if published_before:
            rng["lte"] = published_before
        dated: dict[str, Any] = {"range": {"published_period": rng}}
        if published_after and published_before and published_after > published_before:
            dated = {"match_none": {}}  # an empty range keeps no dated passage (Elasticsearch rejects it as a range)
        if include_undated:
            undated = {"bool": {"must_not": [{"exists": {"field": "published_period"}}]}}
            filters.append({"bool": {"should": [dated, undated], "minimum_should_match": 1}})
        else:
            filters.append(dated)
    return filters


def documents_kept(filters: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """How many documents have a live passage at all, and how many have one the filters keep (and of those, how
    many are undated): what a compare's filters left out."""
    cardinality = {"cardinality": {"field": "document_id", "precision_threshold": 40_000}}
    return {
        "size": 0,
        "query": {"bool": {"filter": [LIVE]}},
        "aggs": {
            "all": cardinality,
            "kept": {
                "filter": {"bool": {"filter": list(filters)}},
                "aggs": {
                    "documents": cardinality,
                    "undated": {
                        "filter": {"bool": {"must_not": [{"exists": {"field": "published_period"}}]}},
                        "aggs": {"documents": cardinality},
                    },
                },
            },
        },
    }


def bm25_passages(claim: str, size: int, filters: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Lexical search over the folded and the per-language analysed text fields."""
    return {
        "size": size,
        "query": {
            "bool": {
                "must": [{"multi_match": {"query": claim, "fields": list(TEXT_FIELDS), "type": "most_fields"}}],
                "filter": [LIVE, *filters],
            }
        },
        "_source": {"excludes": _SOURCE_EXCLUDES},
    }


def knn_passages(
    vector: Sequence[float], size: int, filters: Sequence[dict[str, Any]] = (), min_cosine: float | None = None
) -> dict[str, Any]:
    """Approximate nearest neighbours on the e5 embedding, optionally only those at or above a cosine."""
    knn: dict[str, Any] = {
        "field": "embedding",
        "query_vector": [float(x) for x in vector],
        "k": size,
        "num_candidates": max(100, size * 4),
        "filter": [LIVE, *filters],
    }
    if min_cosine is not None:
        knn["similarity"] = min_cosine  # raw cosine for a cosine field, not the (1 + cos) / 2 score
    return {"size": size, "knn": knn, "_source": {"excludes": _SOURCE_EXCLUDES}}


def language_is(language: str, same: bool = True) -> dict[str, Any]:
    """Filter on a passage's language (or on every other language)."""
    term = {"term": {"language": language}}
    return term if same else {"bool": {"must_not": [term]}}


def passages_by_ids(passage_ids: Sequence[str]) -> dict[str, Any]:
    """Fetch live passages (with embeddings) by passage id."""
    query = {"bool": {"filter": [LIVE, {"terms": {"passage_id": list(passage_ids)}}]}}
    return with_vectors({"size": len(passage_ids), "query": query})


def vectors_by_es_ids(es_ids: Sequence[str]) -> dict[str, Any]:
    """Only the embeddings of passages, by Elasticsearch id (live or not)."""
    return {"size": len(es_ids), "query": {"ids": {"values": list(es_ids)}}, "_source": False, "script_fields": _VECTOR}


def neighbours_of(
    anchors: Sequence[tuple[str, int]], distance: int = 1, filters: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """Live passages within `distance` sentences of each (document_id, position) anchor, embeddings included."""
    should = [
        {
            "bool": {
                "filter": [
                    {"term": {"document_id": doc}},
                    {"range": {"position": {"gte": pos - distance, "lte": pos + distance}}},
                ]
            }
        }
        for doc, pos in anchors
    ]
    return with_vectors(
        {
            "size": len(anchors) * (2 * distance + 1),
            "query": {"bool": {"filter": [LIVE, *filters], "should": should, "minimum_should_match": 1}},
        }
    )


def passages_of_document(document_id: str, size: int = 10_000) -> dict[str, Any]:
    """All passages of one document in reading order."""
    return {
        "size": size,
        "query": {"bool": {"filter": [LIVE, {"term": {"document_id": document_id}}]}},
        "sort": [{"position": "asc"}],
        "_source": {"excludes": _SOURCE_EXCLUDES},
    }


def passages_of_documents(document_ids: Sequence[str], size: int = 10_000) -> dict[str, Any]:
    """The live passages of several documents, with their embeddings (what a watch's ingest gate reads)."""
    return with_vectors(
        {
            "size": size,
            "query": {"bool": {"filter": [LIVE, {"terms": {"document_id": sorted(set(document_ids))}}]}},
            "sort": [{"document_id": "asc"}, {"position": "asc"}],
        }
    )


def _page(body: dict[str, Any], offset: int, after: Sequence[Any] | None) -> dict[str, Any]:
    """Page a sorted search by offset or, when a cursor's sort values are given, by search_after."""
    return body | ({"search_after": list(after)} if after else {"from": offset})


def passages_of_entity(entity_id: str, size: int, offset: int = 0, after: Sequence[Any] | None = None) -> dict[str, Any]:
    """Passages that mention an entity, by document and position, with a per-document summary."""
    body = {
        "size": size,
        "query": {"bool": {"filter": [LIVE, {"term": {"entities": entity_id}}]}},
        "sort": [{"document_id": "asc"}, {"position": "asc"}, {"passage_id": "asc"}],
        "_source": {"excludes": _SOURCE_EXCLUDES},
        "track_total_hits": True,
        "aggs": {
            "documents": {
                "terms": {"field": "document_id", "size": 1000, "order": {"_key": "asc"}},
                "aggs": {
                    "meta": {
                        "top_hits": {"size": 1, "_source": {"includes": ["outlet", "published", "document_language", "title"]}}
                    }
                },
            }
        },
    }
    return _page(body, offset, after)


def entity_passages_with_vectors(entity_id: str, size: int) -> dict[str, Any]:
    """Passages that mention an entity, with their embeddings, for pairwise comparison."""
    return with_vectors(
        {
            "size": size,
            "query": {"bool": {"filter": [LIVE, {"term": {"entities": entity_id}}]}},
            "sort": [{"document_id": "asc"}, {"position": "asc"}, {"passage_id": "asc"}],
        }
    )


def list_documents(size: int, offset: int = 0, after: Sequence[Any] | None = None) -> dict[str, Any]:
    """Documents by id, without their full text."""
    body = {
        "size": size,
        "query": {"match_all": {}},
        "sort": [{"document_id": "asc"}],
        "_source": {"excludes": ["text"]},
        "track_total_hits": True,
    }
    return _page(body, offset, after)


def search_entities(
    q: str, keys: Sequence[str], size: int, offset: int = 0, after: Sequence[Any] | None = None
) -> dict[str, Any]:
    """Entities whose name or aliases match a query, tolerant of spelling, case, diacritics and transliteration."""
    should: list[dict[str, Any]] = [
        {"terms": {"keys": list(keys), "boost": 10}},
        *({"fuzzy": {"keys": {"value": k, "fuzziness": "AUTO", "boost": 5}}} for k in keys),
        {"term": {"aliases.keyword": {"value": q, "boost": 8}}},
        {"match_phrase": {"aliases": {"query": q, "boost": 4}}},
        {"match": {"aliases": {"query": q, "fuzziness": "AUTO", "operator": "and", "boost": 2}}},
        {"match": {"aliases.prefix": {"query": q, "operator": "and"}}},
    ]
    body = {
        "size": size,
        "query": {
            "function_score": {
                "query": {"bool": {"should": should, "minimum_should_match": 1}},
                "field_value_factor": {"field": "mention_count", "modifier": "log1p", "factor": 1},
                "boost_mode": "sum",
            }
        },
        "sort": [{"_score": "desc"}, {"entity_id": "asc"}],
        "_source": {"excludes": ["keys"]},
        "track_total_hits": True,
    }
    return _page(body, offset, after)


def passage_ids_of_document(document_id: str, live: bool | None = None) -> dict[str, Any]:
    """The Elasticsearch ids of a document's passages (all versions, or only live or only staged ones)."""
    filters: list[dict[str, Any]] = [{"term": {"document_id": document_id}}]
    if live is not None:
        filters.append({"term": {"live": live}})
    return {"size": 10_000, "query": {"bool": {"filter": filters}}, "_source": False}


def live_passages_of_version(document_id: str, version: str) -> dict[str, Any]:
    """A count body: the live passages of one version of a document (is that version fully published?)."""
    filters = [{"term": {"document_id": document_id}}, {"term": {"version": version}}, LIVE]
    return {"query": {"bool": {"filter": filters}}}


def entity_sharing_keys(keys: Sequence[str], excluded: Sequence[str] = ()) -> dict[str, Any]:
    """The most-mentioned archive entity sharing any of these spelling keys, outside the excluded ids (its id and
    mention count only)."""
    query: dict[str, Any] = {"terms": {"keys": sorted(keys)}}
    if excluded:
        query = {"bool": {"filter": [query], "must_not": [{"ids": {"values": sorted(excluded)}}]}}
    return {
        "size": 1,
        "query": query,
        "sort": [{"mention_count": "desc"}, {"entity_id": "asc"}],
        "_source": {"includes": ["entity_id", "mention_count"]},
    }


def entities_of_document(document_id: str) -> dict[str, Any]:
    """The ids of every entity a document contributes mentions to."""
    return {"size": 10_000, "query": {"term": {"documents": document_id}}, "_source": {"includes": ["entity_id"]}}


def origin_candidates(vector: Sequence[float], document_id: str, floor: float, k: int = 10) -> dict[str, Any]:
    """Live passages of other documents whose e5 cosine to a passage reaches the floor: candidates for its origin."""
    return {
        "size": k,
        "knn": {
            "field": "embedding",
            "query_vector": list(vector),
            "k": k,
            "num_candidates": max(50, 5 * k),
            "similarity": floor,
            "filter": {"bool": {"filter": [LIVE], "must_not": [{"term": {"document_id": document_id}}]}},
        },
        "_source": ["passage_id", "document_id", "origin", "text", "language"],
    }


def nearest_in_language(vector: Sequence[float], language: str, excluded_documents: Sequence[str]) -> dict[str, Any]:
    """The live passage of one language, outside some documents, closest to a vector (its score is (1 + cosine) / 2):
    whether a translation candidate has a closer match than the new passage."""
    return {
        "size": 1,
        "knn": {
            "field": "embedding",
            "query_vector": list(vector),
            "k": 1,
            "num_candidates": 50,
            "filter": {
                "bool": {
                    "filter": [LIVE, {"term": {"language": language}}],
                    "must_not": [{"terms": {"document_id": list(excluded_documents)}}],
                }
            },
        },
        "_source": False,
    }


def passages_of_origins(origins: Sequence[str], size: int = 10_000) -> dict[str, Any]:
    """Every passage (live or not) of some origins, with its embedding and its sequence number: an origins merge
    rewrites them whole (an update would rebuild them from _source, which holds no vector)."""
    return with_vectors({"size": size, "query": {"terms": {"origin": list(origins)}}, "seq_no_primary_term": True})


def first_of_origins(origins: Sequence[str]) -> dict[str, Any]:
    """Per origin, how many live passages and documents it has, and its earliest dated passage."""
    return {
        "size": 0,
        "query": {"bool": {"filter": [LIVE, {"terms": {"origin": list(origins)}}]}},
        "aggs": {
            "origins": {
                "terms": {"field": "origin", "size": max(1, len(origins))},
                "aggs": {
                    "documents": {"cardinality": {"field": "document_id"}},
                    "first": {
                        "top_hits": {
                            "size": 1,
                            "sort": [{"published": {"order": "asc", "missing": "_last"}}, {"document_id": "asc"}],
                            "_source": {"includes": ["passage_id", "document_id", "outlet", "published", "role"]},
                        }
                    },
                },
            }
        },
    }


def documents_sharing_origins(document_id: str, origins: Sequence[str]) -> dict[str, Any]:
    """Other documents with live passages in these origins, with how many of the origins each shares."""
    return {
        "size": 0,
        "query": {
            "bool": {
                "filter": [LIVE, {"terms": {"origin": list(origins)}}],
                "must_not": [{"term": {"document_id": document_id}}],
            }
        },
        "aggs": {
            "documents": {
                "terms": {"field": "document_id", "size": 100},
                "aggs": {
                    "origins": {"cardinality": {"field": "origin"}},
                    "meta": {"top_hits": {"size": 1, "_source": {"includes": ["outlet", "published"]}}},
                },
            }
        },
    }
