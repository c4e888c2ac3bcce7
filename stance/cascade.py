"""The cascade's rule: which of a student's verdicts are near enough a decision boundary for the teacher to reread.

A verdict is the product decision on calibrated probabilities (stance.engine.position, and decide's rescue band):
a side when the leaning side's calibrated probability reaches the side floor, else neither. It changes when that
probability crosses the floor, when the two sides swap (a sided pair), or, in the rescue band under the relevance
threshold, when the side probability crosses the rescue floor. `boundary_distance` is the smallest of those gaps;
pairs under the held-out margin (decision.json "cascade", set by training/cascade_margin.py) are reread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.engine import calibrated


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


def to_reread(distances: Sequence[float], margin: float) -> list[int]:
    """The indices of the pairs whose verdicts lie within `margin` of a boundary (strictly under it)."""
    return [k for k, d in enumerate(distances) if d < margin]
