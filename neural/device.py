"""Choose the torch device once, from 'auto', 'cpu', 'cuda' (or 'cuda:N') or 'mps'."""

from __future__ import annotations

import torch

from neural.errors import DeviceError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def _auto() -> torch.device:
    # torch >= 2.6 knows the current accelerator; older torch (>= 2.4) needs the explicit checks.
    accel = getattr(torch, "accelerator", None)
    if accel is not None and hasattr(accel, "current_accelerator"):
        if accel.is_available():
            dev = accel.current_accelerator()
            if dev is not None and dev.type in ("cuda", "mps"):
                return torch.device(dev.type)
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def resolve_device(name: str | torch.device = "auto") -> torch.device:
    """The device for ``name``; raises DeviceError if it was asked for but is not there."""
    if isinstance(name, torch.device):
        return name
    name = (name or "auto").strip().lower()
    if name == "auto":
        return _auto()
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise DeviceError(f"device {name!r} was asked for but CUDA is not available here")
        return torch.device(name)
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise DeviceError("device 'mps' was asked for but MPS is not available here")
        return torch.device("mps")
    raise DeviceError(f"unknown device {name!r}; choose one of: {', '.join(DEVICE_CHOICES)}")
