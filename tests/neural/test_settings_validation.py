"""Trainer and model settings refuse impossible values with a message naming the option."""

from __future__ import annotations

import pytest

from neural.errors import ConfigError
from neural.models import model_class
from neural.models.base import build_config, parse_settings
from neural.trainer import TrainerConfig


@pytest.mark.parametrize("field,value,option", [
    ("epochs", 0, "--epochs"), ("batch_size", 0, "--batch-size"), ("lr", -1.0, "--lr"),
    ("lr", float("nan"), "--lr"), ("weight_decay", -1.0, "--weight-decay"),
    ("grad_clip", -1.0, "--grad-clip"), ("patience", 0, "--patience"), ("mode", "up", "--mode"),
])
def test_trainer_config_rejects(field, value, option):
    with pytest.raises(ConfigError, match=option):
        TrainerConfig(**{field: value})


def test_trainer_config_accepts_the_edges():
    TrainerConfig(epochs=1, lr=0.0, weight_decay=0.0, grad_clip=0.0, patience=1)
    TrainerConfig(lr=None, grad_clip=None, patience=None)


@pytest.mark.parametrize("model,setting,value", [
    ("cnn", "dropout", "2"), ("cnn", "dropout", "-0.1"), ("cnn", "hidden", "-1"), ("cnn", "channels1", "0"),
    ("rnn", "layers", "0"), ("gan", "beta1", "1.5"), ("vae", "latent", "0"), ("attention", "heads", "-2"),
])
def test_model_settings_reject(model, setting, value):
    with pytest.raises(ConfigError, match=f"{setting} \\(--set {setting}=...\\)"):
        build_config(model_class(model).Config, {setting: value}, model)


def test_model_settings_accept_zero_where_zero_means_off():
    cfg = build_config(model_class("cnn").Config, {"augment_shift": "0", "dropout": "0"}, "cnn")
    assert cfg.augment_shift == 0 and cfg.dropout == 0.0


def test_set_pairs_parse_and_a_pair_without_equals_is_refused():
    assert parse_settings(("dim = 64", "loss=margin", "note=a=b")) == {"dim": "64", "loss": "margin", "note": "a=b"}
    for bad in ("dim", "=3"):
        with pytest.raises(ConfigError, match="KEY=VALUE"):
            parse_settings((bad,))
