"""DCGAN-style generative adversarial network (Goodfellow et al. 2014, "Generative Adversarial
Nets"; architecture after Radford et al. 2016, "Unsupervised Representation Learning with Deep
Convolutional GANs": transposed-conv generator with batch norm and ReLU, strided-conv
discriminator with LeakyReLU, Adam lr 2e-4, beta1 0.5) trained with the non-saturating
generator loss -log D(G(z)).

It has two optimizers, so it overrides ``training_step``; the Trainer's loop is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from neural.models.autoencoder import check_divisible_by_4
from neural.models.base import Generative, ModelConfig


@dataclass
class GANConfig(ModelConfig):
    latent: int = 32
    g_channels: int = 64
    d_channels: int = 64
    beta1: float = 0.5


class Generator(nn.Module):
    def __init__(self, spec, latent: int, ch: int):
        super().__init__()
        self.shape = (2 * ch, spec.height // 4, spec.width // 4)
        self.fc = nn.Linear(latent, 2 * ch * (spec.height // 4) * (spec.width // 4), bias=False)
        self.net = nn.Sequential(
            nn.BatchNorm2d(2 * ch), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(2 * ch, ch, 4, 2, 1, bias=False), nn.BatchNorm2d(ch), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(ch, spec.channels, 4, 2, 1), nn.Tanh(),
        )

    def forward(self, z):
        return (self.net(self.fc(z).view(-1, *self.shape)) + 1) / 2  # tanh range -> [0, 1]


class Discriminator(nn.Module):
    def __init__(self, spec, ch: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(spec.channels, ch, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ch, 2 * ch, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * ch), nn.LeakyReLU(0.2, inplace=True),
            nn.Flatten(), nn.Linear(2 * ch * (spec.height // 4) * (spec.width // 4), 1),
        )

    def forward(self, x):
        return self.net(x * 2 - 1).squeeze(1)  # the generator's [-1, 1] scale, as in DCGAN


class GAN(Generative):
    name = "gan"
    input_kind = "image"
    Config = GANConfig
    monitor = None  # GAN losses do not measure sample quality; keep the last epoch
    default_lr = 2e-4

    def __init__(self, spec, config: GANConfig | None = None):
        super().__init__(spec, config)
        check_divisible_by_4(spec, self.name)
        c = self.config
        self.generator = Generator(spec, c.latent, c.g_channels)
        self.discriminator = Discriminator(spec, c.d_channels)

    def forward(self, z):
        return self.generator(z)

    def configure_optimizers(self, tcfg):
        lr = tcfg.lr if tcfg.lr is not None else self.default_lr
        betas = (self.config.beta1, 0.999)
        return [
            torch.optim.Adam(self.generator.parameters(), lr=lr, betas=betas, weight_decay=tcfg.weight_decay),
            torch.optim.Adam(self.discriminator.parameters(), lr=lr, betas=betas, weight_decay=tcfg.weight_decay),
        ]

    def _noise(self, n):
        return torch.randn(n, self.config.latent, device=self.device)

    def _d_loss(self, real, fake):
        d_real, d_fake = self.discriminator(real).float(), self.discriminator(fake).float()
        loss = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
            F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
        return loss, d_real, d_fake

    def _g_loss(self, fake):
        d_fake = self.discriminator(fake).float()
        # Non-saturating: maximise log D(G(z)) instead of minimising log(1 - D(G(z))).
        return F.binary_cross_entropy_with_logits(d_fake, torch.ones_like(d_fake))

    def training_step(self, batch, trainer):
        opt_g, opt_d = trainer.optimizers
        real = batch[0]
        with trainer.autocast():
            fake = self.generator(self._noise(len(real)))
            d_loss, d_real, d_fake = self._d_loss(real, fake.detach())
        trainer.backward_step(d_loss, opt_d, self.discriminator.parameters())
        with trainer.autocast():
            g_loss = self._g_loss(fake)
        trainer.backward_step(g_loss, opt_g, self.generator.parameters())
        return {
            "loss": float(d_loss.detach() + g_loss.detach()), "d_loss": float(d_loss.detach()),
            "g_loss": float(g_loss.detach()), "d_real": float(torch.sigmoid(d_real.detach()).mean()),
            "d_fake": float(torch.sigmoid(d_fake.detach()).mean()),
        }

    def loss(self, batch):
        real = batch[0]
        fake = self.generator(self._noise(len(real)))
        d_loss, d_real, d_fake = self._d_loss(real, fake)
        g_loss = self._g_loss(fake)
        return d_loss + g_loss, {
            "loss": float(d_loss + g_loss), "d_loss": float(d_loss), "g_loss": float(g_loss),
            "d_real": float(torch.sigmoid(d_real).mean()), "d_fake": float(torch.sigmoid(d_fake).mean()),
        }

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        self.eval()
        z = torch.randn(n, self.config.latent, generator=generator).to(self.device)
        return self.generator(z)
