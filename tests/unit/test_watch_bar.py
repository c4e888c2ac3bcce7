"""A watch's bar: compare's candidate budget kept as passages go by (api.services.watch_bar.Bar)."""

from __future__ import annotations

from api.config import Settings
from api.services.compare import counter_slots
from api.services.watch_bar import Bar, counter_places, counter_score


def test_below_the_floor_nothing_is_admitted_even_with_room():
    bar = Bar(head=3, places={"en": 2})
    assert not bar.admit(-0.01, False, "en", 0.99)
    assert bar.margins == [] and bar.counter == {}


def test_the_head_takes_every_passage_over_the_floor_until_full_then_only_better_ones():
    bar = Bar(head=3)
    assert all(bar.admit(m, False, "en", None) for m in (0.05, 0.02, 0.04))
    assert not bar.admit(0.01, False, "en", None)  # worse than the 3rd best: compare would not read it
    assert bar.admit(0.03, False, "en", None)  # better than the 3rd best: it would
    assert sorted(bar.margins) == [0.03, 0.04, 0.05]
    assert not bar.admit(0.025, False, "en", None)


def test_a_passage_outside_the_head_enters_by_its_counter_claim_score_per_language():
    bar = Bar(head=1, places={"en": 1, "nb": 1}, margins=[0.09])
    assert bar.admit(0.01, False, "en", 0.70)  # the first English counter place
    assert bar.admit(0.01, False, "nb", 0.60)  # Norwegian has its own place
    assert not bar.admit(0.01, False, "en", 0.65)  # not closer to the counter-claims than the one holding it
    assert bar.admit(0.01, False, "en", 0.80)
    assert bar.counter == {"en": [0.80], "nb": [0.60]}
    assert not bar.admit(0.01, False, "sv", None)  # no counter-claims in its language, no head place


def test_a_passage_on_topic_outright_is_always_read_without_taking_a_place():
    bar = Bar(head=1, places={"en": 1}, margins=[0.2], counter={"en": [0.9]})
    assert bar.admit(0.1, True, "en", 0.5)
    assert bar.margins == [0.2] and bar.counter == {"en": [0.9]}


def test_each_read_is_counted_by_the_place_it_took():
    bar = Bar(head=2, places={"en": 1})
    assert bar.admit(0.05, False, "en", 0.5) and bar.admit(0.04, False, "en", 0.5)  # the head fills
    assert bar.admit(0.06, False, "en", 0.5)  # and is beaten
    assert bar.admit(0.01, False, "en", 0.7) and bar.admit(0.01, False, "en", 0.8)  # the counter place: filled, beaten
    assert bar.admit(0.01, True, "en", 0.1) and not bar.admit(0.01, False, "en", 0.1)
    assert bar.reads == {"head-filling": 2, "head": 1, "counter-en-filling": 1, "counter-en": 1, "on-topic": 1}


def test_the_counter_places_are_compares_and_never_more_than_half_its_budget():
    assert counter_slots(Settings(compare_candidates=40, compare_counter=8)) == 8
    assert counter_slots(Settings(compare_candidates=10, compare_counter=8)) == 5


def test_counter_score_is_the_cosine_to_the_watchs_counter_vector_of_that_language():
    import numpy as np

    counter = {"en": np.asarray([0.6, 0.8], dtype=np.float32)}
    score = counter_score(counter, "en", np.asarray([1.0, 0.0], dtype=np.float32))
    assert score is not None and abs(score - 0.6) < 1e-6
    assert counter_score(counter, "nb", np.asarray([1.0, 0.0], dtype=np.float32)) is None


def test_the_bars_of_watches_no_longer_watched_are_dropped():
    from api.services.watch_bar import Bars

    bars = Bars()
    bars._bars = {"w-1": Bar(head=1), "w-2": Bar(head=1)}
    bars.keep({"w-2", "w-3"})
    assert set(bars._bars) == {"w-2"}


def test_counter_places_are_dealt_to_the_languages_in_turn_the_claims_first():
    assert counter_places(8, "nb", ["en", "nb", "sv"]) == {"nb": 3, "en": 3, "sv": 2}
    assert counter_places(8, "en", ["en"]) == {"en": 8}
    assert counter_places(8, "en", []) == {}
