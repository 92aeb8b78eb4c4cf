import pytest
import torch

from neural.errors import ConfigError
from neural.models import get_model
from tests.neural.tiny import overfit, token_data


def test_shapes(token_spec):
    model = get_model("text_cnn", token_spec).eval()
    x, _ = token_data(4)
    assert model(x).shape == (4, 2)


def test_padding_does_not_change_the_output(token_spec):
    model = get_model("text_cnn", token_spec).eval()
    x, _ = token_data(3)
    wider = torch.cat([x, torch.zeros(3, 5, dtype=torch.long)], dim=1)
    assert torch.allclose(model(x), model(wider), atol=1e-6)


def test_overfits_a_tiny_batch(token_spec):
    torch.manual_seed(0)
    x, y = token_data(16)
    hist = overfit(get_model("text_cnn", token_spec, dropout=0.0), x, y, epochs=30)
    assert hist[-1]["train_loss"] < 0.3 * hist[0]["train_loss"]


def test_bad_kernel_sizes(token_spec):
    with pytest.raises(ConfigError, match="kernel_sizes"):
        get_model("text_cnn", token_spec, kernel_sizes="3,x")
