"""A synthetic sequence task where only word order carries the label.

Every sequence holds the marker tokens ``a`` and ``b`` exactly once, among uniformly drawn
filler tokens; the label is 1 when ``a`` comes before ``b``. Both classes have the same token
counts in distribution, so a bag-of-words model cannot beat chance (0.5), while a model that
reads order (RNN, self-attention with positions) can reach 1.0.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import TensorDataset

from neural.data.base import DataBundle, DataSpec
from neural.data.text import PAD, UNK

N_FILLERS = 20
VOCAB = [PAD, UNK, "a", "b"] + [f"w{i}" for i in range(N_FILLERS)]
A, B = 2, 3


def make_order_task(n: int, seq_len: int = 24, min_len: int = 8, seed: int = 0):
    """``n`` sequences (int64 [n, seq_len], 0-padded, variable length) and labels."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, seq_len), dtype=np.int64)
    lengths = rng.integers(min_len, seq_len + 1, size=n)
    y = np.zeros(n, dtype=np.int64)
    for i, length in enumerate(lengths):
        x[i, :length] = rng.integers(4, 4 + N_FILLERS, size=length)
        pa, pb = rng.choice(length, size=2, replace=False)
        x[i, pa], x[i, pb] = A, B
        y[i] = int(pa < pb)
    return torch.from_numpy(x), torch.from_numpy(y)


def load_order_bundle(
    data_dir=None, split_seed: int = 0, n_train: int = 4000, n_val: int = 500, n_test: int = 1000,
    seq_len: int = 24, **_ignored,
) -> DataBundle:
    # Three different generator seeds so that the splits are independent draws.
    parts = [make_order_task(n, seq_len, seed=1000 * split_seed + k) for k, n in enumerate((n_train, n_val, n_test))]
    train, val, test = (TensorDataset(x, y) for x, y in parts)
    return DataBundle(
        name="order",
        spec=DataSpec(kind="tokens", n_classes=2, vocab_size=len(VOCAB), seq_len=seq_len),
        train=train,
        val=val,
        test=test,
        labels=["b-first", "a-first"],
        vocab=list(VOCAB),
        params={"split_seed": split_seed, "n_train": n_train, "n_val": n_val, "n_test": n_test, "seq_len": seq_len},
    )
