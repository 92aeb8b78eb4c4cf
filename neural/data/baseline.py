"""Bag-of-words baseline for token datasets: logistic regression on token counts (order ignored),
the yardstick that the order-dependent task is built to defeat."""

from __future__ import annotations

import numpy as np
import torch

from neural.data.base import DataBundle
from neural.errors import DatasetError


def bag_of_words(x: torch.Tensor, vocab_size: int) -> np.ndarray:
    """Token-count matrix [N, vocab_size - 1] (padding id 0 dropped)."""
    ids = x.numpy()
    counts = np.zeros((len(ids), vocab_size), dtype=np.float32)
    np.add.at(counts, (np.repeat(np.arange(len(ids)), ids.shape[1]), ids.ravel()), 1)
    return counts[:, 1:]


def bag_of_words_accuracy(bundle: DataBundle, seed: int = 0) -> float:
    """Test accuracy of scikit-learn's logistic regression on counts, fitted on train + val."""
    from sklearn.linear_model import LogisticRegression

    if bundle.spec.kind != "tokens":
        raise DatasetError(f"the bag-of-words baseline needs a token dataset; {bundle.name!r} is {bundle.spec.kind!r}")
    v = bundle.spec.vocab_size
    x = torch.cat([bundle.train.tensors[0], bundle.val.tensors[0]])
    y = torch.cat([bundle.train.tensors[1], bundle.val.tensors[1]]).numpy()
    clf = LogisticRegression(max_iter=2000, random_state=seed).fit(bag_of_words(x, v), y)
    xt, yt = bundle.test.tensors
    return float((clf.predict(bag_of_words(xt, v)) == yt.numpy()).mean())
