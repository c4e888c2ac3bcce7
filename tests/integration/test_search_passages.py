"""Several passage searches in one msearch round trip, against the real Elasticsearch: hits per search, and errors."""

import pytest

from index.errors import IndexNotReady, SearchFailed
from index.names import IndexNames
from index.queries import bm25_passages, knn_passages
from index.repository import Archive

pytestmark = pytest.mark.integration


def test_hits_come_back_per_search_in_order(es, seeded_names):
    archive = Archive(es, seeded_names)
    lexical, nothing, more = archive.search_passages(
        [bm25_passages("Raqqa", 3), bm25_passages("zzzqqqxxx", 3), bm25_passages("Raqqa", 5)]
    )
    assert len(lexical) == 3 and nothing == [] and len(more) == 5
    assert [h["passage_id"] for h in more[:3]] == [h["passage_id"] for h in lexical]
    assert archive.search_passages([]) == []


def test_a_bad_search_is_an_error_with_its_status_and_a_missing_index_is_not_ready(es, seeded_names):
    with pytest.raises(SearchFailed) as failed:
        Archive(es, seeded_names).search_passages([bm25_passages("Raqqa", 1), knn_passages([0.1, 0.2], 3)])
    assert 400 <= failed.value.status < 500 and str(failed.value)
    with pytest.raises(IndexNotReady):
        Archive(es, IndexNames("test-never-indexed")).search_passages([bm25_passages("Raqqa", 1)])
