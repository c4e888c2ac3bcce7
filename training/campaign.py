"""The stance training campaign: one long run over many sessions on a 2-core CPU, started or resumed by one command.

    python -m training.factory.build && python -m training.factory.mix      # the pairs (build/stance-mix)
    python -m training.campaign --minutes 150                               # start, or resume where it stopped
    python -m training.campaign --export-only                               # write the latest weights, no training

The first start writes build/campaign/config.json (the campaign's fixed settings: layers trained, learning rates,
the length its schedule decays over) and starts from --init (the committed weights when build/ is gone). Every
--checkpoint-minutes it writes build/campaign/checkpoint.pt atomically (trained weights in fp32, AdamW state, step,
pairs seen, the sampler's and torch's random states), evaluates a fixed held-out sample (per mix bucket, and small
fixed samples of public sets never trained on) and appends one line to bench/results/campaign.jsonl. SIGTERM or
SIGINT ends the run at the next step with a checkpoint, so a session can stop it cleanly before the test suite.
At every stop the weights are exported to build/campaign/latest/ (stance-delta.pt in fp16 + stance.json), the
folder training.calibrate and bench/stance_generalization.py read.

Labels: supports / contradicts / neither, and the partial label `not-supports` (RTE's not_entailment): its loss is
-log(p(contradicts) + p(neither)). A row with a `context` (its page or entity) gets it on --context-p of the draws.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.classifier import LABELS, StanceModel, batch, predict
from text.e5_tokenizer import tokenizer
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "bench" / "results" / "campaign.jsonl"
DEFAULTS: dict[str, Any] = {
    "data": str(ROOT / "build" / "stance-mix"),
    "init": str(ROOT / "stance" / "weights" / "stance-delta.pt"),
    "train_layers": 12,
    "lr": 3e-5,
    "head_lr": 2e-4,
    "batch": 16,
    "total_pairs": 480_000,
    "warmup_pairs": 3_200,
    "floor": 0.1,
    "context_p": 0.5,
    "max_len": 128,
    "seed": 7,
    "ema_decay": 0.999,
}
PARTIAL = {"not-supports": (1, 2)}  # label -> the output indices it allows
EVAL_SETS = ("xnli-en", "xnli-de", "swenli-test", "swediagnostics", "danfever-test", "fever-symmetric", "fm2-test")


def allowed(label: str) -> list[int]:
    """Output indices a row's label allows (one for the three stances, two for a partial label)."""
    return list(PARTIAL[label]) if label in PARTIAL else [LABELS.index(label)]


def loss_of(logits: torch.Tensor, labels: list[str]) -> torch.Tensor:
    """Mean of -log(sum of the allowed labels' probabilities): cross-entropy for full labels."""
    mask = torch.full_like(logits, float("-inf"))
    for i, lab in enumerate(labels):
        mask[i, allowed(lab)] = 0.0
    logp = torch.log_softmax(logits.float(), -1)
    return -torch.logsumexp(logp + mask, -1).mean()


def ema_update(ema: dict[str, torch.Tensor], params: Mapping[str, torch.Tensor], decay: float) -> None:
    """ema <- decay * ema + (1 - decay) * params, in place: the running average of the weights that is shipped
    (single checkpoints swing by +-0.1 on 100-pair samples from one to the next; the average does not)."""
    with torch.no_grad():
        for name, value in params.items():
            ema[name].mul_(decay).add_(value.detach().float(), alpha=1.0 - decay)


def schedule(seen: int, cfg: dict[str, Any], rewarm_from: int | None = None) -> float:
    """Learning-rate factor: linear warm-up, then cosine decay to `floor` over the campaign's total pairs. A campaign
    continued from exported weights (AdamW's moments lost) warms up again over `warmup_pairs` from `rewarm_from`:
    a fresh AdamW's first steps are full-size in every coordinate. A run forked from exported weights into a folder of
    its own (`fork_from`: the pairs those weights had seen) counts its warm-up and decay from the fork."""
    origin = int(cfg.get("fork_from", 0))
    seen -= origin
    if rewarm_from is not None:
        rewarm_from -= origin
    if seen < cfg["warmup_pairs"]:
        return max(0.01, seen / cfg["warmup_pairs"])
    t = min(1.0, (seen - cfg["warmup_pairs"]) / max(1, cfg["total_pairs"] - cfg["warmup_pairs"]))
    factor = cfg["floor"] + (1 - cfg["floor"]) * 0.5 * (1 + math.cos(math.pi * t))
    if rewarm_from is not None and seen - rewarm_from < cfg["warmup_pairs"]:
        factor *= max(0.01, (seen - rewarm_from) / cfg["warmup_pairs"])
    return factor


def train_step(
    model: torch.nn.Module, opt: torch.optim.Optimizer, lrs: tuple[float, float], factor: float, loss: torch.Tensor
) -> float:
    """One optimiser step on `loss` with the groups' base learning rates `lrs` times `factor`, gradients clipped to
    norm 1. Returns the loss's value (shared by the campaign and the distilled student)."""
    for g, base in zip(opt.param_groups, lrs, strict=True):
        g["lr"] = base * factor
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return float(loss.item())


def smoothed(previous: float, value: float) -> float:
    """The running loss printed and logged: 0.98 of the previous plus 0.02 of this step's (the first step's as is)."""
    return value if math.isnan(previous) else 0.98 * previous + 0.02 * value


def eval_sample(held: list[dict[str, Any]], per_bucket: int = 60, per_set: int = 100) -> list[dict[str, Any]]:
    """The fixed held-out sample every checkpoint is read on: per mix bucket, and the public evaluation sets."""
    from training.factory.public import EVALUATION, sample

    by_bucket: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in held:
        if r["label"] not in PARTIAL:
            by_bucket[r["bucket"]].append(r)
    out = []
    for bucket in sorted(by_bucket):
        out += [r | {"eval": f"mix:{bucket}"} for r in sample(by_bucket[bucket], per_bucket, seed=3)]
    for name in EVAL_SETS:
        out += [r | {"eval": name} for r in sample(list(EVALUATION[name]()), per_set, seed=3)]
    return out


def evaluate(model: StanceModel, rows: list[dict[str, Any]], max_len: int, bf16: bool) -> dict[str, float]:
    """Accuracy (argmax, no context) per evaluation group of the fixed sample, and its mean over mix buckets."""
    tok = tokenizer()
    ids = [tok.encode_pair(r["claim"], r["passage"], max_len) for r in rows]
    with torch.autocast("cpu", torch.bfloat16, enabled=bf16):
        probs = predict(model, ids=ids, pad=tok.pad, size=32)
    model.train()
    right: dict[str, list[bool]] = defaultdict(list)
    for r, p in zip(rows, probs, strict=True):
        right[r["eval"]].append(LABELS[int(p.argmax())] == r["label"])
    out = {k: round(float(np.mean(v)), 3) for k, v in sorted(right.items())}
    mix = [v for k, v in out.items() if k.startswith("mix:")]
    out["mix-mean"] = round(float(np.mean(mix)), 3) if mix else float("nan")
    return out


class Campaign:
    """The model, optimiser, sampler and counters of one campaign folder."""

    def __init__(self, folder: Path, cfg: dict[str, Any], bf16: bool) -> None:
        self.folder, self.cfg, self.bf16 = folder, cfg, bf16
        self.tok = tokenizer()
        torch.manual_seed(cfg["seed"])
        self.rnd = random.Random(cfg["seed"])
        frozen = 12 - cfg["train_layers"]
        self.model = StanceModel(frozen)
        if cfg["init"] and Path(cfg["init"]).exists():
            self.model.load_trained(torch.load(cfg["init"], map_location="cpu"))
        head = list(self.model.head.parameters())
        body = [p for n, p in self.model.named_parameters() if p.requires_grad and not n.startswith("head.")]
        groups = [{"params": body, "lr": cfg["lr"]}, {"params": head, "lr": cfg["head_lr"]}]
        self.opt = torch.optim.AdamW(groups, weight_decay=0.01)
        self.step, self.seen, self.elapsed, self.loss_ema = 0, 0, 0.0, float("nan")
        self.rewarm_from: int | None = None  # where a continuation from exported weights warms up again
        self.params = {n: p for n, p in self.model.named_parameters() if p.requires_grad}
        self.ema: dict[str, torch.Tensor] = {}
        self.resume()
        if not self.ema:  # a campaign from before the average, or a new one: it starts from the weights as they are
            self.ema = {n: p.detach().float().clone() for n, p in self.params.items()}

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / "checkpoint.pt"

    def trainable(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items() if self.model._trainable(k)}

    def resume(self) -> None:
        """Continue from the folder's checkpoint; without one (a new machine), from the committed weights' counters
        when they came from this campaign (the schedule goes on where they left it; AdamW starts afresh)."""
        if not self.checkpoint_path.exists():
            meta = init_meta(self.cfg)
            if meta.get("campaign"):
                self.seen, self.step = int(meta["trained_pairs"]), int(meta["steps"])
                self.elapsed = float(meta.get("minutes", 0)) * 60
                self.rewarm_from = self.seen
                self.rnd.seed(int(self.cfg["seed"]) * 1_000_003 + self.seen)  # new draws, not the first pairs again
                origin = Path(self.cfg["init"]).parent
                print(f"no checkpoint: continuing the campaign from {origin} at {self.seen} pairs", flush=True)
            return
        ck = torch.load(self.checkpoint_path, map_location="cpu", weights_only=False)
        self.model.load_state_dict(ck["weights"], strict=False)
        self.opt.load_state_dict(ck["optimizer"])
        self.step, self.seen, self.elapsed, self.loss_ema = ck["step"], ck["seen"], ck["elapsed"], ck["loss_ema"]
        self.ema = ck.get("ema") or {}
        self.rewarm_from = ck.get("rewarm_from")
        self.rnd.setstate(ck["py_rng"])
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed at step {self.step}, {self.seen} pairs, {self.elapsed / 3600:.2f} h trained", flush=True)

    def save(self) -> None:
        state = {
            "weights": self.trainable(),
            "optimizer": self.opt.state_dict(),
            "step": self.step,
            "seen": self.seen,
            "elapsed": self.elapsed,
            "loss_ema": self.loss_ema,
            "ema": self.ema,
            "rewarm_from": self.rewarm_from,
            "py_rng": self.rnd.getstate(),
            "torch_rng": torch.get_rng_state(),
        }
        tmp = self.checkpoint_path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, self.checkpoint_path)

    def averaged(self) -> _Swap:
        """The weights as they are now, swapped for their running average until the block ends (see ema_update)."""
        return _Swap(self.params, self.ema)

    def export(self, out: Path, figures: dict[str, Any] | None = None) -> None:
        """The shippable form: the running average of the trained layers and head in fp16 + stance.json (what the
        engine reads)."""
        out.mkdir(parents=True, exist_ok=True)
        with self.averaged():
            state = {k: v.cpu() for k, v in self.model.trained_state().items()}
        torch.save(state, out / "stance-delta.tmp")
        os.replace(out / "stance-delta.tmp", out / "stance-delta.pt")
        meta = {
            "trained_pairs": self.seen,
            "steps": self.step,
            "minutes": round(self.elapsed / 60, 1),
            "frozen_layers": 12 - self.cfg["train_layers"],
            "lr": self.cfg["lr"],
            "batch": self.cfg["batch"],
            "seed": self.cfg["seed"],
            "init": Path(self.cfg["init"]).name,
            "device": "cpu",
            "campaign": {k: (_relative(v) if k in ("data", "init") else v) for k, v in self.cfg.items()},
            "weights": f"running average of the weights (decay {self.cfg.get('ema_decay', 0.999)} per step)",
            "checkpoint_eval": figures or {},
            "training_sets": trained_sets(
                read_pairs(Path(self.cfg["data"]) / "train.jsonl"), self.cfg, init_meta(self.cfg).get("training_sets", [])
            ),
        }
        (out / "stance.json").write_text(json.dumps(meta, indent=1))


def init_meta(cfg: dict[str, Any]) -> dict[str, Any]:
    """The stance.json beside the weights a run starts from (`init`); empty where there is none."""
    path = Path(cfg["init"]).with_name("stance.json") if cfg.get("init") else None
    return json.loads(path.read_text()) if path is not None and path.exists() else {}


def trained_sets(rows: list[dict[str, Any]], cfg: dict[str, Any], inherited: list[str]) -> list[str]:
    """The sets the weights learnt from: the sources of the mix's rows in every bucket the run ever gave a share
    (now or in its record of changes), and the sets of the weights it started from. A bucket built but never given
    a share (`news-neighbour` in a control fork) trained nothing and is not named."""
    shared = {b for b, v in (cfg.get("buckets") or {}).items() if v and v > 0}
    for change in cfg.get("bucket_changes", []):
        shared |= {b for b, (old, new) in change["changed"].items() if (old or 0) > 0 or (new or 0) > 0}
    return sorted({r["source"] for r in rows if r.get("bucket") in shared} | set(inherited))


class _Swap:
    """Within the block the parameters hold other values (copied in), then their own again."""

    def __init__(self, params: Mapping[str, torch.Tensor], values: dict[str, torch.Tensor]) -> None:
        self.params, self.values = params, values
        self.saved: dict[str, torch.Tensor] = {}

    def __enter__(self) -> None:
        with torch.no_grad():
            for name, p in self.params.items():
                self.saved[name] = p.detach().clone()
                p.copy_(self.values[name])

    def __exit__(self, *_exc: object) -> None:
        with torch.no_grad():
            for name, p in self.params.items():
                p.copy_(self.saved[name])
        self.saved = {}


def _relative(path: str) -> str:
    """A path inside the repository as written from its root (shipped files never carry a machine's paths)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return path


def log_path(folder: Path) -> Path:
    """The campaign's log, bench/results/campaign.jsonl; a run forked into another folder logs beside it, under the
    folder's name (build/campaign-news -> bench/results/campaign-news.jsonl), so forks never interleave with it."""
    return LOG if folder.resolve() == (ROOT / "build" / "campaign").resolve() else LOG.with_name(f"{folder.name}.jsonl")


def _log(path: Path, line: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def adopt_buckets(cfg: dict[str, Any], buckets: dict[str, float], seen: int) -> None:
    """Take the mix's current bucket weights (training.factory.mix.BUCKETS) into the campaign's settings, keeping a
    record of when and what changed: a bucket joins or moves mid-campaign (fm2 at 200,448 pairs, identity at
    260,448), and the resumed run samples by the new weights from there."""
    old = cfg.get("buckets") or {}
    changed = {b: [old.get(b), buckets.get(b)] for b in sorted(set(old) | set(buckets)) if old.get(b) != buckets.get(b)}
    cfg.setdefault("bucket_changes", []).append({"seen": seen, "changed": changed})
    cfg["buckets"] = dict(buckets)


def read_buckets(path: Path) -> dict[str, float]:
    """Mix shares from a file: a weights' stance.json (the buckets its campaign trained with) or a JSON object of
    bucket -> share. The shares must be positive and sum to 1."""
    data = json.loads(Path(path).read_text())
    buckets = (data.get("campaign") or {}).get("buckets") if "campaign" in data else data
    if not isinstance(buckets, dict) or not buckets:
        raise SystemExit(f"{path}: no bucket shares (a stance.json with campaign.buckets, or {{bucket: share}})")
    if any(not isinstance(v, (int, float)) or v <= 0 for v in buckets.values()):
        raise SystemExit(f"{path}: every share must be a positive number")
    if abs(sum(buckets.values()) - 1) > 1e-6:
        raise SystemExit(f"{path}: the shares sum to {sum(buckets.values()):.4f}, not 1")
    return {str(k): float(v) for k, v in buckets.items()}


def main() -> None:
    from training.factory.mix import BUCKETS
    from training.train import bucket_sampler

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=str(ROOT / "build" / "campaign"))
    ap.add_argument("--minutes", type=float, default=150, help="this session's time box")
    ap.add_argument("--checkpoint-minutes", type=float, default=10)
    ap.add_argument("--no-eval", action="store_true", help="checkpoints without the held-out read (throughput runs)")
    ap.add_argument("--no-log", action="store_true", help="do not append to bench/results/campaign.jsonl")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--until-pairs", type=int, help="stop once this many pairs are seen (to reproduce a shipped checkpoint)")
    ap.add_argument("--bf16", choices=("auto", "true", "false"), default="auto", help="bf16 autocast in training")
    ap.add_argument(
        "--buckets-from",
        type=Path,
        help="a new run's mix shares, kept on every resume (a control fork): a weights' stance.json or {bucket: share}",
    )
    for key, value in DEFAULTS.items():  # only read on the campaign's first start (then config.json rules)
        ap.add_argument(f"--{key.replace('_', '-')}", type=type(value), default=None)
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    cfg_path = folder / "config.json"
    if cfg_path.exists():
        cfg = json.loads(cfg_path.read_text())
    else:
        cfg = {k: (getattr(args, k) if getattr(args, k) is not None else v) for k, v in DEFAULTS.items()}
        cfg["buckets"] = BUCKETS
        meta = init_meta(cfg)
        earlier = meta.get("campaign")
        if earlier and args.init is None:  # the committed weights are this campaign's: keep its settings
            cfg |= {k: v for k, v in earlier.items() if k not in ("data", "init")}
        elif earlier and args.init is not None:  # a fork: its own settings, its schedule counted from the weights' pairs
            cfg["fork_from"] = int(meta["trained_pairs"])
        if args.buckets_from is not None:
            cfg["buckets"], cfg["buckets_fixed"] = read_buckets(args.buckets_from), True
        cfg_path.write_text(json.dumps(cfg, indent=1))
    torch.set_num_threads(max(1, torch.get_num_threads()))
    bf16 = torch.ops.mkldnn._is_mkldnn_bf16_supported() if args.bf16 == "auto" else args.bf16 == "true"
    camp = Campaign(folder, cfg, bool(bf16))
    adopts = not cfg.get("buckets_fixed") and args.until_pairs is None and not args.export_only
    if adopts and cfg.get("buckets") != BUCKETS:
        adopt_buckets(cfg, BUCKETS, camp.seen)
        cfg_path.write_text(json.dumps(cfg, indent=1))
        print(f"mix buckets changed at {camp.seen} pairs: {cfg['bucket_changes'][-1]['changed']}", flush=True)
    if args.export_only:
        camp.export(folder / "latest")
        return
    data = Path(cfg["data"])
    train_rows = read_pairs(data / "train.jsonl")
    held = read_pairs(data / "heldout.jsonl")
    sample_rows = [] if args.no_eval else eval_sample(held)
    stream = bucket_sampler(train_rows, cfg.get("buckets", BUCKETS), camp.rnd)
    stop = {"flag": False}

    def ask_stop(signum: int, _frame: Any) -> None:
        print(f"signal {signum}: checkpoint and stop", flush=True)
        stop["flag"] = True

    signal.signal(signal.SIGTERM, ask_stop)
    signal.signal(signal.SIGINT, ask_stop)
    start = time.monotonic()
    deadline = start + args.minutes * 60
    next_ck = start + args.checkpoint_minutes * 60
    session_seen, last_t = 0, start
    camp.model.train()
    figures: dict[str, Any] = {}

    def checkpoint() -> None:
        nonlocal figures
        now = time.monotonic()
        camp.save()
        with camp.averaged():  # the figures of what would ship
            figures = evaluate(camp.model, sample_rows, cfg["max_len"], camp.bf16) if sample_rows else {}
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "seen": camp.seen,
            "step": camp.step,
            "hours": round(camp.elapsed / 3600, 3),
            "pairs_per_s": round(session_seen / max(1e-9, now - start), 2),
            "loss_ema": round(camp.loss_ema, 4),
            "lr_factor": round(schedule(camp.seen, cfg, camp.rewarm_from), 4),
            "train_layers": cfg["train_layers"],
            "bf16": camp.bf16,
            "eval": figures,
        }
        print(json.dumps(line), flush=True)
        if not args.no_log:
            _log(log_path(folder), line)

    end = int(cfg.get("fork_from", 0)) + cfg["total_pairs"]
    until = min(end, args.until_pairs or end)
    while not stop["flag"] and time.monotonic() < deadline and camp.seen < until:
        rows = [next(stream) for _ in range(cfg["batch"])]
        ids = [
            camp.tok.encode_pair(
                r["claim"],
                r["passage"],
                cfg["max_len"],
                context=r.get("context") if r.get("context") and camp.rnd.random() < cfg["context_p"] else None,
            )
            for r in rows
        ]
        inp, mask = batch(ids, camp.tok.pad)
        factor = schedule(camp.seen, cfg, camp.rewarm_from)
        with torch.autocast("cpu", torch.bfloat16, enabled=camp.bf16):
            logits = camp.model(inp, mask)
        loss = loss_of(logits, [r["label"] for r in rows])
        value = train_step(camp.model, camp.opt, (cfg["lr"], cfg["head_lr"]), factor, loss)
        ema_update(camp.ema, camp.params, float(cfg.get("ema_decay", 0.999)))
        camp.step += 1
        camp.seen += len(rows)
        session_seen += len(rows)
        now = time.monotonic()
        camp.elapsed += now - last_t
        last_t = now
        camp.loss_ema = smoothed(camp.loss_ema, value)
        if camp.step % 50 == 0:
            rate = session_seen / (now - start)
            print(f"step {camp.step} pairs {camp.seen} loss {camp.loss_ema:.3f} lr x{factor:.3f} {rate:.1f} pairs/s", flush=True)
        if now >= next_ck:
            checkpoint()
            next_ck = time.monotonic() + args.checkpoint_minutes * 60
            last_t = time.monotonic()  # evaluation time is not training time
    checkpoint()
    camp.export(folder / "latest", figures)
    print(f"stopped at {camp.seen} pairs; weights in {folder / 'latest'}", flush=True)


if __name__ == "__main__":
    main()
