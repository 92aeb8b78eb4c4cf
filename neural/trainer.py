"""One training loop for every model (in the style of minGPT / nanoGPT's trainer).

The model supplies ``loss``, ``configure_optimizers``, ``training_step`` and ``evaluate``; the
Trainer owns the device, mixed precision, seeding, gradient clipping, early stopping,
checkpoints, resume, per-epoch metric files and callbacks.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from neural.checkpoint import load_checkpoint, save_checkpoint
from neural.data.base import BatchedDataset
from neural.device import resolve_device
from neural.errors import CheckpointError, ConfigError


@dataclass
class TrainerConfig:
    epochs: int = 10
    batch_size: int = 64
    lr: float | None = None  # None: the model's own default (1e-3; 2e-4 for the GAN)
    weight_decay: float = 0.0
    device: str = "auto"  # auto | cpu | cuda | cuda:N | mps
    amp: bool = True  # mixed precision, used on CUDA only
    seed: int = 0
    grad_clip: float | None = 1.0  # max global grad norm; None or 0 turns clipping off
    patience: int | None = None  # epochs without improvement before stopping; None: never stop early
    monitor: str | None = None  # None: the model's own (e.g. val_accuracy)
    mode: str | None = None  # 'max' or 'min'; None: the model's own
    min_delta: float = 0.0
    out_dir: str | None = None  # checkpoints and metrics files go here; None writes nothing
    resume: str | None = None  # checkpoint to continue from (weights, optimizers, history, RNG)
    num_workers: int = 0
    restore_best: bool = True  # after training, load the best epoch's weights back into the model
    # Validate every N epochs (and after the last); ranking all entities is costlier than a
    # training epoch on small graphs. Epochs without validation neither improve nor count
    # towards patience.
    eval_every: int = 1

    def __post_init__(self):
        # A bad value must stop here, with the option's name: left alone, epochs=0 or a negative
        # learning rate would "train" and write a checkpoint that was never trained.
        def bad(name: str, rule: str):
            raise ConfigError(f"trainer setting {name} (--{name.replace('_', '-')}) must be {rule}, "
                              f"got {getattr(self, name)!r}")

        if self.epochs < 1:
            bad("epochs", ">= 1")
        if self.batch_size < 1:
            bad("batch_size", ">= 1")
        if self.lr is not None and not (self.lr >= 0 and math.isfinite(self.lr)):
            bad("lr", "a finite number >= 0")
        if not (self.weight_decay >= 0 and math.isfinite(self.weight_decay)):
            bad("weight_decay", "a finite number >= 0")
        if self.grad_clip is not None and not (self.grad_clip >= 0 and math.isfinite(self.grad_clip)):
            bad("grad_clip", "a finite number >= 0 (0: no clipping)")
        if self.patience is not None and self.patience < 1:
            bad("patience", ">= 1")
        if not self.min_delta >= 0:
            bad("min_delta", ">= 0")
        if self.num_workers < 0:
            bad("num_workers", ">= 0")
        if self.mode not in (None, "max", "min"):
            bad("mode", "'max' or 'min'")


class Callback:
    """Hooks the Trainer calls; subclass and override what you need (the dashboard uses these)."""

    def on_train_start(self, trainer: "Trainer") -> None: ...

    def on_batch_end(self, trainer: "Trainer", batch: int, logs: dict[str, float]) -> None: ...

    def on_epoch_end(self, trainer: "Trainer", metrics: dict[str, Any]) -> None: ...

    def on_train_end(self, trainer: "Trainer", history: list[dict[str, Any]]) -> None: ...


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def _plain(value):
    """Tensors and numpy scalars to plain Python (for JSON and checkpoints)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.generic,)):
        return value.item()
    if isinstance(value, torch.Tensor):
        return value.tolist()
    return value


class Trainer:
    def __init__(self, config: TrainerConfig | None = None, callbacks: list[Callback] | None = None):
        self.config = config or TrainerConfig()
        self.callbacks = list(callbacks or [])
        self.device = resolve_device(self.config.device)  # chosen once
        self.amp = bool(self.config.amp) and self.device.type == "cuda"
        self.amp_dtype = None
        self.scaler = None
        if self.amp:
            if torch.cuda.is_bf16_supported():
                self.amp_dtype = torch.bfloat16  # same range as float32: no loss scaling needed
            else:
                self.amp_dtype = torch.float16
                self.scaler = torch.amp.GradScaler("cuda")
        self.model = None
        self.optimizers: list[torch.optim.Optimizer] = []
        self.history: list[dict[str, Any]] = []
        self.epoch = 0  # epochs completed
        self.should_stop = False  # callbacks may set this
        self.best: dict[str, Any] = {"metric": None, "mode": None, "value": None, "epoch": None}
        self.meta: dict[str, Any] = {}
        self._best_state = None
        self._loader_gen: torch.Generator | None = None

    # -- helpers models call ---------------------------------------------------------------
    def autocast(self):
        if not self.amp:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.amp_dtype)

    def backward_step(self, loss: torch.Tensor, optimizer: torch.optim.Optimizer, params) -> None:
        """zero_grad, backward, (unscale), clip, step: one optimizer's update."""
        params = [p for p in params if p.requires_grad]
        optimizer.zero_grad(set_to_none=True)
        clip = self.config.grad_clip
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            if clip:
                self.scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(params, clip)
            self.scaler.step(optimizer)
        else:
            loss.backward()
            if clip:
                torch.nn.utils.clip_grad_norm_(params, clip)
            optimizer.step()

    # -- the loop ----------------------------------------------------------------------------
    def _loader(self, dataset: Dataset, shuffle: bool):
        bs = self.config.batch_size
        if isinstance(dataset, BatchedDataset):
            # Datasets that cut their own batches (triples, graphs): one tensor gather per batch
            # instead of collating single items.
            return dataset.loader(bs, shuffle=shuffle, generator=self._loader_gen if shuffle else None)
        return DataLoader(
            dataset, batch_size=bs, shuffle=shuffle,
            generator=self._loader_gen if shuffle else None,
            # A last batch of one would break batch norm in training mode.
            drop_last=shuffle and len(dataset) > bs and len(dataset) % bs == 1,
            num_workers=self.config.num_workers, pin_memory=self.device.type == "cuda",
        )

    def _monitor(self, model) -> tuple[str | None, str]:
        metric = self.config.monitor or model.monitor
        mode = self.config.mode or model.monitor_mode
        if mode not in ("min", "max"):
            raise ConfigError(f"trainer mode must be 'min' or 'max', got {mode!r}")
        return metric, mode

    def fit(self, model, train: Dataset, val: Dataset | None = None, meta: dict[str, Any] | None = None):
        """Train ``model``; returns the history (one dict of metrics per epoch)."""
        cfg = self.config
        if cfg.epochs < 0 or cfg.batch_size < 1:
            raise ConfigError(f"epochs must be >= 0 and batch_size >= 1; got {cfg.epochs}, {cfg.batch_size}")
        self.model = model.to(self.device)
        self.meta = dict(meta or {})
        self.optimizers = list(model.configure_optimizers(cfg))
        self._loader_gen = torch.Generator().manual_seed(cfg.seed)
        metric, mode = self._monitor(model)
        self.best = {"metric": metric, "mode": mode, "value": None, "epoch": None}
        if cfg.resume:
            self._resume(cfg.resume, model)
        out = Path(cfg.out_dir) if cfg.out_dir else None
        if out:
            out.mkdir(parents=True, exist_ok=True)
        train_loader = self._loader(train, shuffle=True)
        val_loader = self._loader(val, shuffle=False) if val is not None and len(val) else None
        if metric and val_loader is None and metric.startswith("val_"):
            metric = self.best["metric"] = None  # nothing to monitor without a validation split
        for cb in self.callbacks:
            cb.on_train_start(self)
        bad_epochs = self._bad_epochs()
        self.should_stop = False
        while self.epoch < cfg.epochs and not self.should_stop:
            t0 = time.perf_counter()
            model.train()
            sums: dict[str, float] = {}
            seen = 0
            for i, batch in enumerate(train_loader):
                batch = model.batch_to_device(batch, self.device)
                logs = model.training_step(batch, self)
                if self.scaler is not None:
                    self.scaler.update()  # once per iteration, after every optimizer stepped
                size = model.batch_size_of(batch)
                seen += size
                for k, v in logs.items():
                    sums[k] = sums.get(k, 0.0) + float(v) * size
                for cb in self.callbacks:
                    cb.on_batch_end(self, i, logs)
            if self.device.type == "cuda":
                torch.cuda.synchronize()
            train_seconds = time.perf_counter() - t0
            self.epoch += 1
            row: dict[str, Any] = {"epoch": self.epoch}
            row.update({f"train_{k}": v / max(seen, 1) for k, v in sums.items()})
            validate = val_loader is not None and (self.epoch % max(cfg.eval_every, 1) == 0 or self.epoch >= cfg.epochs)
            if validate:
                row.update({f"val_{k}": float(v) for k, v in model.evaluate(val_loader).items()})
            row["train_seconds"] = train_seconds
            row["seconds"] = time.perf_counter() - t0
            self.history.append(row)
            skipped = val_loader is not None and not validate and bool(self.best["metric"])
            improved = False if skipped else self._update_best(row)
            if not skipped:
                bad_epochs = 0 if improved else bad_epochs + 1
            if out:
                self._write_metrics(out)
                self.save(out / "last.ckpt")
                if improved or not self.best["metric"]:
                    self.save(out / "best.ckpt")
            for cb in self.callbacks:
                cb.on_epoch_end(self, row)
            if cfg.patience is not None and self.best["metric"] and bad_epochs > cfg.patience:
                self.should_stop = True
        if cfg.restore_best and self._best_state is not None:
            model.load_state_dict(self._best_state)
        for cb in self.callbacks:
            cb.on_train_end(self, self.history)
        return self.history

    def _bad_epochs(self) -> int:
        if self.best["epoch"] is None:
            return 0
        return self.epoch - int(self.best["epoch"])

    def _update_best(self, row: dict[str, Any]) -> bool:
        metric, mode = self.best["metric"], self.best["mode"]
        if not metric:
            return True
        if metric not in row:
            raise ConfigError(f"monitored metric {metric!r} is not among {sorted(row)}")
        value = float(row[metric])
        old = self.best["value"]
        if math.isnan(value):
            better = False
        elif old is None:
            better = True
        elif mode == "max":
            better = value > old + self.config.min_delta
        else:
            better = value < old - self.config.min_delta
        if better:
            self.best.update(value=value, epoch=row["epoch"])
            if self.config.restore_best:
                self._best_state = {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()}
        return better

    def _write_metrics(self, out: Path) -> None:
        keys: list[str] = []
        for row in self.history:
            keys += [k for k in row if k not in keys]
        with open(out / "metrics.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=keys)
            writer.writeheader()
            writer.writerows(self.history)
        (out / "metrics.json").write_text(json.dumps(_plain(self.history), indent=1), encoding="utf-8")

    # -- checkpoints ---------------------------------------------------------------------------
    def checkpoint_payload(self) -> dict[str, Any]:
        model = self.model
        return {
            "model": model.name,
            "model_config": _plain(asdict(model.config)),
            "spec": model.spec.to_dict(),
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
            "optimizers": [opt.state_dict() for opt in self.optimizers],
            "epoch": self.epoch,
            "history": _plain(self.history),
            "best": _plain(self.best),
            "trainer_config": _plain(asdict(self.config)),
            "rng": {"torch": torch.get_rng_state(), "loader": self._loader_gen.get_state()},
            "meta": _plain(self.meta),
        }

    def save(self, path) -> Path:
        return save_checkpoint(path, self.checkpoint_payload())

    def _resume(self, path, model) -> None:
        ckpt = load_checkpoint(path)
        if ckpt.get("model") != model.name:
            raise CheckpointError(f"checkpoint {str(path)!r} is for model {ckpt.get('model')!r}, not {model.name!r}")
        try:
            model.load_state_dict(ckpt["state_dict"])
            if len(ckpt["optimizers"]) != len(self.optimizers):
                raise ValueError("optimizer count differs")
            for opt, state in zip(self.optimizers, ckpt["optimizers"]):
                opt.load_state_dict(state)
        except (RuntimeError, ValueError, KeyError) as exc:
            raise CheckpointError(f"checkpoint {str(path)!r} does not fit this model: {str(exc)[:300]}") from None
        self.epoch = int(ckpt["epoch"])
        self.history = list(ckpt.get("history", []))
        best = ckpt.get("best") or {}
        if best.get("metric") == self.best["metric"]:
            self.best.update(value=best.get("value"), epoch=best.get("epoch"))
            if self.config.restore_best and best.get("epoch") == self.epoch:
                self._best_state = {k: v.clone() for k, v in ckpt["state_dict"].items()}
        rng = ckpt.get("rng") or {}
        if "torch" in rng:
            torch.set_rng_state(rng["torch"])
        if "loader" in rng:
            self._loader_gen.set_state(rng["loader"])
