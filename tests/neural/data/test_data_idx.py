import numpy as np
import pytest

from neural.data import load_dataset
from neural.data.idx import FILES, read_idx, write_idx
from neural.errors import DatasetError


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip(tmp_path, suffix):
    arr = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / f"x-idx3-ubyte{suffix}", arr)
    if suffix:
        assert path.read_bytes()[:2] == b"\x1f\x8b"
    back = read_idx(path)
    assert back.dtype == np.uint8 and np.array_equal(back, arr)


def test_other_dtypes(tmp_path):
    arr = np.array([[1.5, -2.0]], dtype=np.float32)
    assert np.array_equal(read_idx(write_idx(tmp_path / "f.idx", arr)), arr)


def test_bad_files(tmp_path):
    (tmp_path / "junk").write_bytes(b"hello world")
    with pytest.raises(DatasetError, match="magic"):
        read_idx(tmp_path / "junk")
    good = write_idx(tmp_path / "good", np.zeros((3, 2, 2), dtype=np.uint8))
    (tmp_path / "short").write_bytes(good.read_bytes()[:-3])
    with pytest.raises(DatasetError, match="needs 12"):
        read_idx(tmp_path / "short")
    with pytest.raises(DatasetError, match="cannot be read"):
        read_idx(tmp_path / "missing")


def write_tiny_mnist(folder, n_train=24, n_test=10, side=8, gz=True):
    rng = np.random.default_rng(0)
    sfx = ".gz" if gz else ""
    write_idx(folder / (FILES["train_images"] + sfx), rng.integers(0, 256, (n_train, side, side), dtype=np.uint8))
    write_idx(folder / (FILES["train_labels"] + sfx), (np.arange(n_train) % 10).astype(np.uint8))
    write_idx(folder / (FILES["test_images"] + sfx), rng.integers(0, 256, (n_test, side, side), dtype=np.uint8))
    write_idx(folder / (FILES["test_labels"] + sfx), (np.arange(n_test) % 10).astype(np.uint8))


@pytest.mark.parametrize("gz", [True, False])
def test_mnist_bundle_from_tiny_files(tmp_path, gz):
    (tmp_path / "mnist" / "raw").mkdir(parents=True)
    write_tiny_mnist(tmp_path / "mnist" / "raw", gz=gz)
    b = load_dataset("mnist", str(tmp_path))
    assert b.spec.kind == "image" and (b.spec.height, b.spec.width, b.spec.n_classes) == (8, 8, 10)
    assert len(b.train) + len(b.val) == 24 and len(b.test) == 10
    x, y = b.train.tensors
    assert x.shape[1:] == (1, 8, 8) and x.min() >= 0 and x.max() <= 1 and y.dtype.is_floating_point is False


def test_fashion_labels_and_missing_dir(tmp_path):
    write_tiny_mnist(tmp_path)
    assert load_dataset("fashion-mnist", str(tmp_path)).labels[-1] == "ankle boot"
    with pytest.raises(DatasetError, match="does not download"):
        load_dataset("mnist", str(tmp_path / "nowhere"))
    with pytest.raises(DatasetError, match="needs --data-dir"):
        load_dataset("mnist")
