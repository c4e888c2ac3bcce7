from stance.calibrate import fit_logistic
from stance.engine import CONTRADICTS, NEITHER, SUPPORTS, decide, decide_sided, on_topic_probability


def test_off_topic_is_neither_whatever_the_model_says():
    assert decide_sided([0.9, 0.05, 0.05], relevance=0.70, t_relevance=0.84, t_polarity=0.45)[0] == NEITHER


def test_on_topic_side_follows_polarity_and_contradiction_wins_ties():
    assert decide_sided([0.30, 0.10, 0.60], 0.90, 0.84, 0.45) == (SUPPORTS, 0.75)
    assert decide_sided([0.10, 0.30, 0.60], 0.90, 0.84, 0.45) == (CONTRADICTS, 0.75)
    assert decide_sided([0.20, 0.20, 0.60], 0.90, 0.84, 0.50)[0] == CONTRADICTS


def test_model_only_decision_defaults_to_neither():
    assert decide([0.2, 0.2, 0.6], 0.45, 0.3)[0] == NEITHER
    assert decide([0.5, 0.5, 0.0], 0.45, 0.3)[0] == CONTRADICTS
    assert decide([0.6, 0.1, 0.3], 0.45, 0.3)[0] == SUPPORTS


def test_confidences_are_probabilities():
    for probs in ([0.9, 0.05, 0.05], [0.01, 0.01, 0.98], [0.3, 0.3, 0.4]):
        for rel in (0.5, 0.85, 0.99):
            assert 0.0 <= decide_sided(probs, rel, 0.84, 0.45)[1] <= 1.0


def test_confidence_grows_with_the_margin_over_the_relevance_threshold():
    near = decide_sided([0.8, 0.1, 0.1], 0.845, 0.84, 0.65, slope=40.0)
    far = decide_sided([0.8, 0.1, 0.1], 0.92, 0.84, 0.65, slope=40.0)
    assert near[0] == far[0] == SUPPORTS and near[1] < far[1] <= 1.0
    off = decide_sided([0.8, 0.1, 0.1], 0.80, 0.84, 0.65, slope=40.0)
    assert off[0] == NEITHER and abs(off[1] - (1 - on_topic_probability(0.80, 0.84, 40.0))) < 1e-3


def test_logistic_fit_recovers_a_known_slope():
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.uniform(-0.1, 0.1, 4000)
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-(0.5 + 30 * x)))).astype(float)
    intercept, slope = fit_logistic(x, y)
    assert abs(slope - 30) < 5 and abs(intercept - 0.5) < 0.2


def test_a_confident_side_just_below_the_relevance_threshold_is_rescued_and_nothing_further():
    band = (0.05, 0.9)
    assert decide_sided([0.02, 0.97, 0.01], 0.80, 0.83, 0.6, rescue=band)[0] == CONTRADICTS
    assert decide_sided([0.02, 0.97, 0.01], 0.77, 0.83, 0.6, rescue=band)[0] == NEITHER  # below the band
    assert decide_sided([0.50, 0.30, 0.20], 0.80, 0.83, 0.6, rescue=band)[0] == NEITHER  # not confident
    assert decide_sided([0.02, 0.97, 0.01], 0.80, 0.83, 0.6)[0] == NEITHER  # no band: the gate alone


def test_the_neither_gate_makes_an_on_topic_passage_without_position_neither():
    assert decide_sided([0.01, 0.01, 0.98], 0.90, 0.83, 0.6, t_neither=0.95) == (NEITHER, 0.98)
    assert decide_sided([0.01, 0.01, 0.98], 0.90, 0.83, 0.6)[0] == SUPPORTS  # polarity alone otherwise


def test_strict_mode_uses_the_gate_calibrated_on_held_out_pairs(tmp_path):
    import json

    from stance.engine import strict_gate

    assert 0.5 <= strict_gate() < 1.0, "the shipped decision.json carries the measured gate"
    (tmp_path / "decision.json").write_text(json.dumps({"relevance": 0.8}))
    assert strict_gate(tmp_path) is None
