import struct
import zlib

import numpy as np

from neural.png import image_grid, write_png


def read_png_gray(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h = size
    raw = zlib.decompress(idat)
    rows = [raw[r * (w + 1) + 1 : (r + 1) * (w + 1)] for r in range(h)]
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(h, w)


def test_png_round_trip(tmp_path):
    img = (np.arange(35) * 7 % 256).astype(np.uint8).reshape(5, 7)
    assert np.array_equal(read_png_gray(write_png(tmp_path / "a.png", img)), img)


def test_grid_layout():
    imgs = np.ones((5, 1, 2, 2), dtype=np.float32)
    grid = image_grid(imgs, nrow=3, scale=2, pad=1)
    assert grid.shape == (2 * (4 + 1) + 1, 3 * (4 + 1) + 1)
    assert grid[1:5, 1:5].min() == 255 and grid[0].max() == 0 and grid[6:10, 11:15].max() == 0  # 6th cell empty
