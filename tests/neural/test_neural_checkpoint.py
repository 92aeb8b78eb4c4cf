import os

import pytest
import torch

from neural.checkpoint import FORMAT, VERSION, load_checkpoint, save_checkpoint
from neural.errors import CheckpointError


class Payload:
    """A custom class: pickling an instance stores code references, which must be refused."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        # If this ever ran on load, it would create the marker file.
        return (open, (self.marker, "w"))


def test_round_trip(tmp_path):
    data = {"state_dict": {"w": torch.arange(6.0).view(2, 3)}, "epoch": 3, "names": ["a", "b"], "cfg": {"x": None}}
    path = save_checkpoint(tmp_path / "m.ckpt", data)
    back = load_checkpoint(path)
    assert back["format"] == FORMAT and back["version"] == VERSION and back["epoch"] == 3
    assert torch.equal(back["state_dict"]["w"], data["state_dict"]["w"]) and back["cfg"] == {"x": None}
    assert not (tmp_path / "m.ckpt.tmp").exists()


def test_pickled_code_is_refused_and_not_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.ckpt"
    torch.save({"format": FORMAT, "version": VERSION, "x": Payload(str(marker))}, path)
    with pytest.raises(CheckpointError, match="pickled code"):
        load_checkpoint(path)
    assert not marker.exists()


def test_custom_object_is_refused(tmp_path):
    path = tmp_path / "obj.ckpt"
    torch.save({"format": FORMAT, "version": VERSION, "model": torch.nn.Linear(2, 2)}, path)
    with pytest.raises(CheckpointError, match="refusing"):
        load_checkpoint(path)


def test_not_a_checkpoint(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "nope.ckpt")
    (tmp_path / "text.ckpt").write_text("hello")
    with pytest.raises(CheckpointError):
        load_checkpoint(tmp_path / "text.ckpt")
    torch.save({"w": torch.zeros(1)}, tmp_path / "plain.ckpt")
    with pytest.raises(CheckpointError, match="not a kgn neural checkpoint"):
        load_checkpoint(tmp_path / "plain.ckpt")
    torch.save({"format": FORMAT, "version": 99}, tmp_path / "future.ckpt")
    with pytest.raises(CheckpointError, match="version 99"):
        load_checkpoint(tmp_path / "future.ckpt")
    assert os.listdir(tmp_path)  # nothing above deleted files
