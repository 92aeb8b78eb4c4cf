"""Self-attention relation classifier: the neural package's Transformer encoder layers
(:class:`neural.models.attention.EncoderLayer`, Vaswani et al. 2017) over word + distance +
entity-indicator embeddings with sinusoidal positions; the relation is read from the mean
vectors of the two entity spans and a max over the sentence, concatenated (the "entity start /
span pooling" read-out of relation classifiers such as R-BERT, Wu & He 2019, without pretraining).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from neural.errors import ConfigError
from neural.models.attention import EncoderLayer, sinusoidal_positions
from neural.relation.models.base import RelationConfig, RelationModel


@dataclass
class TransformerConfig(RelationConfig):
    d_model: int = 128
    heads: int = 4
    layers: int = 2
    ff: int = 256
    attn_dropout: float = 0.1


class RelationTransformer(RelationModel):
    name = "transformer"
    Config = TransformerConfig

    def __init__(self, spec, config=None):
        super().__init__(spec, config)
        c = self.config
        if c.d_model % c.heads:
            raise ConfigError(f"transformer d_model ({c.d_model}) must be divisible by heads ({c.heads})")
        self.proj = nn.Linear(self.embed_dim, c.d_model)
        self.register_buffer("sinus", sinusoidal_positions(max(spec.seq_len, 1), c.d_model), persistent=False)
        self.layers = nn.ModuleList(EncoderLayer(c.d_model, c.heads, c.ff, c.attn_dropout) for _ in range(c.layers))
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(3 * c.d_model, spec.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trim(x)
        mask = self.mask(x)
        t = x.shape[-1]
        if t > self.sinus.shape[0]:
            self.sinus = sinusoidal_positions(t, self.config.d_model).to(self.sinus.device)
        h = self.proj(self.embed(x)) + self.sinus[:t]
        for layer in self.layers:
            h, _ = layer(h, ~mask)
        ind = x[:, 3]

        def span_mean(k: int) -> torch.Tensor:
            m = (ind == k).to(h.dtype)[..., None]
            return (h * m).sum(1) / m.sum(1).clamp(min=1)

        pooled = h.masked_fill(~mask[..., None], float("-inf")).amax(1)
        return self.head(self.drop(torch.cat([span_mean(1), span_mean(2), pooled], -1)))
