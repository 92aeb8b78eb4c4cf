"""TransE (Bordes et al., NIPS 2013, "Translating embeddings for modeling multi-relational
data"): a relation translates the head onto the tail, score ``-||h + r - t||_p``.

As in the paper's algorithm, every entity vector is projected back onto the unit L2 sphere
after each update. The paper chose the distance (L1 or L2) on validation data per data set, and
so does kgn (``p_norm``): which one wins depends on the graph. Test MRR on Kinships
(``bench/kge_vs_pykeen.py``, d 200, 200 epochs, margin 1, lr 0.01): L2 with free norms 0.151,
L2 + unit entities 0.178, L1 with free norms 0.294, L1 + unit entities 0.319 (PyKEEN's default
recipe, 0.283 there). On a 30k-fact sample of FB15k-237 (d 100, 20 epochs, lr 0.001, 1,500
held-out facts) it is the other way round: L2 + unit 0.150, L2 free 0.128, L1 free 0.114,
L1 + unit 0.019; on the whole of FB15k-237 (d 100, 8 epochs, official valid) L2 0.206 and L1
0.145. L2 is the default.
"""

from __future__ import annotations

import dataclasses

import torch
from torch.nn import functional as F

from neural.errors import ConfigError
from neural.graph.models.base import KGEConfig, ShallowKGE, neg_l1, neg_l1_each, neg_l2, neg_l2_each


@dataclasses.dataclass
class TransEConfig(KGEConfig):
    p_norm: int = 2  # the distance: 1 (L1) or 2 (L2)

    def check(self) -> None:
        super().check()
        if self.p_norm not in (1, 2):
            raise ConfigError(f"model setting p_norm (--set p_norm=...) must be 1 or 2, got {self.p_norm}")


class TransE(ShallowKGE):
    name = "transe"
    Config = TransEConfig
    default_training = "negatives"
    default_loss = "margin"
    default_margin = 1.0

    def __init__(self, spec, config: TransEConfig | None = None, graph: torch.Tensor | None = None):
        super().__init__(spec, config, graph)
        if self.config.p_norm == 1:
            # L1 against all entities is no matrix product (torch.cdist does it without a
            # (B, N, D) tensor); sampled negatives are then gathered rather than picked.
            self.match, self.match_each, self.matmul_scoring = neg_l1, neg_l1_each, False

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

    # An encoder with a TransE decoder scores with these (L2); a TransE model's own p_norm
    # may replace them per instance.
    match = staticmethod(neg_l2)
    match_each = staticmethod(neg_l2_each)
