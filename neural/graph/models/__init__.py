"""Knowledge-graph embedding models by name: one table (decoders, encoders, the graph autoencoder)."""

from __future__ import annotations

from typing import Any

import torch

from kg.errors import UnknownNameError

from neural.data.base import DataSpec
from neural.graph.models.base import KGEConfig, KGEModel
from neural.graph.models.compgcn import CompGCN
from neural.graph.models.complex import ComplEx
from neural.graph.models.decoders import DECODERS
from neural.graph.models.distmult import DistMult
from neural.graph.models.gae import GraphAutoencoder
from neural.graph.models.rgcn import RGCN
from neural.graph.models.rotate import RotatE
from neural.graph.models.transe import TransE
from neural.models.base import build_config

KGE_MODELS: dict[str, type[KGEModel]] = {
    "transe": TransE,
    "distmult": DistMult,
    "complex": ComplEx,
    "rotate": RotatE,
    "rgcn": RGCN,  # encoders: --set decoder=distmult|complex|rotate|transe
    "compgcn": CompGCN,
    "gae": GraphAutoencoder,  # untyped link prediction (--set variational=true: VGAE)
}


def kge_class(name: str) -> type[KGEModel]:
    try:
        return KGE_MODELS[name]
    except KeyError:
        raise UnknownNameError("embedding model", name, KGE_MODELS) from None


def get_kge_model(name: str, spec: DataSpec, graph: torch.Tensor | None = None, **config: Any) -> KGEModel:
    """Build model ``name`` for a graph of ``spec``'s size; ``graph`` holds the train triples."""
    cls = kge_class(name)
    return cls(spec, build_config(cls.Config, config, name), graph=graph)


__all__ = ["KGE_MODELS", "DECODERS", "KGEConfig", "KGEModel", "get_kge_model", "kge_class"]
