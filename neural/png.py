"""A tiny PNG writer (greyscale, 8-bit) and an image-grid helper, so that sampling needs no
imaging library."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path: str | Path, image: np.ndarray) -> Path:
    """Write a 2-D uint8 array as an 8-bit greyscale PNG."""
    img = np.ascontiguousarray(image, dtype=np.uint8)
    if img.ndim != 2:
        raise ValueError(f"write_png wants a 2-D array, got shape {img.shape}")
    h, w = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))  # filter type 0 per row
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def image_grid(images, nrow: int | None = None, scale: int = 4, pad: int = 1) -> np.ndarray:
    """Tile images [N, 1, H, W] (or [N, H, W]) with values in [0, 1] into one uint8 array,
    each pixel enlarged ``scale`` times, separated by ``pad`` black pixels."""
    arr = np.asarray(images, dtype=np.float32)
    if arr.ndim == 4:
        arr = arr[:, 0]
    n, h, w = arr.shape
    nrow = nrow or int(np.ceil(np.sqrt(n)))
    ncol_rows = int(np.ceil(n / nrow))
    arr = np.kron(np.clip(arr, 0, 1), np.ones((scale, scale), dtype=np.float32))
    hh, ww = h * scale, w * scale
    grid = np.zeros((ncol_rows * (hh + pad) + pad, nrow * (ww + pad) + pad), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, nrow)
        y, x = pad + r * (hh + pad), pad + c * (ww + pad)
        grid[y : y + hh, x : x + ww] = np.round(arr[i] * 255).astype(np.uint8)
    return grid
