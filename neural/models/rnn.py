"""Recurrent sequence / text classifier: LSTM (Hochreiter & Schmidhuber 1997) or GRU (Cho et al.
2014), one- or two-directional (Schuster & Paliwal 1997), reading packed variable-length
sequences and classifying from the final hidden state(s).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from neural.errors import ConfigError
from neural.models.base import Classifier, ModelConfig, token_mask


@dataclass
class RNNConfig(ModelConfig):
    cell: str = "lstm"  # 'lstm' or 'gru'
    bidirectional: bool = False
    embed_dim: int = 64
    hidden: int = 64
    layers: int = 1
    dropout: float = 0.2


class RNNClassifier(Classifier):
    name = "rnn"
    input_kind = "tokens"
    Config = RNNConfig

    def __init__(self, spec, config: RNNConfig | None = None):
        super().__init__(spec, config)
        c = self.config
        cells = {"lstm": nn.LSTM, "gru": nn.GRU}
        if c.cell not in cells:
            raise ConfigError(f"rnn cell must be one of {sorted(cells)}, got {c.cell!r}")
        self.embed = nn.Embedding(spec.vocab_size, c.embed_dim, padding_idx=0)
        self.rnn = cells[c.cell](
            c.embed_dim, c.hidden, num_layers=c.layers, batch_first=True,
            bidirectional=c.bidirectional, dropout=c.dropout if c.layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(c.dropout)
        self.head = nn.Linear(c.hidden * (2 if c.bidirectional else 1), spec.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lengths = token_mask(x).sum(1).clamp(min=1).cpu()
        packed = pack_padded_sequence(self.embed(x), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        if isinstance(h, tuple):  # LSTM returns (h, c)
            h = h[0]
        # h: [layers * directions, B, H]; keep the last layer's state of each direction.
        dirs = 2 if self.config.bidirectional else 1
        last = h[-dirs:].transpose(0, 1).reshape(x.shape[0], -1)
        return self.head(self.dropout(last))
