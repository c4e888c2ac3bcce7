"""What a batch remembers of the passages it wrote since its last refresh."""

import numpy as np

from index.unpublished import Unpublished


def _source(document_id: str, vector: list[float], language: str = "en", origin: str = "o") -> dict:
    v = np.asarray(vector, dtype=np.float32)
    return {"document_id": document_id, "embedding": (v / np.linalg.norm(v)).tolist(), "language": language, "origin": origin}


def test_candidates_are_other_documents_passages_above_the_floor_closest_first():
    u = Unpublished()
    u.add([_source("a", [1, 0, 0]), _source("a", [0.9, 0.1, 0])], ["a1", "a2"])
    u.add([_source("b", [1, 0.05, 0])], ["b1"])
    (found,) = u.candidates(np.asarray([[1.0, 0.0, 0.0]]), "b", 0.9)
    assert [es_id for _, _, es_id in found] == ["a1", "a2"] and found[0][0] > found[1][0]
    assert "embedding" not in found[0][1]
    (none,) = u.candidates(np.asarray([[0.0, 0.0, 1.0]]), "c", 0.5)
    assert none == []


def test_closer_holds_and_clear():
    u = Unpublished()
    assert not u
    u.add([_source("a", [1, 0, 0], "nb", origin="x")], ["a1"])
    assert u and u.holds(["a1"]) and not u.holds(["z"]) and u.holds_origins({"x": "y"}) and not u.holds_origins(["y"])
    assert u.closer(np.asarray([1.0, 0.0, 0.0]), "nb", ["b"], 0.99)
    assert not u.closer(np.asarray([1.0, 0.0, 0.0]), "en", ["b"], 0.5)  # another language
    assert not u.closer(np.asarray([1.0, 0.0, 0.0]), "nb", ["a"], 0.5)  # an excluded document
    assert not u.closer(np.asarray([0.0, 1.0, 0.0]), "nb", ["b"], 0.5)  # not as close
    u.clear()
    assert not u and not u.document_ids and u.candidates(np.asarray([[1.0, 0.0, 0.0]]), "b", 0.0) == [[]]


def test_an_entity_written_since_the_refresh_is_ranked_with_the_archives_best_as_a_search_would():
    u = Unpublished()
    assert u.entity_sharing_keys({"oslo"}, None) is None and u.entity_sharing_keys({"oslo"}, ("oslo", 3)) == "oslo"
    u.wrote_entity("oslo-kommune", {"keys": ["oslo", "oslo kommune"], "mention_count": 5})
    u.wrote_entity("gone", None)  # deleted since: never an answer
    assert u and u.entity_sharing_keys({"oslo"}, ("oslo", 3)) == "oslo-kommune"  # the most mentioned
    assert u.entity_sharing_keys({"oslo"}, ("by", 5)) == "by"  # a tie goes to the smaller id, as the search sorts
    assert u.entity_sharing_keys({"bergen"}, None) is None
    u.clear()
    assert not u and not u.entities
