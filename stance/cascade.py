"""The cascade's rule: which of a student's verdicts are near enough a decision boundary for the teacher to reread.

A verdict is the product decision on calibrated probabilities (stance.engine.position, and decide's rescue band):
a side when the leaning side's calibrated probability reaches the side floor, else neither. It changes when that
probability crosses the floor, when the two sides swap (a sided pair), or, in the rescue band under the relevance
threshold, when the side probability crosses the rescue floor. `boundary_distance` is the smallest of those gaps;
pairs under the held-out margin (decision.json "cascade", set by training/cascade_margin.py) are reread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stance.engine import Pair, calibrated, relevance_threshold


def boundary_distance(
    probs: Sequence[float],
    decision: dict[str, Any],
    relevance: float | None = None,
    t_relevance: float | None = None,
    rescue: tuple[float, float] | None = None,
) -> float:
    """How far (in calibrated probability) a pair's verdict is from changing; 0 on the boundary."""
    p = calibrated(probs, float(decision.get("temperature", 1.0)))
    side = 0 if p[0] >= p[1] else 1
    floor = decision.get("side_probability")
    need = float(floor) if floor is not None else p[2]
    distance = abs(p[side] - need)
    if p[side] >= need:  # sided: the two sides could also swap
        distance = min(distance, abs(p[0] - p[1]))
    in_band = (
        rescue is not None
        and relevance is not None
        and t_relevance is not None
        and t_relevance - rescue[0] <= relevance < t_relevance
    )
    if in_band and rescue is not None:  # under the relevance threshold only a sure side keeps the pair on topic
        distance = min(distance, abs(p[side] - rescue[1]))
    return distance


def boundary_distances(
    pairs: Sequence[Pair],
    probabilities: Iterable[Any],  # each pair's three probabilities (lists, or the rows of an array)
    decision: dict[str, Any],
    weights: Path,
    band: tuple[float, float] | None,
) -> list[float]:
    """boundary_distance for each pair's student probabilities: with its relevance against the relevance threshold
    of its languages (the served weights') and the rescue band when the pair has a relevance, on the side floors
    alone when it has none."""
    return [
        boundary_distance(
            probs,
            decision,
            pair.relevance,
            relevance_threshold(pair.claim_language, pair.passage_language, weights),
            band,
        )
        if pair.relevance is not None
        else boundary_distance(probs, decision)
        for pair, probs in zip(pairs, probabilities, strict=True)
    ]


def to_reread(distances: Sequence[float], margin: float) -> list[int]:
    """The indices of the pairs whose verdicts lie within `margin` of a boundary (strictly under it)."""
    return [k for k, d in enumerate(distances) if d < margin]
