import pytest
import torch

from neural.data import load_dataset
from neural.data.baseline import bag_of_words, bag_of_words_accuracy
from neural.errors import DatasetError


def test_counts_drop_padding():
    counts = bag_of_words(torch.tensor([[2, 2, 3, 0], [1, 0, 0, 0]]), vocab_size=4)
    assert counts.tolist() == [[0, 2, 1], [1, 0, 0]]


def test_near_chance_on_the_order_task_but_not_on_word_evidence():
    order = load_dataset("order", n_train=1500, n_val=100, n_test=600)
    assert abs(bag_of_words_accuracy(order) - 0.5) < 0.08
    # Same splits with the label rewritten to "does filler w0 occur": counts suffice.
    for ds in (order.train, order.val, order.test):
        x, y = ds.tensors
        y.copy_((x == 4).any(1).long())
    assert bag_of_words_accuracy(order) > 0.95


def test_needs_tokens(image_bundle):
    with pytest.raises(DatasetError, match="token dataset"):
        bag_of_words_accuracy(image_bundle)
