"""Train, save and load embedding models: the one Trainer, plus a model file that carries its id maps.

A model file is a kgn checkpoint (:mod:`neural.checkpoint`, read with ``weights_only=True``)
holding only tensors and plain values: ``kind`` ("kgn-kge"), ``model`` (name), ``model_config``,
``spec``, ``state_dict`` (weights and the train graph), ``ids`` (``entities``/``relations``
name lists: row i of the entity table is ``entities[i]``), ``labels`` (display names), ``metrics``
(valid/test filtered ranking) and ``history``.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from neural.checkpoint import load_checkpoint, save_checkpoint
from neural.data.base import DataSpec
from neural.errors import CheckpointError
from neural.graph.data import IdMap, KGData, RankingSet, TripleBatches
from neural.graph.models import KGEModel, get_kge_model
from neural.trainer import Callback, Trainer, TrainerConfig, _plain, seed_everything

MODEL_KIND = "kgn-kge"


@dataclass
class EmbedResult:
    model: KGEModel
    data: KGData
    history: list[dict[str, Any]]
    valid: dict[str, float]
    test: dict[str, float]
    seconds: float
    trainer: Trainer
    extra: dict[str, Any] = field(default_factory=dict)


def train_embeddings(data: KGData, model_name: str, trainer_config: TrainerConfig | None = None,
                     model_config: dict[str, Any] | None = None,
                     callbacks: list[Callback] | None = None) -> EmbedResult:
    """Train ``model_name`` on ``data.train`` (model selection on ``data.valid``), then rank test."""
    tcfg = trainer_config or TrainerConfig()
    seed_everything(tcfg.seed)
    model = get_kge_model(model_name, data.spec(), graph=torch.as_tensor(data.train), **(model_config or {}))
    trainer = Trainer(tcfg, callbacks)
    known = data.known()
    val = RankingSet(data.valid, known) if len(data.valid) else None
    t0 = time.perf_counter()
    history = trainer.fit(model, TripleBatches(data.train), val, meta={"dataset": data.name})
    seconds = time.perf_counter() - t0
    valid = model.evaluate(val) if val is not None else {}
    test = model.test_report(RankingSet(data.test, known)) if len(data.test) else {}
    return EmbedResult(model, data, history, valid, test, seconds, trainer)


def save_model(path, result: EmbedResult) -> Path:
    model, data = result.model, result.data
    return save_checkpoint(path, {
        "kind": MODEL_KIND,
        "model": model.name,
        "model_config": _plain(dataclasses.asdict(model.config)),
        "spec": model.spec.to_dict(),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "ids": data.ids.to_dict(),
        "labels": list(data.labels or data.ids.entities),
        "dataset": data.name,
        "metrics": _plain({"valid": result.valid, "test": result.test}),
        "history": _plain(result.history),
        "seconds": result.seconds,
        # Set when `kgn embed` chose a rules/embedding mix on valid (neural.graph.combine).
        **({"combination": _plain(result.extra["combination"])} if "combination" in result.extra else {}),
    })


@dataclass
class LoadedModel:
    model: KGEModel
    ids: IdMap
    labels: tuple[str, ...]
    payload: dict[str, Any]


def load_model(path, device: str | torch.device = "cpu") -> LoadedModel:
    """Rebuild a saved embedding model (weights, id maps, train graph) on ``device``."""
    ckpt = load_checkpoint(path)
    if ckpt.get("kind") != MODEL_KIND:
        raise CheckpointError(f"{str(path)!r} is not a kgn embedding model file")
    spec = DataSpec(**ckpt["spec"])
    state = ckpt["state_dict"]
    try:
        model = get_kge_model(ckpt["model"], spec, graph=state.get("graph"), **ckpt["model_config"])
        model.load_state_dict(state)
    except (RuntimeError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{str(path)!r} does not fit model {ckpt.get('model')!r}: {str(exc)[:200]}") from None
    from neural.device import resolve_device

    model.to(resolve_device(device)).eval()
    ids = IdMap.from_dict(ckpt["ids"])
    return LoadedModel(model, ids, tuple(ckpt.get("labels") or ids.entities), ckpt)
