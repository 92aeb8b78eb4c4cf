"""Checkpoints: one file written by ``torch.save`` holding only tensors and plain values
(dicts, lists, str, int, float, bool, None), read back with ``torch.load(weights_only=True)``.

``weights_only=True`` runs a restricted unpickler: a file that holds pickled code (any custom
class or function) is refused, so opening someone else's checkpoint cannot run their code.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import torch

from neural.errors import CheckpointError

FORMAT = "kgn-neural-checkpoint"
VERSION = 1


def save_checkpoint(path: str | os.PathLike, payload: dict[str, Any]) -> Path:
    """Write ``payload`` (plus format tag) atomically: a crash mid-write leaves the old file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "version": VERSION, **payload}
    tmp = path.with_name(path.name + ".tmp")
    torch.save(data, tmp)
    os.replace(tmp, path)
    return path


def load_checkpoint(path: str | os.PathLike) -> dict[str, Any]:
    """Read a checkpoint onto the CPU; raise CheckpointError for anything but a kgn checkpoint."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {str(path)!r} does not exist or is not a file")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(
            f"checkpoint {str(path)!r} holds pickled code or objects other than tensors and plain "
            f"values; refusing to load it ({first[:200]})"
        ) from None
    except Exception as exc:  # torch raises many types (KeyError, RuntimeError, ...) on junk files
        raise CheckpointError(
            f"checkpoint {str(path)!r} is not a readable torch file ({type(exc).__name__}: {str(exc)[:200]})"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointError(f"checkpoint {str(path)!r} is not a kgn neural checkpoint")
    if data.get("version") != VERSION:
        raise CheckpointError(
            f"checkpoint {str(path)!r} has format version {data.get('version')!r}; this kgn reads {VERSION}"
        )
    return data
