"""Can the stance model stop early? A probe of early-exit heads on the shipped model's own lower layers.

A cascade that runs a separate student and then, near its decision boundary, the whole teacher pays twice for the
pairs it escalates. An exit on the teacher's own layers does not: every pair runs layers 0..k-1, a small head on
layer k's mean-pooled states says what the teacher would, and only the pairs that head is unsure of continue
through layers k..11 (from the states already computed). Escalated pairs get the teacher's verdict exactly.

This probe measures whether that pays before anything is built: the teacher reads a sample of the mix's training
pairs (drawn as the campaign draws them) with its hidden states kept at a few depths; a linear head per depth learns
the teacher's probabilities (KL, the teacher's layers untouched); then on held-out pairs (the mix's held-out
sample and public sets never trained on) and, with --pairs, on pairs compare's retrieval actually hands the model
(bench/evidence_reach.py run --pairs-out), it reports for each depth and exit threshold the share of pairs that
exit and how often their verdict (the product decision: calibrated side floor) is the teacher's.

    python -m training.exit_probe --train 6000 [--pairs build/evreach-pairs.jsonl]

Features are cached under build/exit/ (per teacher and rows), so a second run only refits the heads.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
import torch.nn.functional as F

from stance.engine import load_decision, position
from text.e5_encoder import mean_pool, pad_batch
from text.e5_tokenizer import tokenizer
from training.campaign import eval_sample
from training.distill import load_teacher
from training.pairs import read_pairs

ROOT = Path(__file__).resolve().parents[1]
DEPTHS = (3, 4, 6, 8)
THRESHOLDS = (0.80, 0.90, 0.95, 0.98, 0.99)


def features(model: Any, rows: list[dict[str, Any]], cache: Path, size: int = 32) -> dict[str, np.ndarray]:
    """The teacher's probabilities and its mean-pooled hidden states after each of DEPTHS layers, per row."""
    if cache.exists():
        with np.load(cache) as z:
            return {k: z[k] for k in z.files}
    tok = tokenizer()
    ids = [tok.encode_pair(r["claim"], r["passage"], 128) for r in rows]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = {f"h{d}": np.zeros((len(ids), 384), np.float32) for d in DEPTHS}
    out["probs"] = np.zeros((len(ids), 3), np.float32)
    with torch.no_grad():
        for n, i in enumerate(range(0, len(order), size)):
            chunk = order[i : i + size]
            inp, mask = pad_batch([ids[j] for j in chunk], tok.pad)
            enc = model.encoder(
                input_ids=inp, attention_mask=mask, token_type_ids=torch.zeros_like(inp), output_hidden_states=True
            )
            for d in DEPTHS:
                out[f"h{d}"][chunk] = mean_pool(enc.hidden_states[d], mask).numpy()
            out["probs"][chunk] = torch.softmax(model.head(mean_pool(enc.last_hidden_state, mask)), -1).numpy()
            if n % 20 == 0:
                print(f"  {cache.stem}: {i + len(chunk)}/{len(ids)}", flush=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache.with_suffix(".tmp.npz"), **cast(dict[str, Any], out))
    cache.with_suffix(".tmp.npz").rename(cache)
    return out


def fit_head(x: np.ndarray, target: np.ndarray, steps: int = 600, seed: int = 0) -> torch.nn.Linear:
    """A linear head on pooled states that learns the teacher's probabilities (KL), full batch."""
    torch.manual_seed(seed)
    head = torch.nn.Linear(x.shape[1], 3)
    xt, tt = torch.from_numpy(x), torch.from_numpy(target)
    opt = torch.optim.Adam(head.parameters(), lr=1e-2, weight_decay=1e-5)
    for _ in range(steps):
        opt.zero_grad()
        loss = F.kl_div(F.log_softmax(head(xt), -1), tt, reduction="batchmean")
        loss.backward()
        opt.step()
    return head


def verdicts(probs: np.ndarray, decision: dict[str, Any] | None) -> list[str]:
    """The product's position for each row of probabilities (calibrated side floor)."""
    return [position(p.tolist(), decision)[0] for p in probs]


def report(name: str, data: dict[str, np.ndarray], heads: dict[int, torch.nn.Linear], decision: Any) -> list[str]:
    """Exit share and verdict agreement with the teacher per depth and threshold on one evaluation set."""
    teacher = verdicts(data["probs"], decision)
    lines = [f"{name} ({len(teacher)} pairs; teacher sides {sum(v != 'neither' for v in teacher) / len(teacher):.2f})"]
    for d, head in heads.items():
        with torch.no_grad():
            p = torch.softmax(head(torch.from_numpy(data[f"h{d}"])), -1).numpy()
        early = verdicts(p, decision)
        same = np.array([a == b for a, b in zip(early, teacher, strict=True)])
        conf = p.max(1)
        cells = [f"all {same.mean():.3f}"]
        for t in THRESHOLDS:
            ex = conf >= t
            agree = (same[ex].sum() + (~ex).sum()) / len(same)  # escalated pairs get the teacher's own verdict
            cost = (ex.sum() * d + (~ex).sum() * 12) / (12 * len(same))
            cells.append(f"t{t:.2f}: exit {ex.mean():.2f} agree {agree:.3f} cost {cost:.2f}")
        lines.append(f"  layer {d:>2}: " + " | ".join(cells))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--teacher", default=str(ROOT / "stance" / "weights"))
    ap.add_argument("--data", default=str(ROOT / "build" / "stance-mix"))
    ap.add_argument("--train", type=int, default=6000, help="training pairs drawn as the campaign draws them")
    ap.add_argument("--pairs", help="JSON Lines of (claim, passage) pairs compare hands the model, to measure on")
    ap.add_argument("--out", default=str(ROOT / "build" / "exit"))
    args = ap.parse_args()
    from training.factory.mix import BUCKETS
    from training.train import bucket_sampler

    teacher = Path(args.teacher)
    key = hashlib.sha1((teacher / "stance-delta.pt").read_bytes()).hexdigest()[:10]
    out = Path(args.out)
    model = load_teacher(teacher)
    torch.set_grad_enabled(True)
    stream = bucket_sampler(read_pairs(Path(args.data) / "train.jsonl"), BUCKETS, random.Random(23))
    train_rows = [next(stream) for _ in range(args.train)]
    held_rows = eval_sample(read_pairs(Path(args.data) / "heldout.jsonl"))
    train = features(model, train_rows, out / f"{key}-train-{args.train}.npz")
    held = features(model, held_rows, out / f"{key}-held.npz")
    heads = {d: fit_head(train[f"h{d}"], train["probs"]) for d in DEPTHS}
    decision = load_decision(teacher)
    lines = report("training pairs (fit)", train, heads, decision)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(held_rows):
        groups["mix held-out" if r["eval"].startswith("mix:") else "public sets never trained on"].append(i)
    for name, idx in sorted(groups.items()):
        lines += report(name, {k: v[idx] for k, v in held.items()}, heads, decision)
    if args.pairs:
        rows = read_pairs(args.pairs)
        pairs_key = hashlib.sha1(Path(args.pairs).read_bytes()).hexdigest()[:8]
        product = features(model, rows, out / f"{key}-pairs-{pairs_key}.npz")
        lines += report(f"compare's candidates ({args.pairs})", product, heads, decision)
    print("\n".join(lines))
    (out / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(json.dumps({"written": str(out / "report.txt")}))


if __name__ == "__main__":
    main()
