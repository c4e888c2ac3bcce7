"""The stance model's matrix products in int8 on CPU (STANCE_INT8): the same weights, ~3x faster where the CPU has
VNNI, ~1.5x on AVX2, verdicts as fp32's on held-out pairs but for the few nearest a boundary (docs/stance-model.md).

Every Linear map inside the encoder layers (query, key, value, attention output, the two feed-forward maps: ~90 %
of the model's work) becomes W8A8 with integer accumulation:

- weights: symmetric, one scale per output channel, **7 bits** (-63..63). oneDNN's int8 kernels on CPUs without VNNI
  add u8 x s8 products in pairs into saturating 16-bit sums; with 7-bit weights no pair can saturate, so
  `torch._int_mm` is exact on every x86 CPU (tests/unit/test_int8.py checks it), not only on VNNI ones;
- activations: symmetric, one scale per token (row), 8 bits, computed at run time: no scale is shared with the other
  passages in the batch (torch.ao's dynamic quantisation takes one per batch tensor, which is why it changed
  verdicts by the batch: bench/results/int8_agreement.txt); what remains is fp32's padding noise, ~1e-7, which a
  rounding step can amplify, and the engine's reread band keeps verdicts near a boundary in fp32;
- int32 products rescaled to fp32 by the two scales, plus the fp32 bias;
- query, key and value share their input: they run as one map three times as wide (`Int8SelfAttention`), the
  input quantised once, with the very numbers of three separate maps (tests/unit/test_int8.py).

The embeddings (shared with the e5 embedder, whose vectors the index holds) and the classification head stay fp32;
the embedder itself is never touched: the quantised layers are copies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import torch
from torch import nn

if TYPE_CHECKING:
    from transformers.models.bert.modeling_bert import BertSelfAttention

    from stance.classifier import StanceModel

WEIGHT_LEVELS = 63  # 7 bits: no saturation in 16-bit pair sums on CPUs without VNNI
ACTIVATION_LEVELS = 127


class Int8Linear(nn.Module):
    """y = x W^T + b with W and each row of x quantised symmetrically (W per output channel, x per row)."""

    weight_q: torch.Tensor
    weight_scale: torch.Tensor
    bias: torch.Tensor | None

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()  # (out, in)
        scale = weight.abs().amax(1).clamp(min=1e-12) / WEIGHT_LEVELS
        self.register_buffer("weight_q", torch.round(weight / scale[:, None]).to(torch.int8).t().contiguous())
        self.register_buffer("weight_scale", scale)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().float().clone())
        self.in_features, self.out_features = linear.in_features, linear.out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features).float()
        scale = rows.abs().amax(1, keepdim=True).clamp(min=1e-12) / ACTIVATION_LEVELS
        q = torch.div(rows, scale).round_().to(torch.int8)
        # in place, in this order (an addcmul would fuse a multiply-add and change the last bit, then a verdict)
        y = torch._int_mm(q, self.weight_q).float().mul_(scale).mul_(self.weight_scale)
        if self.bias is not None:
            y.add_(self.bias)
        return y.reshape(*x.shape[:-1], self.out_features)


def int8_layers(module: nn.Module) -> nn.Module:
    """Replace every nn.Linear under module by its Int8Linear, in place; returns module."""
    for name, child in list(module.named_children()):
        if isinstance(child, nn.Linear):
            setattr(module, name, Int8Linear(child))
        else:
            int8_layers(child)
    return module


class Int8SelfAttention(nn.Module):
    """BERT self-attention whose query, key and value maps run as one Int8Linear three maps wide: the hidden states
    are quantised once instead of three times, and one integer product replaces three. The numbers are those of three
    separate Int8Linear maps (each output column keeps its own weights, scale and bias; a row's scale is the same).
    Attention itself is torch's scaled_dot_product_attention with the mask the BertModel passes (boolean or
    additive: it takes both), as transformers' sdpa attention calls it; dropout is off (inference only)."""

    def __init__(self, attention: BertSelfAttention) -> None:
        super().__init__()
        query, key, value = attention.query, attention.key, attention.value
        fused = nn.Linear(query.in_features, 3 * query.out_features)
        with torch.no_grad():
            fused.weight.copy_(torch.cat([query.weight, key.weight, value.weight]))
            fused.bias.copy_(torch.cat([query.bias, key.bias, value.bias]))
        self.qkv = Int8Linear(fused)
        self.heads, self.head_size = attention.num_attention_heads, attention.attention_head_size
        self.scaling = self.head_size**-0.5

    def forward(
        self, hidden_states: torch.Tensor, attention_mask: torch.Tensor | None = None, *args: Any, **kwargs: Any
    ) -> tuple[torch.Tensor, None]:
        batch, length = hidden_states.shape[:2]
        q, k, v = self.qkv(hidden_states).view(batch, length, 3, self.heads, self.head_size).permute(2, 0, 3, 1, 4)
        out = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, scale=self.scaling)
        return out.transpose(1, 2).reshape(batch, length, -1), None


def quantised(model: StanceModel) -> StanceModel:
    """A copy of a StanceModel whose encoder layers run in int8; its embeddings and head are the model's own
    (shared, fp32), and the model itself is left as it was."""
    from stance.classifier import StanceModel
    from text.e5_encoder import derived_encoder

    encoder = derived_encoder(model.encoder, range(model.encoder.config.num_hidden_layers))
    for layer in encoder.encoder.layer:
        attention = layer.get_submodule("attention")
        attention.self = Int8SelfAttention(cast("BertSelfAttention", attention.get_submodule("self")))
        int8_layers(layer)
    out = StanceModel(model.frozen_layers, encoder=encoder)
    out.head = model.head
    return out.eval()
