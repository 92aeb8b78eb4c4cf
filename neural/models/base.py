"""Base classes: every model is a ``torch.nn.Module`` with hooks the one Trainer calls.

Hooks (minGPT / nanoGPT style, the model owns its loss and optimizers):
``loss(batch) -> (loss, logs)``, ``configure_optimizers(trainer_config)``,
``training_step(batch, trainer)`` (default: one optimizer; the GAN overrides it),
``evaluate(loader) -> metrics`` per epoch, and ``test_report(loader)`` at the end.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import torch
from torch import nn
from torch.nn import functional as F

from neural.data.base import DataSpec
from neural.errors import ConfigError, DatasetError
from neural.metrics import classification_scores, confusion_matrix


@dataclasses.dataclass
class ModelConfig:
    """Settings shared by every model (subclasses add theirs).

    Every setting is checked when a config is made: integers are sizes and counts (>= 1, or
    >= 0 for those in ``zero_ok``), and rates (``fractions``) lie in [0, 1). A subclass with
    other rules extends these tables or overrides :meth:`check`.
    """

    zero_ok: ClassVar[frozenset[str]] = frozenset({"augment_shift"})
    fractions: ClassVar[frozenset[str]] = frozenset({"dropout", "beta1"})

    def __post_init__(self):
        self.check()

    def check(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool):
                continue
            if isinstance(value, int):
                least = 0 if f.name in self.zero_ok else 1
                if value < least:
                    raise ConfigError(f"model setting {f.name} (--set {f.name}=...) must be >= {least}, "
                                      f"got {value}")
            elif isinstance(value, float) and f.name in self.fractions and not 0.0 <= value < 1.0:
                raise ConfigError(f"model setting {f.name} (--set {f.name}=...) must be in [0, 1), "
                                  f"got {value}")


def parse_settings(pairs) -> dict[str, str]:
    """``("dim=64", "loss=margin")`` -> ``{"dim": "64", "loss": "margin"}`` (the CLI's and the
    benches' ``--set KEY=VALUE``); :func:`build_config` coerces the values to the fields' types."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set wants KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def build_config(config_cls, values: dict[str, Any], model_name: str = "model"):
    """``config_cls(**values)`` with a clear error for unknown names and string values coerced
    to the field's type (so that CLI ``--set hidden=128`` works)."""
    fields = {f.name: f for f in dataclasses.fields(config_cls)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(
            f"model {model_name!r} has no setting {', '.join(map(repr, unknown))}; "
            f"its settings are: {', '.join(sorted(fields)) or '(none)'}"
        )
    out = {}
    for key, value in values.items():
        default = fields[key].default
        if isinstance(value, str) and not isinstance(default, str) and default is not dataclasses.MISSING:
            out[key] = _coerce(value, type(default), model_name, key)
        else:
            out[key] = value
    return config_cls(**out)


def _coerce(text: str, kind: type, model_name: str, key: str):
    try:
        if kind is bool:
            low = text.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise ConfigError(f"model {model_name!r} setting {key!r} wants a {kind.__name__}, got {text!r}") from None


class Model(nn.Module):
    """A trainable model. Subclasses set ``name``, ``input_kind``, ``Config`` and the hooks."""

    name: ClassVar[str] = "model"
    input_kind: ClassVar[str] = "image"  # 'image' or 'tokens' (see DataSpec.kind)
    Config: ClassVar[type] = ModelConfig
    # Validation metric for early stopping / best checkpoint, and whether bigger is better;
    # None means the model has no meaningful one (the GAN) and the last epoch is kept.
    monitor: ClassVar[str | None] = "val_loss"
    monitor_mode: ClassVar[str] = "min"
    default_lr: ClassVar[float] = 1e-3

    def __init__(self, spec: DataSpec, config: ModelConfig | None = None):
        super().__init__()
        if spec.kind != self.input_kind:
            raise DatasetError(
                f"model {self.name!r} needs a dataset of kind {self.input_kind!r}; this one is {spec.kind!r}"
            )
        self.spec = spec
        self.config = config if config is not None else self.Config()

    # -- hooks ---------------------------------------------------------------------------
    def loss(self, batch) -> tuple[torch.Tensor, dict[str, float]]:
        raise NotImplementedError

    def configure_optimizers(self, tcfg) -> list[torch.optim.Optimizer]:
        lr = tcfg.lr if tcfg.lr is not None else self.default_lr
        return [torch.optim.AdamW(self.parameters(), lr=lr, weight_decay=tcfg.weight_decay)]

    def training_step(self, batch, trainer) -> dict[str, float]:
        """One optimisation step on ``batch``; returns logs (floats) for the epoch averages."""
        with trainer.autocast():
            loss, logs = self.loss(batch)
        trainer.backward_step(loss, trainer.optimizers[0], self.parameters())
        return logs

    @torch.no_grad()
    def evaluate(self, loader) -> dict[str, float]:
        """Per-epoch validation metrics: batch-size-weighted means of ``loss`` logs."""
        self.eval()
        sums: dict[str, float] = {}
        n = 0
        for batch in loader:
            batch = self.to_device(batch)
            _, logs = self.loss(batch)
            size = len(batch[0])
            n += size
            for k, v in logs.items():
                sums[k] = sums.get(k, 0.0) + v * size
        return {k: v / max(n, 1) for k, v in sums.items()}

    def test_report(self, loader) -> dict[str, Any]:
        """Final scores on the test split (may hold non-scalar entries, e.g. a confusion matrix)."""
        return self.evaluate(loader)

    # -- helpers -------------------------------------------------------------------------
    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def to_device(self, batch):
        dev = self.device
        return tuple(t.to(dev, non_blocking=True) for t in batch)

    def batch_to_device(self, batch, device: torch.device):
        """The Trainer's hook for moving one training batch (default: a tuple of tensors)."""
        return tuple(t.to(device, non_blocking=True) for t in batch)

    def batch_size_of(self, batch) -> int:
        """How many examples ``batch`` holds (weights the epoch averages of the logs)."""
        return len(batch[0])


class Classifier(Model):
    """A model whose ``forward`` returns class logits; cross-entropy loss."""

    monitor = "val_accuracy"
    monitor_mode = "max"

    def loss(self, batch):
        x, y = batch[0], batch[1]
        logits = self(x)
        loss = F.cross_entropy(logits.float(), y)
        acc = (logits.argmax(1) == y).float().mean()
        return loss, {"loss": float(loss.detach()), "accuracy": float(acc)}

    @torch.no_grad()
    def predict(self, loader) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(true labels, predicted labels, summed loss) over a loader."""
        self.eval()
        ys, ps, total = [], [], 0.0
        for batch in loader:
            x, y = self.to_device(batch)
            logits = self(x).float()
            total += float(F.cross_entropy(logits, y, reduction="sum"))
            ys.append(y.cpu())
            ps.append(logits.argmax(1).cpu())
        return torch.cat(ys), torch.cat(ps), torch.tensor(total)

    def evaluate(self, loader):
        y, p, total = self.predict(loader)
        return {"loss": float(total) / max(len(y), 1), **classification_scores(y, p, self.spec.n_classes)}

    def test_report(self, loader):
        y, p, total = self.predict(loader)
        report = {"loss": float(total) / max(len(y), 1), **classification_scores(y, p, self.spec.n_classes)}
        report["confusion_matrix"] = confusion_matrix(y, p, self.spec.n_classes).tolist()
        return report


class Generative(Model):
    """An image model that can draw new samples in [0, 1] shaped like the data."""

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        raise NotImplementedError

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return (self.spec.channels, self.spec.height, self.spec.width)


def token_mask(x: torch.Tensor) -> torch.Tensor:
    """True where a token is real (id 0 is padding)."""
    return x != 0
