import pytest
import torch

from neural.errors import ConfigError
from neural.models import get_model
from neural.models.attention import sinusoidal_positions
from tests.neural.tiny import overfit, token_data


def test_shapes_and_attention_weights(token_spec):
    model = get_model("attention", token_spec, layers=2, heads=4).eval()
    x, _ = token_data(3)
    logits, attn = model(x, return_attention=True)
    assert logits.shape == (3, 2)
    assert len(attn) == 2 and attn[0].shape == (3, 4, 10, 10)
    # Rows are distributions over keys, and padded keys get no weight.
    assert torch.allclose(attn[0].sum(-1), torch.ones(3, 4, 10), atol=1e-5)
    pad = (x == 0)[:, None, None, :].expand_as(attn[0])
    assert attn[0][pad].abs().max() == 0


def test_padding_does_not_change_the_output(token_spec):
    model = get_model("attention", token_spec).eval()
    x, _ = token_data(3)
    wider = torch.cat([x, torch.zeros(3, 4, dtype=torch.long)], dim=1)
    assert torch.allclose(model(x), model(wider), atol=1e-5)


def test_positional_encoding_table():
    table = sinusoidal_positions(5, 8)
    assert table.shape == (5, 8)
    assert torch.allclose(table[0, 0::2], torch.zeros(4)) and torch.allclose(table[0, 1::2], torch.ones(4))


def test_overfits_a_tiny_batch(token_spec):
    torch.manual_seed(0)
    x, y = token_data(16)
    hist = overfit(get_model("attention", token_spec, dropout=0.0), x, y, epochs=40)
    assert hist[-1]["train_loss"] < 0.3 * hist[0]["train_loss"]


def test_heads_must_divide_width(token_spec):
    with pytest.raises(ConfigError, match="divisible"):
        get_model("attention", token_spec, d_model=30, heads=4)
