"""A student of fewer layers distilled from the shipped stance model, on CPU, resumable across sessions like the
training campaign.

    python -m training.distill --minutes 120      # start, or resume where it stopped (SIGTERM: checkpoint and stop)
    python -m training.distill --export-only      # the latest checkpoint as weights (build/distill/latest)
    python -m training.calibrate --weights build/distill/latest --position-heldout build/stance-mix/heldout.jsonl

The first start writes build/distill/config.json (teacher, depth, pairs) and fixes the pairs the student learns from:
--pairs rows drawn from the campaign's mix as the campaign draws them (bucket weights, then label ~ sqrt(count)),
written to rows.jsonl, and a held-out sample (per mix bucket and public sets never trained on). The teacher reads
both once, in parts of --part rows saved as they are done (teacher/*.npy), so that work survives a stop too. Then the
student learns the teacher's probabilities (KL divergence, no gold labels: its task is to say what the teacher says,
cheaper). It starts from every other layer of the teacher (DistilBERT's choice) and its head; the embeddings stay
the shared 4-bit base. Every --checkpoint-minutes: checkpoint.pt (atomic) and one line to
bench/results/distill.jsonl: pairs seen, loss, agreement with the teacher on the held-out sample (argmax), overall
and per group. The export has `layers` in stance.json, which the engine reads to run only that many layers.

--compare-pairs adds pairs drawn the way compare draws its candidates (training.compare_pairs), learnt beside the mix
(a --compare-held share of their claims held out, logged as group 'compare'; their teacher readings cached apart;
several files separated by commas, read in that order); teacher readings are kept in parts named by a hash of their
pairs, so parts copied from another folder that read the same pairs in the same order are not read again;
--init starts the student from another distillation's checkpoint (weights only, a fresh optimiser).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import time
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from stance.classifier import StanceModel, batch, predict
from stance.engine import weights_sha1
from text.e5_tokenizer import tokenizer
from training.arrays import cached, pairs_text
from training.campaign import _relative, eval_sample, schedule, smoothed, train_step
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "bench" / "results" / "distill.jsonl"
DEFAULTS: dict[str, Any] = {
    "teacher": str(ROOT / "stance" / "weights"),
    "data": str(ROOT / "build" / "stance-mix"),
    "layers": 6,
    "pairs": 64_000,
    "total_pairs": 192_000,
    "warmup_pairs": 3_200,
    "floor": 0.1,
    "lr": 8e-5,
    "head_lr": 2e-4,
    "batch": 16,
    "max_len": 128,
    "seed": 11,
    "compare_pairs": "",  # compare-like pairs (training.compare_pairs; files separated by commas) learnt beside the mix's rows
    "compare_held": 0.04,  # share of their claims held out (by claim) for the agreement log
    "init": "",  # another distillation's checkpoint.pt (same layers) to start the student from; "" for the teacher's
}


def teacher_layers(layers: int, of: int = 12) -> list[int]:
    """Which of the teacher's layers the student starts from: every other one, the top one last."""
    step = of / layers
    return [round(step * (k + 1)) - 1 for k in range(layers)]


def student_from(teacher: StanceModel, layers: int) -> StanceModel:
    """A student whose k-th layer is a copy of the teacher's teacher_layers()[k], with the teacher's head; only the
    embeddings (the shared base) stay frozen."""
    import copy

    from text.e5_encoder import build_encoder

    encoder = build_encoder()
    picked = teacher_layers(layers, len(teacher.encoder.encoder.layer))
    encoder.encoder.layer = nn.ModuleList(copy.deepcopy(teacher.encoder.encoder.layer[i]) for i in picked)
    encoder.config.num_hidden_layers = layers
    student = StanceModel(0, encoder=encoder)
    student.head.load_state_dict(teacher.head.state_dict())
    return student


def load_teacher(weights: Path) -> StanceModel:
    """The shipped model as training holds it (its trained layers over the rebuilt base)."""
    meta = json.loads((weights / "stance.json").read_text())
    model = StanceModel(int(meta["frozen_layers"]))
    model.load_trained(torch.load(weights / "stance-delta.pt", map_location="cpu"))
    return model.eval()


def kl_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """KL(teacher || student) per pair, averaged."""
    return F.kl_div(F.log_softmax(logits.float(), -1), target, reduction="batchmean")


def agreement(student: np.ndarray, teacher: np.ndarray, groups: list[str]) -> dict[str, float]:
    """Share of pairs where the student's argmax is the teacher's, overall and per group."""
    same = student.argmax(1) == teacher.argmax(1)
    by: dict[str, list[bool]] = defaultdict(list)
    for g, s in zip(groups, same, strict=True):
        by[g].append(bool(s))
    out = {g: round(float(np.mean(v)), 3) for g, v in sorted(by.items())}
    out["all"] = round(float(same.mean()), 4)
    return out


def reread_share(student: np.ndarray, teacher: np.ndarray, target: float = 0.97) -> float:
    """The cascade's price: the smallest share of pairs the teacher must reread (those the student is least sure
    of, by the gap between its two most likely answers) for the answers to agree with the teacher's on `target` of
    the pairs. 0.0 when the student alone agrees that often."""
    n = len(student)
    if n == 0:
        return 0.0
    top2 = np.sort(student, axis=1)[:, -2:]
    order = np.argsort(top2[:, 1] - top2[:, 0], kind="stable")  # least sure first
    wrong = (student.argmax(1) != teacher.argmax(1))[order]
    # after rereading the k least sure, the wrong ones left are those after position k
    left = np.concatenate([np.cumsum(wrong[::-1])[::-1], [0]])
    k = int(np.argmax(1 - left / n >= target))  # the first k that reaches the target (k = n always does)
    return round(k / n, 4)


def _part_path(folder: Path, index: int, rows: list[dict[str, Any]]) -> Path:
    """Where the teacher's reading of one part of the rows is kept: named by its place and by a hash of its pairs, so
    a part copied from another folder (or left from other rows) is used only for the very pairs it was read for. A
    part stored under its place alone (before the hash was in the name) belongs to this folder's fixed rows: renamed."""
    digest = hashlib.sha1(pairs_text(rows).encode()).hexdigest()[:12]
    path, legacy = folder / f"{index:05d}-{digest}.npy", folder / f"{index:05d}.npy"
    if legacy.exists() and not path.exists():
        legacy.rename(path)
    return path


def _write_rows(target: Path, rows: list[dict[str, Any]]) -> None:
    """Rows as JSON Lines, written whole or not at all."""
    tmp = target.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    os.replace(tmp, target)


class Distillation:
    """The fixed pairs, the teacher's probabilities, the student and its counters of one distillation folder."""

    def __init__(self, folder: Path, cfg: dict[str, Any], bf16: bool) -> None:
        self.folder, self.cfg, self.bf16 = folder, cfg, bf16
        self.tok = tokenizer()
        torch.manual_seed(cfg["seed"])
        self.rnd = random.Random(cfg["seed"])
        self.rows, self.held = self._rows()
        self.targets = self._teacher("train", self.rows)
        self.held_targets = self._teacher("held", self.held)
        extra, extra_held = self._compare_rows()
        if extra:  # teacher readings cached apart, so the mix's parts stay valid
            self.targets = np.concatenate([self.targets, self._teacher("compare", extra)])
            self.held_targets = np.concatenate([self.held_targets, self._teacher("compare-held", extra_held)])
            self.rows, self.held = self.rows + extra, self.held + extra_held
        self.student = student_from(load_teacher(Path(cfg["teacher"])), int(cfg["layers"]))
        head = list(self.student.head.parameters())
        body = [p for n, p in self.student.named_parameters() if p.requires_grad and not n.startswith("head.")]
        self.opt = torch.optim.AdamW(
            [{"params": body, "lr": cfg["lr"]}, {"params": head, "lr": cfg["head_lr"]}], weight_decay=0.01
        )
        self.step, self.seen, self.elapsed, self.loss_ema = 0, 0, 0.0, float("nan")
        self.order: list[int] = []
        self.resume()

    def _rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        from training.factory.mix import BUCKETS
        from training.train import bucket_sampler

        path, held_path = self.folder / "rows.jsonl", self.folder / "held.jsonl"
        if not path.exists():
            data = Path(self.cfg["data"])
            stream = bucket_sampler(read_pairs(data / "train.jsonl"), BUCKETS, random.Random(self.cfg["seed"]))
            rows = [next(stream) for _ in range(int(self.cfg["pairs"]))]
            held = eval_sample(read_pairs(data / "heldout.jsonl"))
            _write_rows(held_path, held)
            _write_rows(path, rows)  # rows.jsonl last: its presence means both exist
        return read_pairs(path), read_pairs(held_path)

    def _compare_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The compare-like pairs, fixed at the first start (compare.jsonl, compare-held.jsonl): a --compare-held
        share of their claims (by a hash of the claim's group) is held out, evaluated as group 'compare'."""
        source = str(self.cfg.get("compare_pairs") or "")
        if not source:
            return [], []
        path, held_path = self.folder / "compare.jsonl", self.folder / "compare-held.jsonl"
        if not path.exists():
            share = float(self.cfg.get("compare_held", 0.04))
            train: list[dict[str, Any]] = []
            held: list[dict[str, Any]] = []
            for r in (r for name in source.split(",") for r in read_pairs(Path(name.strip()))):
                key = int(hashlib.sha1(r["group"].encode()).hexdigest()[:8], 16) / 16**8
                (held if key < share else train).append(r)
            for r in held:
                r["eval"] = "compare"
            _write_rows(held_path, held)
            _write_rows(path, train)  # compare.jsonl last, as rows.jsonl
        return read_pairs(path), read_pairs(held_path)

    def _teacher(self, name: str, rows: list[dict[str, Any]], part: int = 2048) -> np.ndarray:
        """The teacher's probabilities for rows (no context, as served), computed once in saved parts."""
        key = hashlib.sha1((Path(self.cfg["teacher"]) / "stance-delta.pt").read_bytes()).hexdigest()[:10]
        folder = self.folder / "teacher" / f"{name}-{key}"
        model: StanceModel | None = None

        def probs(chunk: list[dict[str, Any]], done: int) -> np.ndarray:
            nonlocal model
            model = model or load_teacher(Path(self.cfg["teacher"]))
            started = time.monotonic()
            ids = [self.tok.encode_pair(r["claim"], r["passage"], int(self.cfg["max_len"])) for r in chunk]
            with torch.autocast("cpu", torch.bfloat16, enabled=self.bf16):
                out = predict(model, ids=ids, pad=self.tok.pad, size=32)
            rate = len(chunk) / (time.monotonic() - started)
            print(f"teacher {name}: {done} of {len(rows)} ({rate:.1f} pairs/s)", flush=True)
            return out

        chunks = [(k // part, rows[k : k + part], min(k + part, len(rows))) for k in range(0, len(rows), part)]
        parts = [cached(_part_path(folder, i, chunk), partial(probs, chunk, done)) for i, chunk, done in chunks]
        return np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.float32)

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / "checkpoint.pt"

    def resume(self) -> None:
        if not self.checkpoint_path.exists():
            if self.cfg.get("init"):  # a first start from another distillation's student (weights only)
                ck = torch.load(Path(self.cfg["init"]), map_location="cpu", weights_only=False)
                self.student.load_state_dict(ck["weights"], strict=False)
                print(f"student starts from {self.cfg['init']} ({ck['seen']} pairs there)", flush=True)
            return
        ck = torch.load(self.checkpoint_path, map_location="cpu", weights_only=False)
        self.student.load_state_dict(ck["weights"], strict=False)
        self.opt.load_state_dict(ck["optimizer"])
        self.step, self.seen, self.elapsed, self.loss_ema = ck["step"], ck["seen"], ck["elapsed"], ck["loss_ema"]
        self.order = ck["order"]
        self.rnd.setstate(ck["py_rng"])
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed at step {self.step}, {self.seen} pairs, {self.elapsed / 3600:.2f} h trained", flush=True)

    def save(self) -> None:
        state = {
            "weights": {k: v.detach().clone() for k, v in self.student.state_dict().items() if self.student._trainable(k)},
            "optimizer": self.opt.state_dict(),
            "step": self.step,
            "seen": self.seen,
            "elapsed": self.elapsed,
            "loss_ema": self.loss_ema,
            "order": self.order,
            "py_rng": self.rnd.getstate(),
            "torch_rng": torch.get_rng_state(),
        }
        tmp = self.checkpoint_path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, self.checkpoint_path)

    def next_batch(self) -> list[int]:
        """The next rows of a shuffled pass over the fixed pairs (a new shuffle per pass)."""
        out: list[int] = []
        while len(out) < int(self.cfg["batch"]):
            if not self.order:
                self.order = list(range(len(self.rows)))
                self.rnd.shuffle(self.order)
            out.append(self.order.pop())
        return out

    def evaluate(self) -> dict[str, float]:
        ids = [self.tok.encode_pair(r["claim"], r["passage"], int(self.cfg["max_len"])) for r in self.held]
        with torch.autocast("cpu", torch.bfloat16, enabled=self.bf16):
            probs = predict(self.student, ids=ids, pad=self.tok.pad, size=32)
        self.student.train()
        figures = agreement(probs, self.held_targets, [r["eval"] for r in self.held])
        figures["reread_for_0.97"] = reread_share(probs, self.held_targets)
        return figures

    def export(self, out: Path, figures: dict[str, Any] | None = None) -> None:
        out.mkdir(parents=True, exist_ok=True)
        # new weights void the old decision layer and cascade margin: calibrate (and cascade_margin) again
        (out / "decision.json").unlink(missing_ok=True)
        state = {k: v.cpu() for k, v in self.student.trained_state().items()}
        torch.save(state, out / "stance-delta.tmp")
        os.replace(out / "stance-delta.tmp", out / "stance-delta.pt")
        teacher_meta = json.loads((Path(self.cfg["teacher"]) / "stance.json").read_text())
        meta = {
            "layers": int(self.cfg["layers"]),
            "frozen_layers": 0,
            "trained_pairs": self.seen,
            "steps": self.step,
            "minutes": round(self.elapsed / 60, 1),
            "lr": self.cfg["lr"],
            "batch": self.cfg["batch"],
            "seed": self.cfg["seed"],
            "device": "cpu",
            "distilled_from": {
                "layers_taken": teacher_layers(int(self.cfg["layers"])),
                "trained_pairs": teacher_meta.get("trained_pairs"),
                "steps": teacher_meta.get("steps"),
                "weights_sha1": weights_sha1(Path(self.cfg["teacher"])),
            },
            "distillation": {k: (_relative(v) if k in ("data", "teacher") else v) for k, v in self.cfg.items()},
            "agreement_with_teacher": figures or {},
            "training_sets": teacher_meta.get("training_sets", []),
        }
        (out / "stance.json").write_text(json.dumps(meta, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=str(ROOT / "build" / "distill"))
    ap.add_argument("--minutes", type=float, default=120, help="this session's time box")
    ap.add_argument("--checkpoint-minutes", type=float, default=10)
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--no-log", action="store_true", help="do not append to bench/results/distill.jsonl")
    ap.add_argument("--bf16", choices=("auto", "true", "false"), default="auto", help="bf16 autocast in training")
    for key, value in DEFAULTS.items():  # only read on the first start (then config.json rules)
        ap.add_argument(f"--{key.replace('_', '-')}", type=type(value), default=None)
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    cfg_path = folder / "config.json"
    if cfg_path.exists():
        cfg = json.loads(cfg_path.read_text())
    else:
        cfg = {k: (getattr(args, k) if getattr(args, k) is not None else v) for k, v in DEFAULTS.items()}
        cfg_path.write_text(json.dumps(cfg, indent=1))
    bf16 = torch.ops.mkldnn._is_mkldnn_bf16_supported() if args.bf16 == "auto" else args.bf16 == "true"
    run = Distillation(folder, cfg, bool(bf16))
    if args.export_only:
        run.export(folder / "latest")
        return
    stop = {"flag": False}

    def ask_stop(signum: int, _frame: Any) -> None:
        print(f"signal {signum}: checkpoint and stop", flush=True)
        stop["flag"] = True

    signal.signal(signal.SIGTERM, ask_stop)
    signal.signal(signal.SIGINT, ask_stop)
    start = time.monotonic()
    deadline, next_ck = start + args.minutes * 60, start + args.checkpoint_minutes * 60
    session_seen, last_t = 0, start
    figures: dict[str, Any] = {}
    run.student.train()

    def checkpoint() -> None:
        nonlocal figures
        run.save()
        figures = run.evaluate()
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "seen": run.seen,
            "step": run.step,
            "hours": round(run.elapsed / 3600, 3),
            "pairs_per_s": round(session_seen / max(1e-9, time.monotonic() - start), 2),
            "loss_ema": round(run.loss_ema, 4),
            "layers": cfg["layers"],
            "bf16": run.bf16,
            "agreement": figures,
        }
        print(json.dumps(line), flush=True)
        if not args.no_log:
            LOG.parent.mkdir(parents=True, exist_ok=True)
            with LOG.open("a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")

    while not stop["flag"] and time.monotonic() < deadline and run.seen < int(cfg["total_pairs"]):
        picked = run.next_batch()
        ids = [run.tok.encode_pair(run.rows[i]["claim"], run.rows[i]["passage"], int(cfg["max_len"])) for i in picked]
        inp, mask = batch(ids, run.tok.pad)
        factor = schedule(run.seen, cfg)
        with torch.autocast("cpu", torch.bfloat16, enabled=run.bf16):
            logits = run.student(inp, mask)
        loss = kl_loss(logits, torch.from_numpy(run.targets[picked]))
        value = train_step(run.student, run.opt, (cfg["lr"], cfg["head_lr"]), factor, loss)
        run.step += 1
        run.seen += len(picked)
        session_seen += len(picked)
        now = time.monotonic()
        run.elapsed += now - last_t
        last_t = now
        run.loss_ema = smoothed(run.loss_ema, value)
        if run.step % 50 == 0:
            rate = session_seen / (now - start)
            print(f"step {run.step} pairs {run.seen} kl {run.loss_ema:.4f} lr x{factor:.3f} {rate:.1f} pairs/s", flush=True)
        if now >= next_ck:
            checkpoint()
            next_ck = time.monotonic() + args.checkpoint_minutes * 60
            last_t = time.monotonic()
    checkpoint()
    run.export(folder / "latest", figures)
    print(f"stopped at {run.seen} pairs; weights in {folder / 'latest'}", flush=True)


if __name__ == "__main__":
    main()
