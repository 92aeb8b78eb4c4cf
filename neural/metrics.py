"""Metrics: classification scores, reconstruction error, negative ELBO, Fréchet distance.

The Fréchet distance follows Heusel et al. 2017 (FID) but in the feature space of kgn's own
trained classifier (its penultimate layer) instead of Inception, so it works on 8x8 digits
offline; numbers are comparable only at the same sample size and with the same classifier,
hence they are always reported beside real-vs-real and noise baselines.
"""

from __future__ import annotations

import numpy as np
import torch


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Rows are true classes, columns predicted classes."""
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def classification_scores(y_true, y_pred, n_classes: int) -> dict[str, float]:
    """Accuracy and macro-averaged precision, recall and F1 (classes absent from both count 0)."""
    cm = confusion_matrix(y_true, y_pred, n_classes)
    tp = np.diag(cm).astype(np.float64)
    pred, true = cm.sum(0).astype(np.float64), cm.sum(1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(pred > 0, tp / pred, 0.0)
        recall = np.where(true > 0, tp / true, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    present = (true > 0) | (pred > 0)  # macro average over classes that occur at all
    n = max(int(present.sum()), 1)
    return {
        "accuracy": float(tp.sum() / max(cm.sum(), 1)),
        "macro_precision": float(precision[present].sum() / n),
        "macro_recall": float(recall[present].sum() / n),
        "macro_f1": float(f1[present].sum() / n),
    }


def reconstruction_error(x: torch.Tensor, x_hat: torch.Tensor) -> float:
    """Mean squared error per pixel."""
    return float(torch.mean((x.float() - x_hat.float()) ** 2))


def negative_elbo(recon_nll: torch.Tensor, kl: torch.Tensor) -> torch.Tensor:
    """-ELBO in nats per example: reconstruction negative log-likelihood plus KL(q(z|x) || p(z))."""
    return recon_nll + kl


def _sqrtm_psd(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(feats_a: np.ndarray, feats_b: np.ndarray) -> float:
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2) between Gaussians fitted
    to two feature sets (rows are samples)."""
    a, b = np.asarray(feats_a, dtype=np.float64), np.asarray(feats_b, dtype=np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _sqrtm_psd(s_a)
    # Tr((S_a S_b)^1/2) equals Tr((S_a^1/2 S_b S_a^1/2)^1/2), whose argument is symmetric PSD.
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ s_b @ root_a), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * cross)


@torch.no_grad()
def features(classifier, images: torch.Tensor, batch_size: int = 256) -> np.ndarray:
    """Penultimate-layer features of ``classifier`` (a model with a ``features`` method)."""
    classifier.eval()
    device = next(classifier.parameters()).device
    out = [classifier.features(images[i : i + batch_size].to(device)).float().cpu() for i in range(0, len(images), batch_size)]
    return torch.cat(out).numpy()


def frechet_report(classifier, generated: torch.Tensor, real_a: torch.Tensor, real_b: torch.Tensor,
                   seed: int = 0) -> dict[str, float]:
    """FD of generated vs real_a, beside real_b vs real_a (floor) and uniform noise vs real_a
    (ceiling). All three sets must have the same size: FD is biased by sample size."""
    n = len(real_a)
    if not (len(generated) == len(real_b) == n):
        raise ValueError(f"Fréchet sets must have one size; got {len(generated)}, {len(real_a)}, {len(real_b)}")
    g = torch.Generator().manual_seed(seed)
    noise = torch.rand(real_a.shape, generator=g)
    fa = features(classifier, real_a)
    return {
        "fd": frechet_distance(features(classifier, generated), fa),
        "fd_real_vs_real": frechet_distance(features(classifier, real_b), fa),
        "fd_noise": frechet_distance(features(classifier, noise), fa),
        "fd_n": float(n),
    }
