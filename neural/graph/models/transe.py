"""TransE (Bordes et al., NIPS 2013, "Translating embeddings for modeling multi-relational
data"): a relation translates the head onto the tail, score ``-||h + r - t||_2``."""

from __future__ import annotations

from neural.graph.models.base import ShallowKGE, neg_l2, neg_l2_each


class TransE(ShallowKGE):
    name = "transe"
    default_training = "negatives"
    default_loss = "margin"
    default_margin = 1.0

    @staticmethod
    def tail_query(h, r):
        return h + r

    @staticmethod
    def head_query(r, t):
        return t - r

    match = staticmethod(neg_l2)
    match_each = staticmethod(neg_l2_each)
