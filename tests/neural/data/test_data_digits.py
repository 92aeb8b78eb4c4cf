import numpy as np
import pytest

from kg.errors import UnknownNameError
from neural.data import DATASETS, load_dataset


def test_fixed_stratified_split():
    b = load_dataset("digits")
    assert (len(b.train), len(b.val), len(b.test)) == (1293, 144, 360)
    x, y = b.test.tensors
    assert x.shape[1:] == (1, 8, 8) and 0 <= float(x.min()) and float(x.max()) <= 1
    assert np.bincount(y.numpy(), minlength=10).min() >= 35  # stratified: ~36 per class
    again = load_dataset("digits")
    assert (again.test.tensors[1] == y).all()


def test_unknown_dataset_lists_choices():
    with pytest.raises(UnknownNameError) as err:
        load_dataset("cifar")
    assert all(name in str(err.value) for name in DATASETS)
