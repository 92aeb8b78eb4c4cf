"""A training run in a background thread, watched by the Train page through the Trainer's
callbacks (the one training loop, :class:`neural.trainer.Trainer`); a stop flag ends it after
the current batch."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from neural.trainer import Callback


@dataclass
class TrainingJob:
    model: str
    dataset: str
    out_dir: str
    batches: list[dict[str, float]] = field(default_factory=list)  # the model's losses per batch
    epochs: list[dict[str, Any]] = field(default_factory=list)  # the Trainer's epoch rows
    test: dict[str, Any] | None = None
    error: str | None = None
    done: bool = False
    stop: bool = False
    started: float = field(default_factory=time.time)
    thread: threading.Thread | None = None


class _Watch(Callback):
    def __init__(self, job: TrainingJob):
        self.job = job

    def on_batch_end(self, trainer, batch, logs):
        self.job.batches.append({k: float(v) for k, v in logs.items()})
        if self.job.stop:
            trainer.should_stop = True

    def on_epoch_end(self, trainer, metrics):
        self.job.epochs.append(dict(metrics))
        if self.job.stop:
            trainer.should_stop = True


def start(model: str, dataset: str, out_dir: str, *, epochs: int, batch_size: int, lr: float | None,
          device: str, model_config: dict | None = None) -> TrainingJob:
    """Start training ``model`` on ``dataset`` in a thread; the returned job fills as it runs."""
    from neural.runs import train
    from neural.trainer import TrainerConfig

    job = TrainingJob(model, dataset, out_dir)

    def run():
        try:
            result = train(model, dataset, callbacks=[_Watch(job)], model_config=model_config,
                           trainer_config=TrainerConfig(epochs=epochs, batch_size=batch_size, lr=lr, device=device,
                                                        out_dir=out_dir))
            job.test = dict(result.test)
        except Exception as exc:  # shown on the page, as one message
            job.error = str(exc) or type(exc).__name__
        finally:
            job.done = True

    job.thread = threading.Thread(target=run, name=f"kgn-train-{model}", daemon=True)
    job.thread.start()
    return job
