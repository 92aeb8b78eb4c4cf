"""`kgn train / evaluate / sample` through the real click group, on CPU with tiny settings."""

import json

import pytest
from click.testing import CliRunner

from app.cli import cli, main
from neural.models import MODELS

TINY = ["--epochs", "1", "--batch-size", "256", "--device", "cpu"]


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("model", sorted(MODELS))
def test_train_every_model(tmp_path, model):
    extra = ["--set", "cell=gru", "--set", "bidirectional=true"] if model == "rnn" else []
    out = run(["train", model, "--out", str(tmp_path / model), *TINY, *extra])
    assert "epoch   1" in out and "checkpoint:" in out
    assert (tmp_path / model / "best.ckpt").is_file() and (tmp_path / model / "metrics.csv").is_file()


def test_evaluate_and_sample(tmp_path):
    run(["train", "cnn", "--dataset", "digits", "--out", str(tmp_path / "cnn"), *TINY, "--quiet"])
    run(["train", "gan", "--dataset", "digits", "--out", str(tmp_path / "gan"), *TINY, "--quiet"])
    out = run(["evaluate", str(tmp_path / "cnn" / "best.ckpt"), "--device", "cpu"])
    assert "accuracy:" in out and "confusion_matrix" in out
    report = json.loads(run(["evaluate", str(tmp_path / "gan" / "best.ckpt"), "--device", "cpu", "--json",
                             "--features", str(tmp_path / "cnn" / "best.ckpt")]))
    assert report["model"] == "gan" and report["fd_n"] == 300 and report["fd_real_vs_real"] < report["fd_noise"]
    out = run(["sample", "gan", str(tmp_path / "gan" / "best.ckpt"), "--n", "16", "--out", str(tmp_path / "g.png"),
               "--device", "cpu"])
    assert "wrote" in out and (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


def test_resume_from_the_cli(tmp_path):
    run(["train", "autoencoder", "--out", str(tmp_path / "a"), *TINY, "--quiet"])
    out = run(["train", "autoencoder", "--out", str(tmp_path / "b"), "--epochs", "2", "--device", "cpu",
               "--resume", str(tmp_path / "a" / "last.ckpt")])
    assert "epoch   2" in out and "epoch   1" not in out


def test_jsonl_text_model_with_saved_vocab(tmp_path):
    rows = [{"text": f"the film was {w} {i}", "label": lab} for i in range(20)
            for w, lab in (("great", "pos"), ("awful", "neg"))]
    (tmp_path / "reviews.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    run(["train", "text_cnn", "--dataset", "jsonl", "--data-dir", str(tmp_path / "reviews.jsonl"),
         "--out", str(tmp_path / "t"), *TINY])
    report = json.loads(run(["evaluate", str(tmp_path / "t" / "best.ckpt"), "--json", "--device", "cpu"]))
    assert report["dataset"] == "jsonl" and 0 <= report["accuracy"] <= 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "resnet"], "unknown model 'resnet'; choose one of: attention"),
        (["train", "cnn", "--dataset", "order", *TINY], "needs a dataset of kind 'image'"),
        (["train", "cnn", "--dataset", "cifar", *TINY], "unknown dataset 'cifar'"),
        (["train", "rnn", "--set", "cells=gru", *TINY], "has no setting 'cells'"),
        (["train", "cnn", "--device", "tpu", "--epochs", "1"], "unknown device 'tpu'"),
        (["evaluate", "missing.ckpt"], "does not exist"),
    ],
)
def test_errors_are_one_line(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_train_on_local_idx_files(tmp_path):
    from tests.neural.data.test_data_idx import write_tiny_mnist

    write_tiny_mnist(tmp_path, n_train=40, n_test=12, side=28)
    out = run(["train", "cnn", "--dataset", "fashion-mnist", "--data-dir", str(tmp_path), "--out", str(tmp_path / "r"),
               *TINY])
    assert "test accuracy:" in out
    report = json.loads(run(["evaluate", str(tmp_path / "r" / "best.ckpt"), "--json", "--device", "cpu"]))
    assert report["dataset"] == "fashion-mnist" and sum(map(sum, report["confusion_matrix"])) == 12
