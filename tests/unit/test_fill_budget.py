"""How the model budget is shared between the claim's best passages and its counter-claims' nearest ones."""

from api.services.compare import fill_budget


def test_counter_places_follow_the_best_by_margin_and_skip_what_is_already_in():
    ranked = ["a", "b", "c", "d", "e", "f"]
    assert fill_budget(ranked, ["f", "b", "e"], budget=4, slots=2) == ["a", "b", "f", "e"]


def test_unused_counter_places_go_back_to_the_margin_order():
    ranked = ["a", "b", "c", "d", "e"]
    assert fill_budget(ranked, ["e"], budget=4, slots=2) == ["a", "b", "e", "c"]
    assert fill_budget(ranked, [], budget=4, slots=2) == ["a", "b", "c", "d"]


def test_never_more_than_the_budget_nor_a_passage_twice():
    assert fill_budget(["a", "b", "c"], ["c", "c", "b"], budget=10, slots=3) == ["a", "b", "c"]
    assert fill_budget(["a", "b", "c", "d"], ["d", "d"], budget=3, slots=2) == ["a", "d", "b"]
