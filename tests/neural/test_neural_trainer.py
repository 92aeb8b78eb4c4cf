import csv
import json

import pytest
import torch

from neural.errors import CheckpointError
from neural.models import get_model
from neural.runs import load_model
from neural.trainer import Callback, Trainer, TrainerConfig, seed_everything


def fit(bundle, name="cnn", **kw):
    seed_everything(kw.get("seed", 0))
    model = get_model(name, bundle.spec)
    trainer = Trainer(TrainerConfig(device="cpu", batch_size=8, **kw))
    trainer.fit(model, bundle.train, bundle.val, meta={"dataset": bundle.name})
    return model, trainer


def test_metrics_files_checkpoints_and_callbacks(tmp_path, image_bundle):
    seen = {"batches": 0, "epochs": [], "start": 0, "end": 0}

    class Spy(Callback):
        def on_train_start(self, trainer):
            seen["start"] += 1

        def on_batch_end(self, trainer, batch, logs):
            seen["batches"] += 1
            assert "loss" in logs

        def on_epoch_end(self, trainer, metrics):
            seen["epochs"].append(metrics["epoch"])

        def on_train_end(self, trainer, history):
            seen["end"] += 1

    seed_everything(0)
    model = get_model("cnn", image_bundle.spec)
    trainer = Trainer(TrainerConfig(device="cpu", epochs=3, batch_size=8, out_dir=str(tmp_path)), [Spy()])
    hist = trainer.fit(model, image_bundle.train, image_bundle.val)
    assert seen == {"batches": 12, "epochs": [1, 2, 3], "start": 1, "end": 1}
    rows = list(csv.DictReader(open(tmp_path / "metrics.csv")))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3] and "val_accuracy" in rows[0] and "train_loss" in rows[0]
    assert json.loads((tmp_path / "metrics.json").read_text()) == json.loads(json.dumps(hist))
    assert (tmp_path / "last.ckpt").is_file() and (tmp_path / "best.ckpt").is_file()
    assert trainer.device.type == "cpu" and trainer.amp is False  # mixed precision is CUDA-only


def test_checkpoint_round_trip_rebuilds_the_same_model(tmp_path, image_bundle):
    model, trainer = fit(image_bundle, epochs=2, out_dir=str(tmp_path), restore_best=False)
    loaded, ckpt = load_model(tmp_path / "last.ckpt")
    x = image_bundle.val.tensors[0]
    model.eval()
    assert torch.allclose(model(x), loaded(x)) and ckpt["epoch"] == 2 and ckpt["meta"]["dataset"] == "tiny-images"
    assert len(ckpt["optimizers"]) == 1 and ckpt["optimizers"][0]["state"]


def test_resume_equals_training_straight_through(tmp_path, image_bundle):
    straight, _ = fit(image_bundle, epochs=4, restore_best=False)
    fit(image_bundle, epochs=2, out_dir=str(tmp_path / "a"), restore_best=False)
    resumed, trainer = fit(image_bundle, epochs=4, resume=str(tmp_path / "a" / "last.ckpt"), restore_best=False)
    assert trainer.epoch == 4 and [h["epoch"] for h in trainer.history] == [1, 2, 3, 4]
    for (k, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), atol=1e-6), k


def test_resume_refuses_another_model(tmp_path, image_bundle):
    fit(image_bundle, epochs=1, out_dir=str(tmp_path))
    with pytest.raises(CheckpointError, match="for model 'cnn'"):
        fit(image_bundle, name="autoencoder", epochs=2, resume=str(tmp_path / "last.ckpt"))


def test_early_stopping_on_a_flat_metric(image_bundle):
    # lr 0 and no dropout/batch norm: the validation error never improves after epoch 1.
    _, trainer = fit(image_bundle, name="autoencoder", epochs=20, lr=0.0, patience=2)
    assert len(trainer.history) == 4 and trainer.best["epoch"] == 1 and trainer.best["metric"] == "val_recon_mse"


def test_callback_can_stop_training(image_bundle):
    class StopAt2(Callback):
        def on_epoch_end(self, trainer, metrics):
            trainer.should_stop = metrics["epoch"] >= 2

    seed_everything(0)
    trainer = Trainer(TrainerConfig(device="cpu", epochs=10), [StopAt2()])
    assert len(trainer.fit(get_model("cnn", image_bundle.spec), image_bundle.train)) == 2


def test_restore_best_keeps_the_best_epoch(image_bundle):
    model, trainer = fit(image_bundle, epochs=4, lr=3e-2, monitor="val_loss", mode="min")
    best_row = trainer.history[trainer.best["epoch"] - 1]
    assert trainer.best["value"] == min(h["val_loss"] for h in trainer.history)
    assert abs(model.evaluate(torch.utils.data.DataLoader(image_bundle.val, batch_size=8))["loss"] - best_row["val_loss"]) < 1e-5


def test_grad_clip_bounds_the_update():
    model = torch.nn.Linear(3, 1)
    trainer = Trainer(TrainerConfig(device="cpu", grad_clip=0.01))
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    before = [p.clone() for p in model.parameters()]
    loss = (model(torch.full((4, 3), 100.0)) ** 2).mean()
    trainer.backward_step(loss, opt, model.parameters())
    with torch.no_grad():
        step = torch.sqrt(sum(((p - b) ** 2).sum() for p, b in zip(model.parameters(), before)))
    assert float(step) <= 0.01 + 1e-6


def test_seed_makes_runs_repeatable(image_bundle):
    a, _ = fit(image_bundle, epochs=2, seed=5)
    b, _ = fit(image_bundle, epochs=2, seed=5)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_mixed_precision_path_with_loss_scaling_runs_on_cpu(image_bundle):
    # The CUDA branch (autocast + GradScaler: scale, unscale, clip, step, update) exercised with
    # the CPU autocast and CPU GradScaler, so that it is tested on machines without a GPU.
    from tests.neural.tiny import image_data

    seed_everything(0)
    model = get_model("gan", image_bundle.spec)
    trainer = Trainer(TrainerConfig(device="cpu", epochs=15, batch_size=16, lr=1e-3))
    trainer.amp, trainer.amp_dtype, trainer.scaler = True, torch.bfloat16, torch.amp.GradScaler("cpu")
    x, y = image_data(16)
    hist = trainer.fit(model, torch.utils.data.TensorDataset(x, y))
    assert all(torch.isfinite(torch.tensor(h["train_loss"])) for h in hist)
    assert hist[-1]["train_d_loss"] < hist[0]["train_d_loss"]
    seed_everything(0)
    clf = get_model("cnn", image_bundle.spec, dropout=0.0)
    trainer = Trainer(TrainerConfig(device="cpu", epochs=20, batch_size=16, lr=3e-3))
    trainer.amp, trainer.amp_dtype, trainer.scaler = True, torch.bfloat16, torch.amp.GradScaler("cpu")
    hist = trainer.fit(clf, torch.utils.data.TensorDataset(x, y))
    assert hist[-1]["train_loss"] < 0.5 * hist[0]["train_loss"]
