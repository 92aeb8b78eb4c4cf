"""Piecewise CNN (Zeng et al., EMNLP 2015, "Distant Supervision for Relation Extraction via
Piecewise Convolutional Neural Networks"): the convolution's output is max-pooled separately
over the three pieces the two entities cut the sentence into (before and including e1, between,
from e2 on), so the pooled vector keeps where a feature fired relative to the entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from neural.relation.models.base import RelationConfig, RelationModel


@dataclass
class PCNNConfig(RelationConfig):
    filters: int = 200
    window: int = 3


class RelationPCNN(RelationModel):
    name = "pcnn"
    Config = PCNNConfig

    def __init__(self, spec, config=None):
        super().__init__(spec, config)
        c = self.config
        self.conv = nn.Conv1d(self.embed_dim, c.filters, c.window, padding=c.window // 2)
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(3 * c.filters, spec.n_classes)

    @staticmethod
    def pieces(x: torch.Tensor) -> torch.Tensor:
        """[B, 3, T] bool: piece membership from the entity indicator row (e1 = 1, e2 = 2)."""
        mask = x[:, 0] != 0
        ind = x[:, 3]
        pos = torch.arange(x.shape[-1], device=x.device)[None]
        big = x.shape[-1]
        e1_end = torch.where(ind == 1, pos, torch.full_like(pos, -1)).amax(-1, keepdim=True)
        e2_start = torch.where(ind == 2, pos, torch.full_like(pos, big)).amin(-1, keepdim=True)
        first = pos <= e1_end
        last = pos >= e2_start
        middle = ~first & ~last
        # A piece with no token (adjacent entities) pools over e2's token instead of nothing.
        middle = torch.where(middle.any(-1, keepdim=True), middle, pos == e2_start.clamp(max=big - 1))
        return torch.stack([first, middle, last], 1) & mask[:, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trim(x)
        h = self.conv(self.embed(x).transpose(1, 2))[..., : x.shape[-1]]  # [B, F, T]
        pieces = self.pieces(x)  # [B, 3, T]
        h = h[:, None].masked_fill(~pieces[:, :, None], float("-inf")).amax(-1)  # [B, 3, F]
        h = torch.where(torch.isinf(h), torch.zeros_like(h), h)  # an empty piece pools to 0
        return self.head(self.drop(torch.tanh(h.flatten(1))))
