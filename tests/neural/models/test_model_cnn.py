import torch

from neural.models import get_model
from neural.models.cnn import random_shift
from tests.neural.tiny import image_data, overfit


def test_shapes_and_features(image_spec):
    model = get_model("cnn", image_spec).eval()
    x, _ = image_data(5)
    assert model(x).shape == (5, 3)
    assert model.features(x).shape == (5, model.config.hidden)


def test_works_on_28x28_images():
    from neural.data.base import DataSpec

    spec = DataSpec(kind="image", n_classes=10, channels=1, height=28, width=28)
    assert get_model("cnn", spec).eval()(torch.rand(2, 1, 28, 28)).shape == (2, 10)


def test_overfits_a_tiny_batch(image_spec):
    torch.manual_seed(0)
    x, y = image_data(16)
    hist = overfit(get_model("cnn", image_spec, dropout=0.0), x, y, epochs=25)
    assert hist[-1]["train_loss"] < 0.3 * hist[0]["train_loss"]


def test_random_shift_moves_content_by_at_most_one_pixel():
    torch.manual_seed(0)
    x = torch.zeros(50, 1, 8, 8)
    x[:, 0, 4, 4] = 1.0
    out = random_shift(x, 1)
    assert out.shape == x.shape
    ys, xs = torch.nonzero(out[:, 0], as_tuple=True)[1:]
    assert ((ys - 4).abs() <= 1).all() and ((xs - 4).abs() <= 1).all()
    assert len({(int(a), int(b)) for a, b in zip(ys, xs)}) > 3  # not always the same shift
    assert torch.equal(random_shift(x, 0), x)
