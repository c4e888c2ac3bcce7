from stance.rules import CONTRADICTS, NEITHER, SUPPORTS, judge, negated


def test_negation_cues_in_three_languages():
    assert negated("The coalition said it was not involved.")
    assert negated("USA hevder at de ikke var med.")
    assert negated("USA hävdar att de inte var överens.")
    assert not negated("The coalition confirmed the deal.")
    assert not negated("It is not true that they did not go.")
    assert not negated("Russisk TV hevder at USA ikke bare har latt dem slippe ut, men har flydd dem.")
    assert not negated("They not only left but took the weapons.")


def test_judge_orders_relevance_then_polarity():
    assert judge("They left the city.", "They did not leave the city.", 0.9, 0.8).stance == CONTRADICTS
    assert judge("They left the city.", "They left the city at night.", 0.9, 0.8).stance == SUPPORTS
    assert judge("They left the city.", "Bread prices rose.", 0.5, 0.8).stance == NEITHER
    assert 0.0 <= judge("a b c", "a b c", 0.99, 0.8).confidence <= 1.0
