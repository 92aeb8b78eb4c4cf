import math

import torch

from neural.models import get_model
from tests.neural.tiny import image_data, overfit


def test_shapes_sample_and_interpolate(image_spec):
    model = get_model("vae", image_spec, latent=4)
    x, _ = image_data(4)
    mu, logvar = model.encode(x)
    assert mu.shape == logvar.shape == (4, 4)
    assert model.eval()(x).shape == x.shape
    s = model.sample(6, generator=torch.Generator().manual_seed(0))
    assert s.shape == (6, 1, 8, 8) and s.min() >= 0 and s.max() <= 1
    path = model.interpolate(x[0], x[1], steps=5)
    assert path.shape == (5, 1, 8, 8)
    mu0, _ = model.encode(x[:2])
    assert torch.allclose(path[0], model.decode(mu0[:1])[0], atol=1e-5)


def test_elbo_terms_are_consistent(image_spec):
    torch.manual_seed(0)
    model = get_model("vae", image_spec)
    x, y = image_data(8)
    loss, logs = model.loss((x, y))
    assert math.isclose(logs["neg_elbo"], logs["recon_nll"] + logs["kl"], rel_tol=1e-5)
    assert logs["kl"] >= 0 and float(loss.detach()) == logs["neg_elbo"]


def test_reparameterisation_is_differentiable(image_spec):
    model = get_model("vae", image_spec)
    mu = torch.zeros(3, 8, requires_grad=True)
    logvar = torch.zeros(3, 8, requires_grad=True)
    model.reparameterise(mu, logvar).sum().backward()
    assert mu.grad is not None and logvar.grad is not None and logvar.grad.abs().sum() > 0


def test_overfits_a_tiny_batch(image_spec):
    torch.manual_seed(0)
    x, y = image_data(16)
    hist = overfit(get_model("vae", image_spec), x, y, epochs=60, lr=1e-2)
    assert hist[-1]["train_neg_elbo"] < 0.7 * hist[0]["train_neg_elbo"]
