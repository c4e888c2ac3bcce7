"""int8 matrix products (STANCE_INT8): exact integer products on CPUs with and without VNNI, a token's numbers
independent of the batch, the embedder left in fp32, and the shipped weights' verdicts kept on clear pairs."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from torch import nn

from stance.engine import WEIGHTS, StanceEngine, weights_sha1
from stance.int8 import WEIGHT_LEVELS, Int8Linear, Int8SelfAttention, int8_layers, quantised
from tests.unit.test_cascade import PAIRS  # the cascade's pairs: a sure side each way and an off-topic one
from text.e5_encoder import base_encoder, config

EXACT = textwrap.dedent(
    """
    import torch
    g = torch.Generator().manual_seed(0)
    x = torch.randint(-127, 128, (96, 1536), dtype=torch.int8, generator=g)
    w = torch.randint(-{levels}, {levels} + 1, (1536, 384), dtype=torch.int8, generator=g)
    x[:8] = 127  # the worst case for 16-bit pair sums: every product at its largest
    w[:, :8] = {levels}
    print(torch.equal(torch._int_mm(x, w).long(), x.long() @ w.long()))
    """
)


@pytest.mark.parametrize("isa", ["AVX2", "AVX512_CORE", ""])
def test_seven_bit_weights_multiply_exactly_on_every_instruction_set(isa):
    # oneDNN picks its int8 kernel by the CPU: ONEDNN_MAX_CPU_ISA makes this machine run an older CPU's (AVX2 and
    # AVX-512 without VNNI add u8 x s8 pairs in saturating 16-bit sums; "" is this CPU's own)
    env = {**os.environ, "ONEDNN_MAX_CPU_ISA": isa} if isa else dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", EXACT.format(levels=WEIGHT_LEVELS)], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_an_int8_linear_is_close_to_fp32_and_its_weights_fit_seven_bits():
    torch.manual_seed(0)
    linear = nn.Linear(384, 1536)
    q = Int8Linear(linear)
    assert int(q.weight_q.abs().max()) <= WEIGHT_LEVELS
    x = torch.randn(4, 30, 384)
    with torch.no_grad():
        exact, approx = linear(x), q(x)
    assert approx.shape == exact.shape
    assert float((approx - exact).norm() / exact.norm()) < 0.02


def test_a_token_gets_the_same_numbers_alone_as_in_a_batch():
    torch.manual_seed(1)
    q = Int8Linear(nn.Linear(384, 384))
    batch = torch.randn(16, 384) * torch.logspace(-2, 2, 16)[:, None]  # rows of very different sizes
    alone = torch.cat([q(row[None]) for row in batch])
    assert torch.equal(q(batch), alone)


def test_fused_query_key_value_give_the_numbers_of_three_int8_maps():
    from transformers.models.bert.modeling_bert import BertSelfAttention

    torch.manual_seed(2)
    settings = config()
    settings._attn_implementation = "sdpa"
    attention = BertSelfAttention(settings).eval()
    fused = Int8SelfAttention(attention)
    three = int8_layers(copy.deepcopy(attention))  # transformers' own attention over three Int8Linear maps
    hidden = torch.randn(3, 20, settings.hidden_size)
    mask = torch.ones(3, 1, 20, 20, dtype=torch.bool)
    mask[1, ..., 12:] = False  # a shorter, padded pair
    with torch.no_grad():
        assert torch.equal(fused(hidden, mask)[0], three(hidden, mask)[0])


def test_the_quantised_model_is_a_copy_and_the_embedder_stays_fp32():
    engine = StanceEngine(WEIGHTS, bf16=False)
    q = quantised(engine.model)
    assert all(isinstance(m, nn.Linear) for m in base_encoder().encoder.layer.modules() if "Linear" in type(m).__name__)
    assert not any(isinstance(m, Int8Linear) for m in engine.model.modules())
    # per layer: query, key and value as one map, the attention output, the two feed-forward maps
    assert sum(isinstance(m, Int8Linear) for m in q.modules()) == 4 * len(q.encoder.encoder.layer)
    assert all(isinstance(layer.get_submodule("attention.self"), Int8SelfAttention) for layer in q.encoder.encoder.layer)
    assert q.encoder.embeddings is engine.model.encoder.embeddings  # shared, not copied
    assert isinstance(q.head[1], nn.Linear)


def test_the_shipped_weights_in_int8_read_clear_pairs_as_fp32_does():
    pairs = [
        ("The bridge was closed on Monday.", "Officials confirmed the bridge was closed on Monday after the storm."),
        ("The bridge was closed on Monday.", "The bridge stayed open all day on Monday, officials said."),
        ("The bridge was closed on Monday.", "The city council debated the budget for next year."),
        ("Regjeringen har senket skatten.", "Regjeringen la fram et budsjett med lavere skatt for alle."),
        ("Regeringen sänkte skatten.", "Regeringen höjde skatten kraftigt i den nya budgeten."),
    ]
    fp32 = StanceEngine(WEIGHTS, bf16=False).probabilities_pairs(pairs)
    int8 = StanceEngine(WEIGHTS, bf16=False, int8=True).probabilities_pairs(pairs)
    for a, b in zip(fp32, int8, strict=True):
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) < 0.1
        assert a.index(max(a)) == b.index(max(b))


def weights_with_int8_margin(tmp_path: Path, margin: float | None, sha1: str | None = None) -> Path:
    """A copy of the shipped weights whose decision.json holds this int8 reread margin (None: no int8 block)."""
    folder = tmp_path / f"weights-{margin}"
    shutil.copytree(WEIGHTS, folder)
    decision = json.loads((WEIGHTS / "decision.json").read_text())
    decision.pop("int8", None)
    if margin is not None:
        decision["int8"] = {"teacher_sha1": sha1 or weights_sha1(WEIGHTS), "margin": margin}
    (folder / "decision.json").write_text(json.dumps(decision))
    return folder


def test_a_margin_over_every_distance_gives_fp32_verdicts_exactly(tmp_path: Path):
    folder = weights_with_int8_margin(tmp_path, 2.0)
    assert StanceEngine(folder, bf16=False, int8=True).judge_pairs(PAIRS) == StanceEngine(folder, bf16=False).judge_pairs(PAIRS)


def test_with_no_margin_every_verdict_is_the_int8_reading(tmp_path: Path):
    engine = StanceEngine(weights_with_int8_margin(tmp_path, None), bf16=False, int8=True)
    assert engine.int8_margin == 0.0
    probs = engine.probabilities_pairs([(p.claim, p.passage) for p in PAIRS])
    fp32 = engine.probabilities_pairs([(p.claim, p.passage) for p in PAIRS], fp32=True)
    assert probs != fp32  # two readings, not one
    assert [v.probabilities["supports"] for v in engine.judge_pairs(PAIRS)] == [round(p[0], 4) for p in probs]


def test_an_int8_margin_set_against_other_weights_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="other weights"):
        StanceEngine(weights_with_int8_margin(tmp_path, 0.05, "0" * 40), bf16=False, int8=True)
