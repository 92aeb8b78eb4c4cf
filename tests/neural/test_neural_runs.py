import json

import pytest
import torch

from neural.errors import CheckpointError, DatasetError
from neural.runs import evaluate, generative_fd, load_model, sample_grid, train
from neural.trainer import TrainerConfig


def cfg(tmp_path, name, **kw):
    return TrainerConfig(epochs=kw.pop("epochs", 2), batch_size=16, device="cpu", out_dir=str(tmp_path / name), **kw)


def test_train_evaluate_sample_and_fd(tmp_path, image_bundle, monkeypatch):
    clf = train("cnn", image_bundle, trainer_config=cfg(tmp_path, "cnn"))
    assert set(clf.test) >= {"accuracy", "macro_f1", "confusion_matrix"}
    assert json.loads((tmp_path / "cnn" / "test_metrics.json").read_text())["accuracy"] == clf.test["accuracy"]
    vae = train("vae", image_bundle, trainer_config=cfg(tmp_path, "vae"))
    fd = generative_fd(vae.model, clf.model, image_bundle, n=8)
    assert fd["fd_n"] == 8 and fd["fd_real_vs_real"] >= 0 and fd["fd"] >= 0 and fd["fd_noise"] >= 0
    out = sample_grid(vae.checkpoint, tmp_path / "g.png", n=9, device="cpu", kind="vae")
    assert out.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(CheckpointError, match="not 'gan'"):
        sample_grid(vae.checkpoint, tmp_path / "x.png", kind="gan", device="cpu")
    with pytest.raises(CheckpointError, match="cannot sample"):
        sample_grid(clf.checkpoint, tmp_path / "x.png", device="cpu")


def test_evaluate_rebuilds_the_dataset(tmp_path):
    r = train("rnn", "order", data_params={"n_train": 64, "n_val": 16, "n_test": 32, "seq_len": 10},
              trainer_config=cfg(tmp_path, "rnn", epochs=1))
    report = evaluate(r.checkpoint, device="cpu")
    assert report["dataset"] == "order" and report["accuracy"] == pytest.approx(r.test["accuracy"])
    assert sum(map(sum, report["confusion_matrix"])) == 32


def test_model_and_dataset_kinds_must_match(tmp_path, token_bundle):
    with pytest.raises(DatasetError, match="kind 'image'"):
        train("vae", token_bundle, trainer_config=cfg(tmp_path, "x"))


def test_load_model_round_trip(tmp_path, token_bundle):
    r = train("attention", token_bundle, trainer_config=cfg(tmp_path, "att"))
    model, ckpt = load_model(r.checkpoint)
    x = token_bundle.test.tensors[0]
    r.model.eval()
    assert torch.allclose(model(x), r.model.cpu()(x), atol=1e-6)
    assert ckpt["meta"]["vocab"] == token_bundle.vocab
