"""Models by name: one explicit table; ``get_model`` builds one for a dataset's spec."""

from __future__ import annotations

from typing import Any

from kg.errors import UnknownNameError

from neural.data.base import DataSpec
from neural.models.attention import AttentionClassifier
from neural.models.autoencoder import ConvAutoencoder, DenseAutoencoder
from neural.models.base import Classifier, Generative, Model, build_config
from neural.models.cnn import CNN
from neural.models.gan import GAN
from neural.models.rnn import RNNClassifier
from neural.models.text_cnn import TextCNN
from neural.models.vae import ConvVAE

MODELS: dict[str, type[Model]] = {
    "cnn": CNN,
    "text_cnn": TextCNN,
    "rnn": RNNClassifier,
    "autoencoder": DenseAutoencoder,
    "conv_autoencoder": ConvAutoencoder,
    "vae": ConvVAE,
    "gan": GAN,
    "attention": AttentionClassifier,
}


def model_class(name: str) -> type[Model]:
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownNameError("model", name, MODELS) from None


def get_model(name: str, spec: DataSpec, **config: Any) -> Model:
    """Build model ``name`` for inputs described by ``spec``; ``config`` overrides its settings."""
    cls = model_class(name)
    return cls(spec, build_config(cls.Config, config, name))


__all__ = ["MODELS", "Model", "Classifier", "Generative", "get_model", "model_class"]
