"""DistMult (Yang et al., ICLR 2015, "Embedding entities and relations for learning and
inference in knowledge bases"): a diagonal bilinear score ``<h, r, t>``."""

from __future__ import annotations

from neural.graph.models.base import ShallowKGE, dot, dot_each


class DistMult(ShallowKGE):
    name = "distmult"

    @staticmethod
    def tail_query(h, r):
        return h * r

    @staticmethod
    def head_query(r, t):
        return r * t

    match = staticmethod(dot)
    match_each = staticmethod(dot_each)
