import pytest
import torch

from neural.device import resolve_device
from neural.errors import DeviceError


def test_cpu_and_auto():
    assert resolve_device("cpu") == torch.device("cpu")
    auto = resolve_device("auto")
    assert auto.type in ("cpu", "cuda", "mps")
    if not torch.cuda.is_available():
        assert auto.type in ("cpu", "mps")


def test_auto_without_the_accelerator_api(monkeypatch):
    # torch < 2.6 has no torch.accelerator: the explicit cuda / mps checks take over.
    monkeypatch.delattr(torch, "accelerator", raising=False)
    expected = "cuda" if torch.cuda.is_available() else None
    assert resolve_device("auto").type in ((expected,) if expected else ("cpu", "mps"))


def test_unavailable_or_unknown_devices():
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="CUDA is not available"):
            resolve_device("cuda")
    with pytest.raises(DeviceError, match="choose one of"):
        resolve_device("tpu")
