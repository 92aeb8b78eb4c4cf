"""Relation classifiers by name: one table (``kgn train relation --model NAME``)."""

from __future__ import annotations

from typing import Any

from kg.errors import UnknownNameError

from neural.data.base import DataSpec
from neural.models.base import build_config
from neural.relation.models.att_bilstm import RelationAttBLSTM
from neural.relation.models.base import RelationModel
from neural.relation.models.cnn import RelationCNN
from neural.relation.models.pcnn import RelationPCNN
from neural.relation.models.transformer import RelationTransformer

RELATION_MODELS: dict[str, type[RelationModel]] = {
    "cnn": RelationCNN,
    "pcnn": RelationPCNN,
    "att-bilstm": RelationAttBLSTM,
    "transformer": RelationTransformer,
}


def relation_model_class(name: str) -> type[RelationModel]:
    try:
        return RELATION_MODELS[name]
    except KeyError:
        raise UnknownNameError("relation model", name, RELATION_MODELS) from None


def get_relation_model(name: str, spec: DataSpec, **config: Any) -> RelationModel:
    cls = relation_model_class(name)
    return cls(spec, build_config(cls.Config, config, name))


__all__ = ["RELATION_MODELS", "RelationModel", "get_relation_model", "relation_model_class"]
