"""Convolutional variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational
Bayes"): a Gaussian encoder q(z|x), the reparameterisation z = mu + sigma * eps, a decoder
p(x|z) with Bernoulli pixel likelihood, and the ELBO = E[log p(x|z)] - KL(q(z|x) || N(0, I)).

Losses are reported in nats per image. Pixel intensities in [0, 1] are treated as Bernoulli
means (the usual choice for grey-level digits), so the "likelihood" is the cross-entropy.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional as F

from neural.metrics import negative_elbo
from neural.models.autoencoder import ConvDecoder, ConvEncoder, check_divisible_by_4
from neural.models.base import Generative, ModelConfig


@dataclass
class VAEConfig(ModelConfig):
    channels: int = 32
    latent: int = 8


class ConvVAE(Generative):
    name = "vae"
    input_kind = "image"
    Config = VAEConfig
    monitor = "val_neg_elbo"
    monitor_mode = "min"

    def __init__(self, spec, config: VAEConfig | None = None):
        super().__init__(spec, config)
        check_divisible_by_4(spec, self.name)
        c = self.config
        self.encoder = ConvEncoder(spec, c.channels, 2 * c.latent)  # -> (mu, log variance)
        self.decoder = ConvDecoder(spec, c.channels, c.latent)

    def encode(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar.clamp(-12, 12)

    def reparameterise(self, mu, logvar):
        return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)

    def decode(self, z):
        return torch.sigmoid(self.decoder(z))

    def forward(self, x):
        mu, logvar = self.encode(x)
        return self.decode(self.reparameterise(mu, logvar)) if self.training else self.decode(mu)

    def loss(self, batch):
        x = batch[0]
        mu, logvar = self.encode(x)
        logits = self.decoder(self.reparameterise(mu, logvar)).float()
        mu, logvar = mu.float(), logvar.float()
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(1)
        nelbo = negative_elbo(recon, kl).mean()
        mse = F.mse_loss(torch.sigmoid(logits), x)
        return nelbo, {
            "loss": float(nelbo.detach()), "neg_elbo": float(nelbo.detach()),
            "recon_nll": float(recon.mean().detach()), "kl": float(kl.mean().detach()),
            "recon_mse": float(mse.detach()),
        }

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        self.eval()
        z = torch.randn(n, self.config.latent, generator=generator).to(self.device)
        return self.decode(z)

    @torch.no_grad()
    def interpolate(self, x_a: torch.Tensor, x_b: torch.Tensor, steps: int = 8) -> torch.Tensor:
        """Decode ``steps`` points on the straight line between the posterior means of two images."""
        self.eval()
        mu_a, _ = self.encode(x_a.reshape(1, *self.image_shape).to(self.device))
        mu_b, _ = self.encode(x_b.reshape(1, *self.image_shape).to(self.device))
        t = torch.linspace(0, 1, steps, device=self.device)[:, None]
        return self.decode(mu_a + t * (mu_b - mu_a))
