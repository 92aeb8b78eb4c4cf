"""RotatE (Sun et al., ICLR 2019, "RotatE: knowledge graph embedding by relational rotation in
complex space"): a relation is a rotation ``r = exp(i theta)``; score ``-||h * r - t||``.

The distance is the L2 norm over the complex vector (as PyKEEN computes it), so scores against
all entities come from one matrix product (``||a - t||^2 = ||a||^2 + ||t||^2 - 2 a.t``); and
since ``|r| = 1``, ``||h * r - t|| = ||h - t * conj(r)||`` scores heads the same way.
"""

from __future__ import annotations

import math

import torch

from neural.graph.models.base import ShallowKGE, neg_l2, neg_l2_each


def rotate(x, phase):
    """Complex ``x`` ([re | im] halves) times ``exp(i * phase)``."""
    xr, xi = x.chunk(2, dim=-1)
    c, s = torch.cos(phase), torch.sin(phase)
    return torch.cat([xr * c - xi * s, xr * s + xi * c], dim=-1)


class RotatE(ShallowKGE):
    name = "rotate"
    complex_valued = True
    relation_width_factor = 0.5  # one phase per complex dimension
    default_training = "negatives"
    default_loss = "nssa"
    default_margin = 4.0  # chosen on Nations valid among 4, 6, 9 (d=200, Xavier init)

    def reset_parameters(self) -> None:
        torch.nn.init.xavier_normal_(self.entity.weight)
        torch.nn.init.uniform_(self.relation.weight, -math.pi, math.pi)

    @staticmethod
    def tail_query(h, r):
        return rotate(h, r)

    @staticmethod
    def head_query(r, t):
        return rotate(t, -r)

    match = staticmethod(neg_l2)
    match_each = staticmethod(neg_l2_each)
