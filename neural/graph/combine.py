"""Rules and embeddings together: one score per candidate from a rule score and an embedding
score, with the mixing weight chosen on the validation split.

The mix is ``w * rule + (1 - w) * embed`` over per-query normalised scores: rule scores are
confidences in [0, 1] (0 where no rule fires), embedding scores become a softmax over the
candidates. ``w = 1`` ranks by rules and breaks their ties (and the candidates no rule reaches)
by the embedding; ``w = 0`` is the embedding alone. :func:`choose_weight` measures filtered MRR
on valid for each weight in a grid and keeps the best, so "both" is never worse on valid than
either part alone on the grid's end points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from kg.eval.linkpred import filtered_ranks

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
# Rule-only ranking keeps the embedding as a tie-breaker with this small weight.
TIE_BREAK = 1e-3

ScoreBatch = Callable[[np.ndarray, np.ndarray, bool], np.ndarray]


def softmax_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def combine_scores(rule: np.ndarray, embed: np.ndarray, weight: float) -> np.ndarray:
    """Mixed scores of (B, N) rule confidences and (B, N) raw embedding scores."""
    rule = np.asarray(rule, dtype=np.float64)
    p = softmax_rows(embed)
    w = min(max(float(weight), 0.0), 1.0)
    if w >= 1.0:
        return rule + TIE_BREAK * p
    return w * rule + (1.0 - w) * p


def combined_scorer(rule_fn: ScoreBatch, embed_fn: ScoreBatch, weight: float) -> ScoreBatch:
    """A batched score function (for :func:`kg.eval.linkpred.filtered_ranks`) of the mix."""
    def score(entities, relations, heads):
        return combine_scores(rule_fn(entities, relations, heads), embed_fn(entities, relations, heads), weight)

    return score


@dataclass
class Combination:
    """The chosen weight and the valid MRR of every weight tried."""

    weight: float
    valid_mrr: dict[float, float] = field(default_factory=dict)

    @property
    def best_mrr(self) -> float:
        return self.valid_mrr[self.weight]

    def to_dict(self) -> dict:
        return {"weight": self.weight, "valid_mrr": {str(k): v for k, v in self.valid_mrr.items()}}


def choose_weight(rule_fn: ScoreBatch, embed_fn: ScoreBatch, valid: np.ndarray, known: np.ndarray,
                  weights: Sequence[float] = WEIGHTS, batch_size: int = 256) -> Combination:
    """The weight with the best filtered MRR on ``valid`` (ties: the smaller weight)."""
    # Score valid once per side, then re-mix the cached scores for every weight.
    cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def cached(entities, relations, heads):
        key = (bool(heads), np.asarray(entities).tobytes(), np.asarray(relations).tobytes())
        if key not in cache:
            cache[key] = (np.asarray(rule_fn(entities, relations, heads)), np.asarray(embed_fn(entities, relations, heads)))
        return cache[key]

    mrr = {}
    for w in weights:
        def score(entities, relations, heads, w=w):
            r, e = cached(entities, relations, heads)
            return combine_scores(r, e, w)

        mrr[float(w)] = filtered_ranks(score, valid, known, batched=True, batch_size=batch_size).metrics()["MRR"]
    best = max(mrr, key=lambda w: (mrr[w], -w))
    return Combination(best, mrr)
