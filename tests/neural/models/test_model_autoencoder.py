import pytest
import torch

from neural.data.base import DataSpec
from neural.errors import DatasetError
from neural.models import get_model
from tests.neural.tiny import image_data, overfit


@pytest.mark.parametrize("name", ["autoencoder", "conv_autoencoder"])
def test_shapes_and_code(image_spec, name):
    model = get_model(name, image_spec, code=5).eval()
    x, _ = image_data(4)
    out = model(x)
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1
    assert model.encode(x).shape == (4, 5)


@pytest.mark.parametrize("name", ["autoencoder", "conv_autoencoder"])
def test_overfits_a_tiny_batch(image_spec, name):
    torch.manual_seed(0)
    x, y = image_data(16)
    hist = overfit(get_model(name, image_spec), x, y, epochs=60, lr=1e-2)
    assert hist[-1]["train_recon_mse"] < 0.3 * hist[0]["train_recon_mse"]


def test_conv_needs_sides_divisible_by_4():
    with pytest.raises(DatasetError, match="divisible by 4"):
        get_model("conv_autoencoder", DataSpec(kind="image", channels=1, height=10, width=10))


def test_wrong_input_kind(token_spec):
    with pytest.raises(DatasetError, match="kind 'image'"):
        get_model("autoencoder", token_spec)
