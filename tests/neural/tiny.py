"""Tiny in-memory data and a one-batch overfitting helper for the neural tests."""

from __future__ import annotations

import torch
from torch.utils.data import TensorDataset


def image_data(n: int = 16, n_classes: int = 3, side: int = 8, seed: int = 0):
    """Images whose class is a bright row band, plus noise."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % n_classes
    x = 0.1 * torch.rand(n, 1, side, side, generator=g)
    for i, c in enumerate(y.tolist()):
        x[i, 0, 2 * c : 2 * c + 2, :] = 0.9
    return x, y


def token_data(n: int = 16, seq_len: int = 10, vocab: int = 12, seed: int = 0):
    """Token sequences (some padded) whose label is whether token 2 precedes token 3."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(4, vocab, (n, seq_len), generator=g)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        length = seq_len - (i % 3)
        x[i, length:] = 0
        a, b = torch.randperm(length, generator=g)[:2].tolist()
        x[i, a], x[i, b] = 2, 3
        y[i] = int(a < b)
    return x, y


def overfit(model, x, y, epochs: int = 40, lr: float = 3e-3, **kw):
    """Train on one fixed batch through the real Trainer; returns the history."""
    from neural.trainer import Trainer, TrainerConfig

    cfg = TrainerConfig(epochs=epochs, batch_size=len(x), lr=lr, device="cpu", **kw)
    return Trainer(cfg).fit(model, TensorDataset(x, y))
