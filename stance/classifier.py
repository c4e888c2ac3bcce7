"""The stance cross-encoder: rebuilt e5 encoder + a linear head over mean-pooled tokens of (claim, passage)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from transformers import BertModel

from stance.labels import LABELS
from text.core_share import forward_pass
from text.e5_encoder import build_encoder, mean_pool, pad_batch
from text.e5_tokenizer import tokenizer


class StanceModel(nn.Module):
    """(claim, passage) -> logits over LABELS."""

    def __init__(self, frozen_layers: int = 6, encoder: BertModel | None = None) -> None:
        super().__init__()
        self.encoder = encoder if encoder is not None else build_encoder()
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(self.encoder.config.hidden_size, len(LABELS)))
        self.frozen_layers = frozen_layers
        for p in self.encoder.embeddings.parameters():
            p.requires_grad = False
        for layer in self.encoder.encoder.layer[:frozen_layers]:
            for p in layer.parameters():
                p.requires_grad = False

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
        ).last_hidden_state
        return self.head(mean_pool(hidden, attention_mask))

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Only the weights training changes (upper layers and head): what the project ships."""
        return {k: v.detach().half() for k, v in self.state_dict().items() if self._trainable(k)}

    def _trainable(self, key: str) -> bool:
        if key.startswith("head."):
            return True
        if key.startswith("encoder.encoder.layer."):
            return int(key.split(".")[3]) >= self.frozen_layers
        return False

    def load_trained(self, state: dict[str, torch.Tensor]) -> None:
        """Put shipped weights over the rebuilt base."""
        missing = [k for k in state if k not in self.state_dict()]
        if missing:
            raise ValueError(f"unknown weights {missing[:3]}")
        self.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)


batch = pad_batch  # the name training and the engine use


def predict(
    model: StanceModel,
    pairs: list[tuple[str, str]] | None = None,
    max_len: int = 128,
    size: int = 32,
    ids: list[list[int]] | None = None,
    pad: int | None = None,
    device: str = "cpu",
) -> np.ndarray:
    """Class probabilities for (claim, passage) pairs, or for pairs already tokenised (`ids`, `pad`)."""
    if ids is None:
        tok = tokenizer()
        ids, pad = [tok.encode_pair(c, p, max_len) for c, p in pairs or []], tok.pad
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths per batch: little padding
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    model.eval()
    with torch.no_grad(), torch.autocast("cuda", torch.bfloat16, enabled=device == "cuda"):
        for i in range(0, len(order), size):
            chunk = order[i : i + size]
            inp, mask = batch([ids[j] for j in chunk], int(pad if pad is not None else 1))
            with forward_pass():  # the cores this pass may use where workers share them (text.core_share)
                out[chunk] = torch.softmax(model(inp.to(device), mask.to(device)).float(), -1).cpu().numpy()
    return out
