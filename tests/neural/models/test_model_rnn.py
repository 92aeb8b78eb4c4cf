import pytest
import torch

from neural.errors import ConfigError
from neural.models import get_model
from tests.neural.tiny import overfit, token_data


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_shapes(token_spec, cell, bidirectional):
    model = get_model("rnn", token_spec, cell=cell, bidirectional=bidirectional, layers=2).eval()
    x, _ = token_data(4)
    assert model(x).shape == (4, 2)


def test_trailing_padding_is_ignored(token_spec):
    model = get_model("rnn", token_spec).eval()
    x, _ = token_data(3)
    wider = torch.cat([x, torch.zeros(3, 4, dtype=torch.long)], dim=1)
    assert torch.allclose(model(x), model(wider), atol=1e-6)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_overfits_a_tiny_batch(token_spec, cell):
    torch.manual_seed(0)
    x, y = token_data(16)
    hist = overfit(get_model("rnn", token_spec, cell=cell, dropout=0.0), x, y, epochs=40, lr=1e-2)
    assert hist[-1]["train_loss"] < 0.3 * hist[0]["train_loss"]


def test_unknown_cell(token_spec):
    with pytest.raises(ConfigError, match="cell"):
        get_model("rnn", token_spec, cell="transformer")
