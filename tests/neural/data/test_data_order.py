import numpy as np

from neural.data import load_dataset
from neural.data.order import A, B, make_order_task


def test_label_is_whether_a_precedes_b():
    x, y = make_order_task(200, seq_len=12, seed=3)
    for row, label in zip(x.tolist(), y.tolist()):
        assert row.count(A) == 1 and row.count(B) == 1
        assert label == int(row.index(A) < row.index(B))
    assert 0.35 < y.float().mean() < 0.65


def test_bag_of_words_cannot_separate_the_classes():
    # Same token counts in distribution: mean count vectors of the classes nearly coincide.
    x, y = make_order_task(4000, seed=0)
    counts = np.stack([np.bincount(r, minlength=24) for r in x.numpy()])
    gap = np.abs(counts[y.numpy() == 1].mean(0) - counts[y.numpy() == 0].mean(0)).max()
    assert gap < 0.1


def test_bundle_is_reproducible_and_splits_differ():
    a, b = load_dataset("order", n_train=50, n_val=10, n_test=20), load_dataset("order", n_train=50, n_val=10, n_test=20)
    assert (a.train.tensors[0] == b.train.tensors[0]).all()
    assert not (a.train.tensors[0][:10] == a.val.tensors[0]).all()
    assert a.spec.vocab_size == len(a.vocab) and a.spec.n_classes == 2
