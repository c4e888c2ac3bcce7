from stance.engine import calibrated, decide, position
from stance.labels import CONTRADICTS, NEITHER, SUPPORTS
from training.calibrate import fit_logistic

DECISION = {"temperature": 1.0}


def test_off_topic_is_neither_whatever_the_model_says():
    assert decide([0.9, 0.05, 0.05], relevance=0.70, t_relevance=0.84, decision=DECISION)[::2] == (NEITHER, False)


def test_on_topic_takes_a_side_only_where_the_model_reads_a_position():
    assert decide([0.70, 0.10, 0.20], 0.90, 0.84, DECISION) == (SUPPORTS, 0.7, True)
    assert decide([0.10, 0.70, 0.20], 0.90, 0.84, DECISION) == (CONTRADICTS, 0.7, True)
    # on topic, no position: neither, but on topic (compare lists it as related, never on a side)
    assert decide([0.30, 0.10, 0.60], 0.90, 0.84, DECISION) == (NEITHER, 0.6, True)


def test_the_held_out_side_floor_moves_what_counts_as_a_position():
    probs = [0.55, 0.05, 0.40]
    assert position(probs, {"side_probability": 0.5})[0] == SUPPORTS
    assert position(probs, {"side_probability": 0.6})[0] == NEITHER
    assert position(probs)[0] == SUPPORTS  # without a floor: the side must beat neither


def test_temperature_softens_and_keeps_the_order():
    probs = [0.90, 0.02, 0.08]
    soft = calibrated(probs, 2.0)
    assert abs(sum(soft) - 1) < 1e-9 and soft[0] < 0.9 and soft[0] > soft[2] > soft[1]
    assert position(probs, {"temperature": 2.0}) == (SUPPORTS, round(soft[0], 4))


def test_confidences_are_probabilities():
    for probs in ([0.9, 0.05, 0.05], [0.01, 0.01, 0.98], [0.3, 0.3, 0.4]):
        for rel in (0.5, 0.85, 0.99):
            assert 0.0 <= decide(probs, rel, 0.84, {"temperature": 1.7})[1] <= 1.0


def test_logistic_fit_recovers_a_known_slope():
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.uniform(-0.1, 0.1, 4000)
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-(0.5 + 30 * x)))).astype(float)
    intercept, slope = fit_logistic(x, y)
    assert abs(slope - 30) < 5 and abs(intercept - 0.5) < 0.2


def test_a_confident_side_just_below_the_relevance_threshold_is_rescued_and_nothing_further():
    band = (0.05, 0.9)
    assert decide([0.02, 0.97, 0.01], 0.80, 0.83, DECISION, rescue=band)[0] == CONTRADICTS
    assert decide([0.02, 0.97, 0.01], 0.77, 0.83, DECISION, rescue=band)[::2] == (NEITHER, False)  # below the band
    assert decide([0.50, 0.30, 0.20], 0.80, 0.83, DECISION, rescue=band)[::2] == (NEITHER, False)  # not confident
    assert decide([0.02, 0.97, 0.01], 0.80, 0.83, DECISION)[::2] == (NEITHER, False)  # no band: the gate alone
