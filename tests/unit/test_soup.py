import pytest
import torch

from training.soup import mix_states, soup_meta


def test_the_soup_is_the_share_weighted_mean_kept_in_the_parents_dtype():
    a = {"w": torch.tensor([0.0, 2.0], dtype=torch.float16), "b": torch.tensor([1.0], dtype=torch.float16)}
    b = {"w": torch.tensor([4.0, 2.0], dtype=torch.float16), "b": torch.tensor([3.0], dtype=torch.float16)}
    half = mix_states(a, b, 0.5)
    assert half["w"].tolist() == [2.0, 2.0] and half["b"].tolist() == [2.0]
    assert half["w"].dtype == torch.float16
    assert mix_states(a, b, 0.25)["w"].tolist() == [1.0, 2.0]
    assert mix_states(a, b, 0.0)["w"].tolist() == a["w"].tolist()


def test_weights_of_other_tensors_shapes_or_shares_are_refused():
    a = {"w": torch.zeros(2)}
    with pytest.raises(ValueError, match="differ in their tensors"):
        mix_states(a, {"v": torch.zeros(2)}, 0.5)
    with pytest.raises(ValueError, match="shape"):
        mix_states(a, {"w": torch.zeros(3)}, 0.5)
    with pytest.raises(ValueError, match="share_b"):
        mix_states(a, a, 1.5)


def test_the_soups_record_names_both_parents_and_their_training_sets(tmp_path):
    meta_a = {"trained_pairs": 10, "frozen_layers": 0, "training_sets": ["snli"], "checkpoint_eval": {"x": 1}}
    meta_b = {"trained_pairs": 20, "frozen_layers": 0, "training_sets": ["vitaminc"], "checkpoint_eval": {"x": 2}}
    meta = soup_meta(meta_a, meta_b, tmp_path / "a", tmp_path / "b", 0.5)
    assert meta["soup"]["a_pairs"] == 10 and meta["soup"]["b_pairs"] == 20 and meta["soup"]["share_b"] == 0.5
    assert meta["training_sets"] == ["snli", "vitaminc"] and meta["checkpoint_eval"] == {}
    with pytest.raises(ValueError, match="different layers"):
        soup_meta(meta_a, {**meta_b, "frozen_layers": 6}, tmp_path / "a", tmp_path / "b", 0.5)
