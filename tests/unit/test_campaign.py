from typing import Any


def test_changed_mix_buckets_are_adopted_with_a_record_of_when_and_what():
    from training.campaign import adopt_buckets

    cfg = {"buckets": {"snli": 0.09, "identity": 0.02}}
    adopt_buckets(cfg, {"snli": 0.07, "identity": 0.02, "retrieved": 0.02}, 288_480)
    assert cfg["buckets"] == {"snli": 0.07, "identity": 0.02, "retrieved": 0.02}
    assert cfg["bucket_changes"] == [{"seen": 288_480, "changed": {"retrieved": [None, 0.02], "snli": [0.09, 0.07]}}]


def test_the_training_sets_named_are_those_of_buckets_given_a_share_and_of_the_starting_weights():
    from training.campaign import trained_sets

    rows = [
        {"source": "snli", "bucket": "snli"},
        {"source": "fnc1-body", "bucket": "news-neighbour"},
        {"source": "wiki", "bucket": "retrieved"},
        {"source": "fm2", "bucket": "fm2"},
    ]
    cfg: dict[str, Any] = {"buckets": {"snli": 0.9, "fm2": 0.1}}
    assert trained_sets(rows, cfg, []) == ["fm2", "snli"]
    cfg["bucket_changes"] = [
        {"seen": 10, "changed": {"retrieved": [None, 0.04]}},
        {"seen": 20, "changed": {"retrieved": [0.04, None]}},
    ]
    assert trained_sets(rows, cfg, ["rte"]) == ["fm2", "rte", "snli", "wiki"]
