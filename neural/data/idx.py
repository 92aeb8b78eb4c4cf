"""MNIST and Fashion-MNIST from local IDX files (LeCun et al. 1998; Xiao et al. 2017).

Nothing is downloaded: ``--data-dir`` must hold the four standard files
(``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
``t10k-labels-idx1-ubyte``), raw or ``.gz``, directly or under ``<name>/`` or ``<name>/raw/``.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from neural.data.base import DataBundle, DataSpec
from neural.errors import DatasetError

# IDX type codes -> big-endian numpy dtypes.
_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CODES = {np.dtype(v).newbyteorder("="): k for k, v in _DTYPES.items()}

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
FASHION_LABELS = [
    "t-shirt/top", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
]


def read_idx(path: str | Path) -> np.ndarray:
    """Parse one IDX file (optionally gzip-compressed) into a numpy array."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"IDX file {str(path)!r} cannot be read: {exc.strerror}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise DatasetError(f"IDX file {str(path)!r} is not valid gzip: {exc}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise DatasetError(f"IDX file {str(path)!r} has a bad magic number (not an IDX file)")
    dtype, ndim = np.dtype(_DTYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DatasetError(f"IDX file {str(path)!r} is truncated in its header")
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    count = int(np.prod(dims)) if dims else 1
    if len(raw) - header != count * dtype.itemsize:
        raise DatasetError(
            f"IDX file {str(path)!r} holds {len(raw) - header} data bytes; its header "
            f"{tuple(dims)} needs {count * dtype.itemsize}"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def write_idx(path: str | Path, array: np.ndarray, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file (gzip if the name ends in .gz); used to make test fixtures."""
    path = Path(path)
    array = np.asarray(array)
    code = _CODES.get(array.dtype)
    if code is None:
        raise DatasetError(f"IDX cannot store dtype {array.dtype}")
    body = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    body += array.astype(np.dtype(_DTYPES[code])).tobytes()
    if compress if compress is not None else path.suffix == ".gz":
        body = gzip.compress(body)
    path.write_bytes(body)
    return path


def _find(data_dir: Path, name: str, stem: str) -> Path:
    for folder in (data_dir, data_dir / name, data_dir / name / "raw"):
        for candidate in (folder / stem, folder / (stem + ".gz")):
            if candidate.is_file():
                return candidate
    raise DatasetError(
        f"dataset {name!r}: no {stem}[.gz] in {str(data_dir)!r} (nor in {name}/ or {name}/raw/); "
        "kgn does not download datasets, put the IDX files there"
    )


def load_idx_bundle(name: str, data_dir=None, split_seed: int = 0, val_fraction: float = 1 / 12, **_ignored):
    """Train/val/test from the IDX files; validation is a seeded random slice of train."""
    if not data_dir:
        raise DatasetError(f"dataset {name!r} needs --data-dir (a folder with its IDX files)")
    data_dir = Path(data_dir)
    arrays = {key: read_idx(_find(data_dir, name, stem)) for key, stem in FILES.items()}
    for split in ("train", "test"):
        x, y = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise DatasetError(
                f"dataset {name!r}: {split} images {x.shape} and labels {y.shape} do not match "
                "(want [N, H, W] and [N])"
            )
    x_tr = arrays["train_images"].astype(np.float32)[:, None] / 255.0
    y_tr = arrays["train_labels"].astype(np.int64)
    x_te = arrays["test_images"].astype(np.float32)[:, None] / 255.0
    y_te = arrays["test_labels"].astype(np.int64)
    perm = np.random.default_rng(split_seed).permutation(len(x_tr))
    n_val = max(1, int(round(len(x_tr) * val_fraction)))
    va, tr = perm[:n_val], perm[n_val:]
    n_classes = int(max(y_tr.max(), y_te.max())) + 1

    def ds(x, y):
        return TensorDataset(torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(np.ascontiguousarray(y)))

    labels = FASHION_LABELS if name == "fashion-mnist" and n_classes == 10 else [str(i) for i in range(n_classes)]
    return DataBundle(
        name=name,
        spec=DataSpec(kind="image", n_classes=n_classes, channels=1, height=x_tr.shape[2], width=x_tr.shape[3]),
        train=ds(x_tr[tr], y_tr[tr]),
        val=ds(x_tr[va], y_tr[va]),
        test=ds(x_te, y_te),
        labels=labels,
        params={"data_dir": str(data_dir), "split_seed": split_seed},
    )
