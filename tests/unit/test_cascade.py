"""The cascade: which student verdicts lie near a decision boundary, the margin set on held-out verdicts, and that
the engine rereads exactly the pairs under the margin with the served weights (and refuses a margin set against other
weights)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from stance.cascade import boundary_distance, to_reread
from stance.engine import WEIGHTS, Pair, StanceEngine, position, weights_sha1
from training.cascade_margin import cascade_agreement, sides_kept, smallest_margin
from training.distill import load_teacher, student_from

DECISION = {"temperature": 1.0, "side_probability": 0.5}


def test_a_sure_verdict_lies_far_from_every_boundary_and_a_borderline_one_near():
    assert boundary_distance([0.95, 0.03, 0.02], DECISION) == pytest.approx(0.45)
    assert boundary_distance([0.52, 0.1, 0.38], DECISION) == pytest.approx(0.02)  # just over the side floor
    assert boundary_distance([0.48, 0.1, 0.42], DECISION) == pytest.approx(0.02)  # just under it
    # sided, but the two sides nearly tie: the gap between them is the nearer boundary
    assert boundary_distance([0.5, 0.49, 0.01], {"temperature": 1.0, "side_probability": 0.3}) == pytest.approx(0.01)


def test_the_distance_is_taken_on_calibrated_probabilities():
    hot = {"temperature": 2.0, "side_probability": 0.5}
    raw = [0.8, 0.1, 0.1]
    calibrated_side = math.sqrt(0.8) / (math.sqrt(0.8) + 2 * math.sqrt(0.1))
    assert boundary_distance(raw, hot) == pytest.approx(calibrated_side - 0.5)


def test_in_the_rescue_band_the_rescue_floor_is_a_boundary_too():
    probs, band = [0.88, 0.02, 0.10], (0.08, 0.9)
    assert boundary_distance(probs, DECISION, 0.90, 0.835, band) == pytest.approx(0.38)  # on topic: side floor only
    assert boundary_distance(probs, DECISION, 0.80, 0.835, band) == pytest.approx(0.02)  # in the band
    assert boundary_distance(probs, DECISION, 0.70, 0.835, band) == pytest.approx(0.38)  # under it: off topic anyway


def test_pairs_strictly_under_the_margin_are_reread():
    assert to_reread([0.3, 0.01, 0.05, 0.0], 0.05) == [1, 3]
    assert to_reread([0.3, 0.01], 0.0) == []


def test_the_margin_is_the_smallest_that_reaches_the_target_on_the_verdicts_given():
    student = ["supports", "neither", "contradicts", "neither"]
    teacher = ["supports", "supports", "contradicts", "contradicts"]
    distances = np.array([0.4, 0.01, 0.3, 0.2])
    assert cascade_agreement(student, teacher, distances, 0.0) == (0.5, 0.0)
    margin = smallest_margin(student, teacher, distances, 0.75)
    assert 0.01 < margin < 0.2 and cascade_agreement(student, teacher, distances, margin) == (0.75, 0.25)
    assert cascade_agreement(student, teacher, distances, smallest_margin(student, teacher, distances, 1.0)) == (1.0, 0.5)


@pytest.fixture(scope="module")
def two_layer_student(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("student")
    torch.save(student_from(load_teacher(WEIGHTS), 2).trained_state(), folder / "stance-delta.pt")
    (folder / "stance.json").write_text(json.dumps({"layers": 2, "frozen_layers": 0}))
    return folder


def with_margin(student: Path, margin: float, teacher_sha1: str | None = None) -> Path:
    """A copy of the student with the served weights' decision layer and this cascade margin (a folder per margin:
    decision layers are read once per folder)."""
    folder = student.parent / f"{student.name}-{margin}-{teacher_sha1 or 'served'}"
    shutil.copytree(student, folder)
    sha1 = teacher_sha1 or weights_sha1(WEIGHTS)
    decision = json.loads((WEIGHTS / "decision.json").read_text())
    decision["cascade"] = {"teacher_sha1": sha1, "margin": margin}
    (folder / "decision.json").write_text(json.dumps(decision))
    return folder


PAIRS = [
    Pair("The bridge was closed on Monday.", "en", "Officials said the bridge stayed open all week.", "en", 0.9),
    Pair("The bridge was closed on Monday.", "en", "The bridge was shut on Monday for repairs.", "en", 0.92),
    Pair("Unemployment fell in 2020.", "en", "The museum opened a new wing.", "en", 0.84),
]


def test_a_margin_over_every_distance_gives_the_served_weights_verdicts_exactly(two_layer_student: Path):
    alone = StanceEngine(WEIGHTS, bf16=False).judge_pairs(PAIRS)
    cascade = StanceEngine(WEIGHTS, bf16=False, student=with_margin(two_layer_student, 2.0))
    assert cascade.judge_pairs(PAIRS) == alone
    assert cascade.describe()["cascade"]["student_layers"] == 2


def test_a_zero_margin_gives_the_students_verdicts_with_its_decision_layer(two_layer_student: Path):
    cascade = StanceEngine(WEIGHTS, bf16=False, student=with_margin(two_layer_student, 0.0))
    assert cascade.student is not None
    probs = cascade.student.probabilities_pairs([(p.claim, p.passage) for p in PAIRS])
    verdicts = cascade.judge_pairs(PAIRS)
    assert [v.probabilities["supports"] for v in verdicts] == [round(p[0], 4) for p in probs]
    assert [v.stance for v in verdicts] == [position(p, cascade.student.decision)[0] for p in probs]


def test_a_margin_set_against_other_weights_is_refused(two_layer_student: Path):
    with pytest.raises(ValueError, match="other weights"):
        StanceEngine(WEIGHTS, bf16=False, student=with_margin(two_layer_student, 0.1, teacher_sha1="0" * 40))


def test_the_server_refuses_a_student_without_a_margin_for_its_weights_at_start(two_layer_student: Path):
    from api.config import Settings
    from api.models import configure_models

    with pytest.raises(ValueError, match="no cascade margin"):  # a student never run through cascade_margin
        configure_models(Settings.from_env({}, stance_student=str(two_layer_student)))
    with pytest.raises(ValueError, match="other weights"):
        configure_models(Settings.from_env({}, stance_student=str(with_margin(two_layer_student, 0.1, "1" * 40))))


def test_a_pair_given_twice_is_read_once_and_answered_alike(monkeypatch: pytest.MonkeyPatch):
    import stance.classifier

    engine, read = StanceEngine(WEIGHTS, bf16=False), []
    predict = stance.classifier.predict

    def counting(model: Any, pairs: list[tuple[str, str]], **kw: Any) -> np.ndarray:
        read.append(list(pairs))
        return predict(model, pairs, **kw)

    claim = "The bridge was closed on Monday."
    copy, other = "Officials said the bridge stayed open all week.", "The bridge reopened on Friday."
    monkeypatch.setattr(stance.classifier, "predict", counting)
    probs = engine.probabilities_pairs([(claim, copy), (claim, other), (claim, copy)])
    assert read == [[(claim, copy), (claim, other)]]  # the wire copy in a second outlet costs no second read
    assert probs[0] == probs[2] and probs[0] != probs[1]
    assert np.allclose(probs, predict(engine.model, [(claim, copy), (claim, other), (claim, copy)]), atol=1e-5)


def test_the_margin_can_be_asked_to_keep_the_teachers_sides_not_only_most_verdicts():
    # ten pairs: the teacher sides with two; the student misses one of them (near a boundary) and adds one far off
    teacher = ["supports", "contradicts"] + ["neither"] * 8
    student = ["neither", "contradicts", "supports"] + ["neither"] * 7
    distances = np.array([0.05, 0.4, 0.1, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3])
    assert cascade_agreement(student, teacher, distances, 0.0)[0] == 0.8
    assert sides_kept(student, teacher, distances, 0.0) == (0.5, 0.5)  # one of two sides kept, one of two right
    assert smallest_margin(student, teacher, distances, 0.8) == 0.0  # 80 % agree: enough without the sides
    margin = smallest_margin(student, teacher, distances, 0.8, side_target=1.0)
    assert 0.1 < margin <= 0.3 and sides_kept(student, teacher, distances, margin) == (1.0, 1.0)
    assert cascade_agreement(student, teacher, distances, margin) == (1.0, 0.2)
    assert sides_kept(["neither"] * 3, ["neither"] * 3, np.zeros(3), 0.0) == (1.0, 1.0)  # no sides: none missed
