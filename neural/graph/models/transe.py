"""TransE (Bordes et al., NIPS 2013, "Translating embeddings for modeling multi-relational
data"): a relation translates the head onto the tail, score ``-||h + r - t||_1``.

As in the paper's algorithm (and PyKEEN's defaults), the distance is L1 and every entity vector
is projected back onto the unit L2 sphere after each update. On Kinships (d 200, 200 epochs,
margin 1, valid-chosen epoch; ``bench/kge_vs_pykeen.py``) test MRR was 0.151 with L2 and free
norms, 0.178 with L2 and the constraint, 0.294 with L1 and free norms, and 0.319 with both.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from neural.graph.models.base import ShallowKGE, neg_l1, neg_l1_each


class TransE(ShallowKGE):
    name = "transe"
    default_training = "negatives"
    default_loss = "margin"
    default_margin = 1.0
    matmul_scoring = False
    score_version = 2  # version 1 scored with L2 and free entity norms

    def reset_parameters(self) -> None:
        super().reset_parameters()
        self.after_step()

    @torch.no_grad()
    def after_step(self) -> None:
        self.entity.weight.copy_(F.normalize(self.entity.weight, dim=-1))

    @staticmethod
    def tail_query(h, r):
        return h + r

    @staticmethod
    def head_query(r, t):
        return t - r

    match = staticmethod(neg_l1)
    match_each = staticmethod(neg_l1_each)
