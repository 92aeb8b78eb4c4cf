"""The decoders (score functions) by name, for the shallow models' table and the encoders."""

from __future__ import annotations

from kg.errors import UnknownNameError

from neural.graph.models.base import ShallowKGE
from neural.graph.models.complex import ComplEx
from neural.graph.models.distmult import DistMult
from neural.graph.models.rotate import RotatE
from neural.graph.models.transe import TransE

DECODERS: dict[str, type[ShallowKGE]] = {"transe": TransE, "distmult": DistMult, "complex": ComplEx, "rotate": RotatE}


def decoder_class(name: str) -> type[ShallowKGE]:
    try:
        return DECODERS[name]
    except KeyError:
        raise UnknownNameError("decoder", name, DECODERS) from None
