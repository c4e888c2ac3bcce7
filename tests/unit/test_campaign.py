def test_changed_mix_buckets_are_adopted_with_a_record_of_when_and_what():
    from training.campaign import adopt_buckets

    cfg = {"buckets": {"snli": 0.09, "identity": 0.02}}
    adopt_buckets(cfg, {"snli": 0.07, "identity": 0.02, "retrieved": 0.02}, 288_480)
    assert cfg["buckets"] == {"snli": 0.07, "identity": 0.02, "retrieved": 0.02}
    assert cfg["bucket_changes"] == [{"seen": 288_480, "changed": {"retrieved": [None, 0.02], "snli": [0.09, 0.07]}}]
