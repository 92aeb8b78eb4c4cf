"""Self-attention sequence classifier: a Transformer encoder (multi-head scaled dot-product
attention, feed-forward, residuals, layer norm) over token embeddings plus sinusoidal positional
encoding, mean-pooled over real tokens (Vaswani et al. 2017, "Attention Is All You Need").

``forward(x, return_attention=True)`` also returns each layer's attention weights
[batch, heads, query, key] for visualisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from neural.errors import ConfigError
from neural.models.base import Classifier, ModelConfig, token_mask


@dataclass
class AttentionConfig(ModelConfig):
    d_model: int = 64
    heads: int = 4
    layers: int = 2
    ff: int = 128
    dropout: float = 0.1


def sinusoidal_positions(length: int, d_model: int) -> torch.Tensor:
    """The fixed sin/cos table of Vaswani et al. 2017, section 3.5: [length, d_model]."""
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
    table = torch.zeros(length, d_model)
    table[:, 0::2] = torch.sin(pos * div)
    table[:, 1::2] = torch.cos(pos * div)[:, : d_model // 2]
    return table


class EncoderLayer(nn.Module):
    """Post-norm encoder layer (as in the paper) that hands back its attention weights."""

    def __init__(self, d_model: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, ff), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(ff, d_model))
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, pad_mask):
        out, weights = self.attn(x, x, x, key_padding_mask=pad_mask, need_weights=True, average_attn_weights=False)
        x = self.norm1(x + self.drop(out))
        x = self.norm2(x + self.drop(self.ff(x)))
        return x, weights


class AttentionClassifier(Classifier):
    name = "attention"
    input_kind = "tokens"
    Config = AttentionConfig

    def __init__(self, spec, config: AttentionConfig | None = None):
        super().__init__(spec, config)
        c = self.config
        if c.d_model % c.heads:
            raise ConfigError(f"attention d_model ({c.d_model}) must be divisible by heads ({c.heads})")
        self.embed = nn.Embedding(spec.vocab_size, c.d_model, padding_idx=0)
        # std d^-1/2, so that after the paper's sqrt(d) scaling tokens and positions have the same
        # scale (PyTorch's default N(0, 1) init would drown the positional signal eight-fold).
        nn.init.normal_(self.embed.weight, std=c.d_model**-0.5)
        with torch.no_grad():
            self.embed.weight[0].zero_()
        # A buffer, not a parameter: saved in checkpoints, never trained.
        self.register_buffer("positions", sinusoidal_positions(max(spec.seq_len, 1), c.d_model), persistent=False)
        self.drop = nn.Dropout(c.dropout)
        self.layers = nn.ModuleList(EncoderLayer(c.d_model, c.heads, c.ff, c.dropout) for _ in range(c.layers))
        self.head = nn.Linear(c.d_model, spec.n_classes)

    def forward(self, x: torch.Tensor, return_attention: bool = False):
        mask = token_mask(x)
        t = x.shape[1]
        if t > self.positions.shape[0]:
            self.positions = sinusoidal_positions(t, self.config.d_model).to(self.positions.device)
        h = self.drop(self.embed(x) * math.sqrt(self.config.d_model) + self.positions[:t])
        attentions = []
        for layer in self.layers:
            h, w = layer(h, ~mask)
            attentions.append(w)
        m = mask[..., None].to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1)
        logits = self.head(pooled)
        return (logits, attentions) if return_attention else logits
