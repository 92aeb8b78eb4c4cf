import numpy as np
import pytest
import torch
from sklearn.metrics import f1_score, precision_score, recall_score

from neural.metrics import (
    classification_scores,
    confusion_matrix,
    frechet_distance,
    frechet_report,
    reconstruction_error,
)


def test_scores_match_scikit_learn():
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    s = classification_scores(y, p, 4)
    assert s["accuracy"] == pytest.approx((y == p).mean())
    assert s["macro_precision"] == pytest.approx(precision_score(y, p, average="macro"))
    assert s["macro_recall"] == pytest.approx(recall_score(y, p, average="macro"))
    assert s["macro_f1"] == pytest.approx(f1_score(y, p, average="macro"))
    cm = confusion_matrix(y, p, 4)
    assert cm.sum() == 200 and cm[1, 2] == ((y == 1) & (p == 2)).sum()


def test_reconstruction_error():
    assert reconstruction_error(torch.zeros(2, 3), torch.ones(2, 3)) == 1.0


def test_frechet_distance_of_known_gaussians():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(20000, 3))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    # N(0, I) vs N(m, 4I): |m|^2 + tr(I + 4I - 2 * 2I) = |m|^2 + 3
    b = rng.normal(size=(20000, 3)) * 2 + np.array([1.0, 0.0, 2.0])
    assert frechet_distance(a, b) == pytest.approx(5.0 + 3.0, rel=0.05)


def test_frechet_report_orders_baselines():
    class Identity(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def features(self, x):
            return x.flatten(1)[:, :6]

    g = torch.Generator().manual_seed(0)
    real_a, real_b = torch.rand(400, 1, 3, 3, generator=g) * 0.2, torch.rand(400, 1, 3, 3, generator=g) * 0.2
    gen = torch.rand(400, 1, 3, 3, generator=g) * 0.2 + 0.1
    r = frechet_report(Identity(), gen, real_a, real_b)
    assert r["fd_real_vs_real"] < r["fd"] < r["fd_noise"] and r["fd_n"] == 400
    with pytest.raises(ValueError, match="one size"):
        frechet_report(Identity(), gen[:10], real_a, real_b)
