"""scikit-learn's bundled 8x8 handwritten digits (1,797 images, offline).

Split: a fixed stratified 80/20 train/test split (``split_seed``), then 10% of train held out,
stratified, as validation for early stopping; the test split is touched only for final scores.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import TensorDataset

from neural.data.base import DataBundle, DataSpec


def digits_arrays(split_seed: int = 0):
    """(x_train, y_train, x_val, y_val, x_test, y_test) as numpy, x in [0, 1] shaped [N, 1, 8, 8]."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    x = (d.data.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = d.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.2, stratify=y, random_state=split_seed)
    x_tr, x_va, y_tr, y_va = train_test_split(
        x_tr, y_tr, test_size=0.1, stratify=y_tr, random_state=split_seed
    )
    return x_tr, y_tr, x_va, y_va, x_te, y_te


def load_digits_bundle(data_dir=None, split_seed: int = 0, **_ignored) -> DataBundle:
    x_tr, y_tr, x_va, y_va, x_te, y_te = digits_arrays(split_seed)

    def ds(x, y):
        return TensorDataset(torch.from_numpy(x), torch.from_numpy(y))

    return DataBundle(
        name="digits",
        spec=DataSpec(kind="image", n_classes=10, channels=1, height=8, width=8),
        train=ds(x_tr, y_tr),
        val=ds(x_va, y_va),
        test=ds(x_te, y_te),
        labels=[str(i) for i in range(10)],
        params={"split_seed": split_seed},
    )
