from api.services.compare import comment_order, related_order
from api.services.summary import side_summary


def _p(pid, origin, outlet="A", published=None, language="en", role="body", **extra):
    return {
        "passage_id": pid,
        "document_id": pid.split(":")[0],
        "origin": {"id": origin},
        "outlet": outlet,
        "published": published,
        "language": language,
        "role": role,
    } | extra


def test_a_side_in_figures_leaves_comments_out():
    passages = [
        _p("d1:1", "o1", "NRK", "2017-10-14", "nb"),
        _p("d2:1", "o1", "VG", "2017-10", "nb"),
        _p("d3:1", "o2", "BBC", None, "en"),
        _p("d4:1", "o3", "X", "2017-01-01", "sv", role="comment"),
    ]
    s = side_summary(passages)
    assert s == {
        "passages": 3,
        "independent_sources": 2,
        "outlets": ["BBC", "NRK", "VG"],
        "languages": ["en", "nb"],
        "earliest": {"passage_id": "d2:1", "document_id": "d2", "outlet": "VG", "published": "2017-10"},
        "one_origin_repeated": False,
    }


def test_one_origin_repeated_and_an_empty_side():
    assert side_summary([_p("d1:1", "o1"), _p("d2:1", "o1", "B")])["one_origin_repeated"] is True
    assert side_summary([_p("d1:1", "o1")])["one_origin_repeated"] is False
    empty = side_summary([])
    assert empty["passages"] == 0 and empty["earliest"] is None and empty["one_origin_repeated"] is False


def test_the_passage_nearest_to_a_side_comes_first_among_related():
    topical = _p("d1:1", "o1", score=0.91, position_probability=0.05)
    nearly = _p("d2:1", "o2", score=0.84, position_probability=0.41)
    assert [p["passage_id"] for p in sorted([topical, nearly], key=related_order)] == ["d2:1", "d1:1"]
    same = _p("d3:1", "o3", score=0.95, position_probability=0.41)
    assert sorted([nearly, same], key=related_order)[0] is same  # a tie goes to the more relevant


def test_sided_comments_come_before_the_others():
    neither = _p("d1:1", "o1", role="comment", stance="neither", confidence=0.9, position_probability=0.1)
    sided = _p("d2:1", "o2", role="comment", stance="supports", confidence=0.6)
    assert sorted([neither, sided], key=comment_order) == [sided, neither]
