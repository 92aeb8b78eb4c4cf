"""The high-level API used by the CLI, the benchmark and the dashboard: train a model on a named
dataset, evaluate a checkpoint, draw samples from a generative checkpoint."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader

from neural.checkpoint import load_checkpoint
from neural.data import DataBundle, load_dataset
from neural.data.base import DataSpec
from neural.device import resolve_device
from neural.errors import CheckpointError, ConfigError, DatasetError
from neural.metrics import frechet_report
from neural.models import Generative, Model, get_model, model_class
from neural.png import image_grid, write_png
from neural.trainer import Callback, Trainer, TrainerConfig, _plain, seed_everything

# Fréchet distances are biased by sample size, so they are always computed on this many images
# (or the largest size the dataset allows, reported as fd_n).
FD_SAMPLES = 300


@dataclass
class RunResult:
    model: Model
    bundle: DataBundle
    history: list[dict[str, Any]]
    test: dict[str, Any]
    trainer: Trainer
    checkpoint: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _meta(bundle: DataBundle) -> dict[str, Any]:
    return {"dataset": bundle.name, "data_params": dict(bundle.params), "labels": list(bundle.labels),
            "vocab": list(bundle.vocab) if bundle.vocab is not None else None}


def train(
    model_name: str,
    dataset: str | DataBundle = "digits",
    *,
    trainer_config: TrainerConfig | None = None,
    model_config: dict[str, Any] | None = None,
    data_dir: str | None = None,
    data_params: dict[str, Any] | None = None,
    callbacks: list[Callback] | None = None,
) -> RunResult:
    """Train ``model_name`` on ``dataset`` and score it on the test split."""
    tcfg = trainer_config or TrainerConfig()
    cls = model_class(model_name)  # unknown names fail before any data is read
    bundle = dataset if isinstance(dataset, DataBundle) else load_dataset(dataset, data_dir, **(data_params or {}))
    if bundle.spec.kind != cls.input_kind:
        raise DatasetError(
            f"model {model_name!r} needs a dataset of kind {cls.input_kind!r}; {bundle.name!r} is {bundle.spec.kind!r}"
        )
    seed_everything(tcfg.seed)  # before building the model: its initial weights depend on it
    model = get_model(model_name, bundle.spec, **(model_config or {}))
    trainer = Trainer(tcfg, callbacks)
    history = trainer.fit(model, bundle.train, bundle.val, meta=_meta(bundle))
    test = model.test_report(_loader(bundle.test, tcfg.batch_size))
    ckpt = None
    if tcfg.out_dir:
        out = Path(tcfg.out_dir)
        (out / "test_metrics.json").write_text(json.dumps(_plain(test), indent=1), encoding="utf-8")
        ckpt = out / "best.ckpt"
    return RunResult(model=model, bundle=bundle, history=history, test=test, trainer=trainer, checkpoint=ckpt)


def _loader(dataset, batch_size: int = 256) -> DataLoader:
    return DataLoader(dataset, batch_size=max(batch_size, 1), shuffle=False)


def load_model(checkpoint, device: str = "cpu") -> tuple[Model, dict[str, Any]]:
    """Rebuild the model stored in ``checkpoint`` (weights included) on ``device``."""
    ckpt = load_checkpoint(checkpoint)
    try:
        spec = DataSpec(**ckpt["spec"])
        model = get_model(ckpt["model"], spec, **ckpt["model_config"])
        model.load_state_dict(ckpt["state_dict"])
    except (KeyError, TypeError, RuntimeError) as exc:
        raise CheckpointError(f"checkpoint {str(checkpoint)!r} cannot rebuild its model: {str(exc)[:300]}") from None
    model.to(resolve_device(device)).eval()
    return model, ckpt


def load_data_for(ckpt: dict[str, Any], data_dir: str | None = None) -> DataBundle:
    """The dataset a checkpoint was trained on, encoded with its saved vocabulary and labels."""
    meta = ckpt.get("meta") or {}
    name = meta.get("dataset")
    if not name:
        raise CheckpointError("checkpoint does not record its dataset; pass the data explicitly")
    params = dict(meta.get("data_params") or {})
    stored_dir = params.pop("data_dir", None)
    if meta.get("vocab") is not None and name == "jsonl":
        params.update(vocab=meta["vocab"], labels=meta["labels"])
    return load_dataset(name, data_dir or stored_dir, **params)


def fd_sets(bundle: DataBundle, n: int = FD_SAMPLES, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two disjoint real image sets of one size: from the test split and from the train split."""
    x_test, x_train = bundle.test.tensors[0], bundle.train.tensors[0]
    n = min(n, len(x_test), len(x_train))
    rng = np.random.default_rng(seed)
    a = x_test[torch.from_numpy(rng.choice(len(x_test), n, replace=False))]
    b = x_train[torch.from_numpy(rng.choice(len(x_train), n, replace=False))]
    return a, b


def generative_fd(model: Generative, classifier: Model, bundle: DataBundle, n: int = FD_SAMPLES,
                  seed: int = 0) -> dict[str, float]:
    """Fréchet distance of ``n`` samples against real test images, with real-vs-real and noise
    baselines, all in ``classifier``'s penultimate-layer feature space."""
    if not hasattr(classifier, "features"):
        raise ConfigError(f"model {classifier.name!r} has no feature layer; use a 'cnn' checkpoint")
    if tuple(classifier.spec.to_dict()[k] for k in ("channels", "height", "width")) != model.image_shape:
        raise DatasetError("the feature classifier was trained on images of another shape")
    real_a, real_b = fd_sets(bundle, n, seed)
    gen = model.sample(len(real_a), generator=torch.Generator().manual_seed(seed)).cpu()
    return frechet_report(classifier, gen, real_a, real_b, seed=seed)


def evaluate(checkpoint, data_dir: str | None = None, device: str = "auto", features: str | None = None,
             batch_size: int = 256) -> dict[str, Any]:
    """Test-split metrics of a checkpoint (plus Fréchet distances for generators when
    ``features`` names a trained cnn checkpoint)."""
    model, ckpt = load_model(checkpoint, device)
    bundle = load_data_for(ckpt, data_dir)
    if bundle.spec.to_dict() != model.spec.to_dict():
        raise DatasetError(f"dataset {bundle.name!r} no longer matches the checkpoint's input spec")
    seed_everything(0)  # sampling-based metrics (VAE, GAN) are then repeatable
    report: dict[str, Any] = {"model": ckpt["model"], "dataset": bundle.name, "epoch": ckpt.get("epoch")}
    report.update(model.test_report(_loader(bundle.test, batch_size)))
    if isinstance(model, Generative) and features:
        classifier, _ = load_model(features, device)
        report.update(generative_fd(model, classifier, bundle))
    return _plain(report)


def sample_grid(checkpoint, out, n: int = 64, seed: int = 0, device: str = "auto", kind: str | None = None,
                interpolate: bool = False) -> Path:
    """Write a PNG grid of ``n`` samples (or, for a VAE with ``interpolate``, rows of latent
    interpolations between pairs of test images)."""
    if n < 1:
        raise ConfigError(f"--n must be at least 1, got {n}")
    model, ckpt = load_model(checkpoint, device)
    if not isinstance(model, Generative):
        raise CheckpointError(f"checkpoint {str(checkpoint)!r} holds a {ckpt['model']!r}, which cannot sample")
    if kind and ckpt["model"] != kind:
        raise CheckpointError(f"checkpoint {str(checkpoint)!r} holds a {ckpt['model']!r} model, not {kind!r}")
    gen = torch.Generator().manual_seed(seed)
    if interpolate:
        if not hasattr(model, "interpolate"):
            raise ConfigError(f"model {ckpt['model']!r} has no latent interpolation")
        x = load_data_for(ckpt).test.tensors[0]
        rows = max(1, n // 8)
        idx = torch.randperm(len(x), generator=gen)[: 2 * rows]
        images = torch.cat([model.interpolate(x[idx[2 * r]], x[idx[2 * r + 1]], 8).cpu() for r in range(rows)])
        return write_png(out, image_grid(images.numpy(), nrow=8))
    images = model.sample(n, generator=gen).cpu()
    return write_png(out, image_grid(images.numpy()))
