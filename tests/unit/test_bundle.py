import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from text.e5_encoder import build_encoder  # noqa: E402
from text.e5_tokenizer import tokenizer  # noqa: E402
from training.bundle import pack, unpack  # noqa: E402

PAIRS = [
    ("Politiet pågrep tre menn.", "Politiet nekter for å ha vært involvert.", "contradicts", "nb"),
    ("The ministry evacuated 1,200 people.", "Officials said 1,200 people were evacuated.", "supports", "en"),
    ("Regeringen deltog i förhandlingarna.", "Vädret var fint i Göteborg.", "neither", "sv"),
]


def _write(path, rows):
    with path.open("w", encoding="utf-8") as f:
        for claim, passage, label, lang in rows:
            row = {"claim": claim, "passage": passage, "label": label, "claim_lang": lang, "passage_lang": lang}
            f.write(json.dumps(row | {"transform": "test", "source": "test", "bucket": f"mix-{lang}"}) + "\n")


def test_a_bundle_keeps_pairs_and_reproduces_the_base_encoder(tmp_path):
    _write(tmp_path / "train.jsonl", PAIRS[:2])
    _write(tmp_path / "heldout.jsonl", PAIRS[2:])
    counts = pack(tmp_path, tmp_path / "b.npz")
    packed = unpack(tmp_path / "b.npz")
    assert counts["pairs"] == 3 and len(packed.train) == 2 and len(packed.heldout) == 1
    assert [r["label"] for r in packed.train] == ["contradicts", "supports"]
    assert [r["bucket"] for r in packed.train] == ["mix-nb", "mix-en"]  # the mix's buckets travel for --buckets
    assert packed.config["vocab_size"] == counts["vocabulary_rows"] < 300  # only the rows the pairs use

    tok = tokenizer()
    full, small = build_encoder().eval(), build_encoder(packed.tensors, packed.config).eval()
    for (claim, passage, *_), row in zip(PAIRS, packed.train + packed.heldout, strict=True):
        original = tok.encode_pair(claim, passage)
        assert len(row["ids"]) == len(original)
        with torch.no_grad():
            a = full(input_ids=torch.tensor([original]), token_type_ids=torch.zeros(1, len(original), dtype=torch.long))
            b = small(input_ids=torch.tensor([row["ids"]]), token_type_ids=torch.zeros(1, len(original), dtype=torch.long))
        np.testing.assert_allclose(a.last_hidden_state.numpy(), b.last_hidden_state.numpy(), atol=1e-5)


def test_training_from_a_bundle_writes_weights_that_load_over_the_full_base(tmp_path):
    import subprocess
    import sys

    from stance.classifier import StanceModel

    _write(tmp_path / "train.jsonl", PAIRS)
    _write(tmp_path / "heldout.jsonl", PAIRS)
    pack(tmp_path, tmp_path / "b.npz")
    out = tmp_path / "out"
    args = ["--bundle", str(tmp_path / "b.npz"), "--steps", "2", "--batch", "2", "--heldout", "3", "--out", str(out)]
    subprocess.run([sys.executable, "-m", "training.train", *args], check=True, capture_output=True)
    summary = json.loads((out / "stance.json").read_text())
    assert summary["steps"] == 2 and summary["bundle"] and summary["heldout_all"]["overall"]["n"] == 3
    assert np.load(out / "heldout_probs.npy").shape == (3, 3)
    model = StanceModel(summary["frozen_layers"])
    model.load_trained(torch.load(out / "stance-delta.pt", map_location="cpu"))  # vocabulary-free weights
