from stance.engine import CONTRADICTS, NEITHER, SUPPORTS, decide, decide_sided


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
