import pytest
import torch

from training.campaign import _Swap, ema_update, read_buckets, schedule


def test_the_running_average_moves_toward_the_weights_by_one_minus_the_decay():
    ema = {"w": torch.zeros(3)}
    ema_update(ema, {"w": torch.ones(3)}, decay=0.9)
    assert torch.allclose(ema["w"], torch.full((3,), 0.1))
    ema_update(ema, {"w": torch.ones(3)}, decay=0.9)
    assert torch.allclose(ema["w"], torch.full((3,), 0.19))


def test_the_average_is_swapped_in_for_a_block_and_the_weights_come_back():
    param = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    with _Swap({"p": param}, {"p": torch.tensor([5.0, 6.0])}):
        assert param.tolist() == [5.0, 6.0]
    assert param.tolist() == [1.0, 2.0]


def test_a_continuation_from_exported_weights_warms_up_again_then_follows_the_schedule():
    cfg = {"warmup_pairs": 100, "total_pairs": 1_000, "floor": 0.1}
    assert schedule(500, cfg, rewarm_from=500) < 0.02 * schedule(500, cfg)
    assert schedule(550, cfg, rewarm_from=500) == schedule(550, cfg) * 0.5
    assert schedule(600, cfg, rewarm_from=500) == schedule(600, cfg)
    assert schedule(50, cfg) == 0.5


def test_a_fork_counts_its_warm_up_and_decay_from_the_pairs_its_weights_had_seen():
    cfg = {"warmup_pairs": 100, "total_pairs": 1_000, "floor": 0.1}
    fork = cfg | {"fork_from": 5_000}
    assert schedule(5_050, fork, rewarm_from=5_000) == schedule(50, cfg) == 0.5
    assert schedule(5_600, fork, rewarm_from=5_000) == schedule(600, cfg)
    assert schedule(6_000, fork) == 0.1


def test_a_control_fork_reads_its_mix_shares_from_weights_or_a_plain_object(tmp_path):
    meta = tmp_path / "stance.json"
    meta.write_text('{"trained_pairs": 5, "campaign": {"buckets": {"a": 0.25, "b": 0.75}}}')
    assert read_buckets(meta) == {"a": 0.25, "b": 0.75}
    plain = tmp_path / "shares.json"
    plain.write_text('{"a": 0.5, "b": 0.5}')
    assert read_buckets(plain) == {"a": 0.5, "b": 0.5}
    plain.write_text('{"a": 0.5, "b": 0.4}')
    with pytest.raises(SystemExit, match="sum to 0.9000"):
        read_buckets(plain)
    plain.write_text('{"a": 1.5, "b": -0.5}')
    with pytest.raises(SystemExit, match="positive"):
        read_buckets(plain)
