"""1-D convolutional text classifier: embeddings, parallel convolutions of several widths,
max-over-time pooling, dropout, linear (Kim 2014, "Convolutional Neural Networks for Sentence
Classification").
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from neural.errors import ConfigError
from neural.models.base import Classifier, ModelConfig, token_mask


@dataclass
class TextCNNConfig(ModelConfig):
    embed_dim: int = 64
    filters: int = 64
    kernel_sizes: str = "3,4,5"  # comma-separated widths (a string keeps the config plain)
    dropout: float = 0.5


class TextCNN(Classifier):
    name = "text_cnn"
    input_kind = "tokens"
    Config = TextCNNConfig

    def __init__(self, spec, config: TextCNNConfig | None = None):
        super().__init__(spec, config)
        c = self.config
        try:
            widths = [int(k) for k in str(c.kernel_sizes).split(",") if k.strip()]
        except ValueError:
            raise ConfigError(f"text_cnn kernel_sizes must be comma-separated integers, got {c.kernel_sizes!r}") from None
        if not widths or min(widths) < 1:
            raise ConfigError(f"text_cnn kernel_sizes must be positive, got {c.kernel_sizes!r}")
        self.embed = nn.Embedding(spec.vocab_size, c.embed_dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(c.embed_dim, c.filters, k, padding=k // 2) for k in widths)
        self.dropout = nn.Dropout(c.dropout)
        self.head = nn.Linear(c.filters * len(widths), spec.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = token_mask(x)
        e = self.embed(x).transpose(1, 2)  # [B, E, T]
        pooled = []
        for conv in self.convs:
            h = torch.relu(conv(e))[..., : x.shape[1]]  # even widths give one extra step
            # Max over real positions only, so padding length does not change the result.
            h = h.masked_fill(~mask[:, None, :], float("-inf")).amax(dim=2)
            pooled.append(h)
        return self.head(self.dropout(torch.cat(pooled, dim=1)))
