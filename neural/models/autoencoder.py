"""Autoencoders: a dense one and a convolutional one, each squeezing an image through a
low-dimensional code and reconstructing it (Hinton & Salakhutdinov 2006, "Reducing the
Dimensionality of Data with Neural Networks"). Trained on mean squared error.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from neural.errors import DatasetError
from neural.models.base import Model, ModelConfig


@dataclass
class DenseAEConfig(ModelConfig):
    hidden: int = 128
    code: int = 8


@dataclass
class ConvAEConfig(ModelConfig):
    channels: int = 32
    code: int = 8


class _Autoencoder(Model):
    input_kind = "image"
    monitor = "val_recon_mse"
    monitor_mode = "min"

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    def loss(self, batch):
        x = batch[0]
        x_hat = self(x)
        mse = F.mse_loss(x_hat.float(), x)
        return mse, {"loss": float(mse.detach()), "recon_mse": float(mse.detach())}


class DenseAutoencoder(_Autoencoder):
    name = "autoencoder"
    Config = DenseAEConfig

    def __init__(self, spec, config: DenseAEConfig | None = None):
        super().__init__(spec, config)
        c, d = self.config, spec.channels * spec.height * spec.width
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(d, c.hidden), nn.ReLU(inplace=True), nn.Linear(c.hidden, c.code))
        self.decoder = nn.Sequential(nn.Linear(c.code, c.hidden), nn.ReLU(inplace=True), nn.Linear(c.hidden, d), nn.Sigmoid())

    def encode(self, x):
        return self.encoder(x)

    def decode(self, z):
        return self.decoder(z).view(-1, self.spec.channels, self.spec.height, self.spec.width)


def check_divisible_by_4(spec, name: str) -> None:
    if spec.height % 4 or spec.width % 4:
        raise DatasetError(f"model {name!r} needs image sides divisible by 4; got {spec.height}x{spec.width}")


class ConvEncoder(nn.Module):
    """Two stride-2 convolutions (side / 4) then a linear map to ``out`` features."""

    def __init__(self, spec, channels: int, out: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(spec.channels, channels // 2, 3, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(channels // 2, channels, 3, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.Flatten(), nn.Linear(channels * (spec.height // 4) * (spec.width // 4), out),
        )

    def forward(self, x):
        return self.net(x)


class ConvDecoder(nn.Module):
    """A linear map to a (side / 4) feature map, then two stride-2 transposed convolutions;
    returns logits (apply a sigmoid for pixel intensities)."""

    def __init__(self, spec, channels: int, code: int):
        super().__init__()
        self.shape = (channels, spec.height // 4, spec.width // 4)
        self.fc = nn.Linear(code, channels * (spec.height // 4) * (spec.width // 4))
        self.net = nn.Sequential(
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(channels, channels // 2, 4, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(channels // 2, spec.channels, 4, stride=2, padding=1),
        )

    def forward(self, z):
        return self.net(self.fc(z).view(-1, *self.shape))


class ConvAutoencoder(_Autoencoder):
    name = "conv_autoencoder"
    Config = ConvAEConfig

    def __init__(self, spec, config: ConvAEConfig | None = None):
        super().__init__(spec, config)
        check_divisible_by_4(spec, self.name)
        c = self.config
        self.encoder = ConvEncoder(spec, c.channels, c.code)
        self.decoder = ConvDecoder(spec, c.channels, c.code)

    def encode(self, x):
        return self.encoder(x)

    def decode(self, z):
        return torch.sigmoid(self.decoder(z))
