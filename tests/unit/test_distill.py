"""The distilled student: which teacher layers it starts from, and that the engine runs an exported student as
training built it (only its layers, over the shared base)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from stance.classifier import predict
from stance.engine import WEIGHTS, StanceEngine
from training.distill import agreement, kl_loss, load_teacher, student_from, teacher_layers


def test_the_student_starts_from_every_other_teacher_layer_the_top_one_last():
    assert teacher_layers(6) == [1, 3, 5, 7, 9, 11]
    assert teacher_layers(4) == [2, 5, 8, 11]
    assert teacher_layers(12) == list(range(12))


def test_kl_loss_is_zero_when_the_student_says_what_the_teacher_says_and_grows_otherwise():
    target = torch.tensor([[0.7, 0.2, 0.1]])
    assert abs(float(kl_loss(torch.log(target), target))) < 1e-6
    assert float(kl_loss(torch.tensor([[0.0, 3.0, 0.0]]), target)) > 0.5


def test_agreement_counts_argmax_matches_per_group():
    student = np.asarray([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    teacher = np.asarray([[0.6, 0.3, 0.1], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert agreement(student, teacher, ["a", "a", "b"]) == {"a": 0.5, "b": 1.0, "all": 0.6667}


def test_an_exported_student_runs_in_the_engine_with_only_its_layers(tmp_path: Path):
    student = student_from(load_teacher(WEIGHTS), 2)
    assert len(student.encoder.encoder.layer) == 2
    torch.save(student.trained_state(), tmp_path / "stance-delta.pt")
    (tmp_path / "stance.json").write_text(json.dumps({"layers": 2, "frozen_layers": 0}))
    engine = StanceEngine(tmp_path, bf16=False)
    assert len(engine.model.encoder.encoder.layer) == 2
    pairs = [("The bridge was closed on Monday.", "Officials said the bridge stayed open all week.")]
    served = np.asarray(engine.probabilities_pairs(pairs))
    student.load_trained(student.trained_state())  # the fp16 rounding the export made
    assert np.allclose(served, predict(student, pairs), atol=1e-4)


def test_the_teachers_probabilities_are_computed_once_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from text.e5_tokenizer import tokenizer
    from training.distill import Distillation

    run = Distillation.__new__(Distillation)  # only what _teacher reads; the constructor would build a whole run
    run.folder, run.cfg, run.bf16, run.tok = tmp_path, {"teacher": str(WEIGHTS), "max_len": 64}, False, tokenizer()
    rows = [{"claim": f"The bridge opened in {1990 + i}.", "passage": "The bridge opened in 1994."} for i in range(5)]
    first = run._teacher("t", rows, part=2)
    folder = next((tmp_path / "teacher").iterdir())
    parts = sorted(p.name for p in folder.iterdir())
    assert [p[:6] for p in parts] == ["00000-", "00001-", "00002-"] and all(p.endswith(".npy") for p in parts)
    assert first.shape == (5, 3) and np.allclose(first.sum(1), 1, atol=1e-4)

    def no_teacher(_: Path) -> None:
        raise AssertionError("the teacher was loaded again")

    monkeypatch.setattr("training.distill.load_teacher", no_teacher)  # a rerun reads the parts back
    assert np.array_equal(run._teacher("t", rows, part=2), first)
    (folder / parts[0]).rename(folder / "00000.npy")  # a part kept under its place alone (older runs): still used
    assert np.array_equal(run._teacher("t", rows, part=2), first)
    assert sorted(p.name for p in folder.iterdir()) == parts

    monkeypatch.undo()  # other pairs in the first part's place: read anew, not taken from the stored part
    other = [{"claim": "The bridge closed in 2001.", "passage": "The bridge opened in 1994."}, *rows[1:]]
    again = run._teacher("t", other, part=2)
    assert np.array_equal(again[2:], first[2:]) and not np.allclose(again[0], first[0], atol=1e-3)
    assert len(list(folder.iterdir())) == 4


def test_the_cascade_rereads_the_least_sure_pairs_until_the_target_agreement():
    import numpy as np

    from training.distill import reread_share

    teacher = np.array([[1, 0, 0]] * 4, dtype=np.float32)
    sure_right = [0.9, 0.05, 0.05]
    unsure_wrong = [0.45, 0.5, 0.05]
    student = np.array([sure_right, sure_right, sure_right, unsure_wrong], dtype=np.float32)
    assert reread_share(student, teacher, target=0.97) == 0.25  # the one unsure pair
    assert reread_share(student, teacher, target=0.75) == 0.0  # 3 of 4 already agree
    sure_wrong = [0.02, 0.96, 0.02]  # surer than the right ones
    student = np.array([sure_wrong, sure_right, sure_right, [0.6, 0.35, 0.05]], dtype=np.float32)
    assert reread_share(student, teacher, target=0.97) == 1.0  # the sure wrong one is reread last


def test_an_export_drops_the_decision_layer_the_old_weights_were_calibrated_with(tmp_path: Path):
    from training.distill import Distillation

    run = Distillation.__new__(Distillation)  # only what export reads
    run.student = student_from(load_teacher(WEIGHTS), 2)
    run.cfg = {"teacher": str(WEIGHTS), "data": str(tmp_path), "layers": 2, "lr": 1e-4, "batch": 16, "seed": 1}
    run.seen, run.step, run.elapsed = 10, 1, 1.0
    (tmp_path / "decision.json").write_text(json.dumps({"cascade": {"margin": 0.3}}))
    run.export(tmp_path)
    assert (tmp_path / "stance-delta.pt").is_file() and json.loads((tmp_path / "stance.json").read_text())["layers"] == 2
    assert not (tmp_path / "decision.json").exists()  # a stale margin would otherwise serve the new student


def test_compare_like_pairs_are_held_out_by_whole_claims_and_fixed_at_the_first_start(tmp_path: Path):
    from training.distill import Distillation

    source = tmp_path / "pairs.jsonl"
    rows = [{"claim": f"c{g}", "passage": f"p{k}", "group": f"compare:{g}"} for g in range(200) for k in range(3)]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run = Distillation.__new__(Distillation)
    run.folder, run.cfg = tmp_path, {"compare_pairs": str(source), "compare_held": 0.25}
    train, held = run._compare_rows()
    assert len(train) + len(held) == len(rows)
    assert {r["group"] for r in train}.isdisjoint({r["group"] for r in held})
    assert 0.1 < len(held) / len(rows) < 0.4 and {r["eval"] for r in held} == {"compare"}
    assert run._compare_rows() == (train, held)
    (tmp_path / "compare.jsonl").unlink()  # several files (a later batch of claims): read in order, split alike
    more = tmp_path / "more.jsonl"
    extra = [{"claim": f"d{g}", "passage": "q", "group": f"compare:d{g}"} for g in range(100)]
    more.write_text("".join(json.dumps(r) + "\n" for r in extra))
    run.cfg["compare_pairs"] = f"{source},{more}"
    both, both_held = run._compare_rows()
    assert both[: len(train)] == train and both_held[: len(held)] == held
    assert len(both) + len(both_held) == len(rows) + len(extra)
    source.write_text("")  # later starts read the folder's copy, not the sources
    assert run._compare_rows() == (both, both_held)
    run.cfg = {"compare_pairs": ""}
    assert run._compare_rows() == ([], [])
