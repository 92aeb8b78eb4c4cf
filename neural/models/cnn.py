"""2-D convolutional image classifier: two conv-conv-pool blocks with batch normalisation and
dropout, then a dense layer (LeCun et al. 1998, "Gradient-based learning applied to document
recognition"; batch norm: Ioffe & Szegedy 2015; dropout: Srivastava et al. 2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from neural.models.base import Classifier, ModelConfig


@dataclass
class CNNConfig(ModelConfig):
    channels1: int = 32
    channels2: int = 64
    hidden: int = 128
    dropout: float = 0.25
    batch_norm: bool = True
    # Random translations of up to this many pixels during training (0 = off): the usual cheap
    # augmentation for digit images.
    augment_shift: int = 1


def _block(c_in: int, c_out: int, bn: bool, dropout: float) -> nn.Sequential:
    layers: list[nn.Module] = []
    for c in (c_in, c_out):
        layers += [nn.Conv2d(c, c_out, 3, padding=1, bias=not bn)]
        if bn:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.ReLU(inplace=True))
    layers += [nn.MaxPool2d(2), nn.Dropout(dropout)]
    return nn.Sequential(*layers)


def random_shift(x: torch.Tensor, max_shift: int) -> torch.Tensor:
    """Translate each image by a random integer offset in [-max_shift, max_shift]^2, zero-filled."""
    if max_shift <= 0:
        return x
    s = max_shift
    n, _, h, w = x.shape
    padded = nn.functional.pad(x, (s, s, s, s))
    dy = torch.randint(0, 2 * s + 1, (n,), device=x.device)
    dx = torch.randint(0, 2 * s + 1, (n,), device=x.device)
    rows = (dy[:, None] + torch.arange(h, device=x.device)[None, :])  # [n, h]
    cols = (dx[:, None] + torch.arange(w, device=x.device)[None, :])  # [n, w]
    idx_n = torch.arange(n, device=x.device)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[idx_n, rows[:, :, None], cols[:, None, :]]  # [n, h, w, c]
    return out.permute(0, 3, 1, 2).contiguous()


class CNN(Classifier):
    """Image classifier; ``features`` gives the penultimate layer (used for Fréchet distance)."""

    name = "cnn"
    input_kind = "image"
    Config = CNNConfig

    def __init__(self, spec, config: CNNConfig | None = None):
        super().__init__(spec, config)
        c = self.config
        self.body = nn.Sequential(
            _block(spec.channels, c.channels1, c.batch_norm, c.dropout),
            _block(c.channels1, c.channels2, c.batch_norm, c.dropout),
            nn.Flatten(),
        )
        flat = c.channels2 * (spec.height // 4) * (spec.width // 4)
        self.penultimate = nn.Sequential(nn.Linear(flat, c.hidden), nn.ReLU(inplace=True))
        self.head = nn.Sequential(nn.Dropout(c.dropout), nn.Linear(c.hidden, spec.n_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.penultimate(self.body(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            x = random_shift(x, self.config.augment_shift)
        return self.head(self.features(x))
