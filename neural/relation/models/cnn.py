"""CNN relation classifier with position features (Zeng et al., COLING 2014, "Relation
Classification via Convolutional Deep Neural Network"): word + relative-distance embeddings, one
convolution, max over time, a hidden tanh layer, softmax. The paper's lexical features (WordNet
hypernyms, neighbouring words) are not used; the entity indicator embedding stands in for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from neural.relation.models.base import RelationConfig, RelationModel


@dataclass
class CNNConfig(RelationConfig):
    zero_ok: ClassVar[frozenset[str]] = RelationConfig.zero_ok | {"hidden"}  # 0: no hidden layer

    filters: int = 200
    window: int = 3
    hidden: int = 0  # 0: no hidden layer between pooling and the output


class RelationCNN(RelationModel):
    name = "cnn"
    Config = CNNConfig

    def __init__(self, spec, config=None):
        super().__init__(spec, config)
        c = self.config
        self.conv = nn.Conv1d(self.embed_dim, c.filters, c.window, padding=c.window // 2)
        self.drop = nn.Dropout(c.dropout)
        self.hidden = nn.Sequential(nn.Linear(c.filters, c.hidden), nn.Tanh()) if c.hidden else nn.Identity()
        self.head = nn.Linear(c.hidden or c.filters, spec.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trim(x)
        mask = self.mask(x)
        h = torch.tanh(self.conv(self.embed(x).transpose(1, 2)))[..., : x.shape[-1]]
        h = h.masked_fill(~mask[:, None, :], float("-inf")).amax(-1)
        return self.head(self.hidden(self.drop(h)))
