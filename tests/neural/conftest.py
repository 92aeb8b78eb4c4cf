"""Shared fixtures for the neural tests: tiny tensors built in memory, one CPU thread."""

from __future__ import annotations

import pytest
import torch
from torch.utils.data import TensorDataset

from neural.data.base import DataBundle, DataSpec
from tests.neural.tiny import image_data, token_data


@pytest.fixture(autouse=True)
def _one_thread():
    # The test machines have 2 cores shared with other test processes; with 2 intra-op threads
    # torch spins and slows down by an order of magnitude under contention.
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture
def image_spec():
    return DataSpec(kind="image", n_classes=3, channels=1, height=8, width=8)


@pytest.fixture
def token_spec():
    return DataSpec(kind="tokens", n_classes=2, vocab_size=12, seq_len=10)


@pytest.fixture
def image_bundle(image_spec):
    x, y = image_data(32)
    xv, yv = image_data(12, seed=1)
    return DataBundle(name="tiny-images", spec=image_spec, train=TensorDataset(x, y), val=TensorDataset(xv, yv),
                      test=TensorDataset(xv, yv), labels=["0", "1", "2"])


@pytest.fixture
def token_bundle(token_spec):
    x, y = token_data(32)
    xv, yv = token_data(12, seed=1)
    return DataBundle(name="tiny-tokens", spec=token_spec, train=TensorDataset(x, y), val=TensorDataset(xv, yv),
                      test=TensorDataset(xv, yv), labels=["b", "a"], vocab=["<pad>", "<unk>"] + [f"t{i}" for i in range(10)])
