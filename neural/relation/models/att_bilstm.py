"""Attention-based bidirectional LSTM (Zhou et al., ACL 2016, "Attention-Based Bidirectional
Long Short-Term Memory Networks for Relation Classification"): BiLSTM over the embeddings, the
two directions summed element-wise (H), attention weights alpha = softmax(w^T tanh(H)), sentence
vector tanh(H alpha), dropout, softmax. Zhou et al. mark the entities with position indicator
tokens; here the entity indicator and distance embeddings carry the same information.

``entity_pool`` adds the mean BiLSTM state over each entity span to the attention vector before
the output layer (the entity read-out of R-BERT, Wu & He 2019, over a BiLSTM instead of BERT), so
the two nominals' own context reaches the classifier directly, not only through attention.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from neural.relation.models.base import RelationConfig, RelationModel


@dataclass
class AttBLSTMConfig(RelationConfig):
    hidden: int = 100
    embed_dropout: float = 0.3
    entity_pool: bool = False


class RelationAttBLSTM(RelationModel):
    name = "att-bilstm"
    Config = AttBLSTMConfig

    def __init__(self, spec, config=None):
        super().__init__(spec, config)
        c = self.config
        self.embed_drop = nn.Dropout(c.embed_dropout)
        self.lstm = nn.LSTM(self.embed_dim, c.hidden, batch_first=True, bidirectional=True)
        self.w = nn.Linear(c.hidden, 1, bias=False)
        self.drop = nn.Dropout(c.dropout)
        self.head = nn.Linear(3 * c.hidden if c.entity_pool else c.hidden, spec.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trim(x)
        mask = self.mask(x)
        lengths = mask.sum(1).clamp(min=1).cpu()
        packed = pack_padded_sequence(self.embed_drop(self.embed(x)), lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[-1])
        h = out[..., : self.config.hidden] + out[..., self.config.hidden:]  # [B, T, H]
        scores = self.w(torch.tanh(h)).squeeze(-1).masked_fill(~mask, float("-inf"))
        alpha = torch.softmax(scores, -1)
        r = torch.tanh((h * alpha[..., None]).sum(1))
        if self.config.entity_pool:
            ind = x[:, 3]
            spans = [(ind == k).to(h.dtype)[..., None] for k in (1, 2)]
            r = torch.cat([r, *(torch.tanh((h * m).sum(1) / m.sum(1).clamp(min=1)) for m in spans)], -1)
        return self.head(self.drop(r))
