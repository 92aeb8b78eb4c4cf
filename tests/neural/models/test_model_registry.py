import pytest

from kg.errors import UnknownNameError
from neural.errors import ConfigError
from neural.models import MODELS, get_model


def test_unknown_model_lists_choices(image_spec):
    with pytest.raises(UnknownNameError) as err:
        get_model("resnet", image_spec)
    msg = str(err.value)
    assert "resnet" in msg and all(name in msg for name in MODELS)


def test_every_model_cites_a_paper():
    for name, cls in MODELS.items():
        assert cls.name == name
        doc = (cls.__doc__ or "") + (__import__(cls.__module__, fromlist=["x"]).__doc__ or "")
        assert any(ch.isdigit() for ch in doc), f"{name} docstring cites no paper (year)"


def test_settings_coerced_from_strings(token_spec):
    model = get_model("rnn", token_spec, hidden="16", bidirectional="true", cell="gru")
    assert model.config.hidden == 16 and model.config.bidirectional is True
    with pytest.raises(ConfigError, match="wants a int"):
        get_model("rnn", token_spec, hidden="many")
    with pytest.raises(ConfigError, match="no setting 'hiden'"):
        get_model("rnn", token_spec, hiden=3)
