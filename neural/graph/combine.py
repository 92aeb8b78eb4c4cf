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


# -- rules and an embedding model over one graph -------------------------------------------------
def rule_scorer(applier) -> ScoreBatch:
    """A :data:`ScoreBatch` of rule scores from a :class:`kg.reason.predict.RuleApplier`: per
    candidate, its best rule's confidence ("max") or its noisy-or ("noisy-or"); 0 where no rule
    fires."""
    noisy = applier.settings.aggregation == "noisy-or"
    keys_of = applier.scorer()

    def score(entities, relations, heads):
        keys = keys_of(entities, relations, heads)
        # noisy-or keys hold -Σ log(1 - conf); 1 - exp(-x) turns that back into a probability.
        return -np.expm1(-keys[-1]) if noisy else keys[0]

    return score


def train_index(data):
    """The train facts of a :class:`neural.graph.data.KGData` as a rule index in the model's id
    space: rules applied over it never see the valid and test facts they are scored on."""
    from kg.reason.index import TripleIndex

    return TripleIndex(data.ids.entities, data.ids.relations, data.train)


def mix_on_valid(data, model, applier, valid: np.ndarray | None = None
                 ) -> tuple[Combination, ScoreBatch, ScoreBatch]:
    """The mix weight of ``applier``'s rules (built over :func:`train_index`) and ``model``,
    chosen on ``valid`` (default: ``data.valid``); also returns the two score functions."""
    rule_fn, embed_fn = rule_scorer(applier), model.scorer()
    combo = choose_weight(rule_fn, embed_fn, data.valid if valid is None else valid, data.known())
    return combo, rule_fn, embed_fn


@dataclass(frozen=True)
class Answer:
    """One answer of :func:`rank_both`: the mixed score and its two parts. ``rule`` is the rule
    prediction (with its evidence) when a rule fires for the candidate; ``embed`` is the model's
    raw score (-inf when the model does not know the candidate)."""

    iri: str
    label: str
    score: float
    rule_score: float
    embed: float
    rule: object = None


def embedding_row(loaded, index, entity: int, relation: int, heads: bool) -> np.ndarray:
    """The model's scores for one query, laid out over the index's entities (-inf where the
    model has no row for an entity). Raises :class:`kg.reason.errors.UnknownEntityError` /
    ``UnknownRelationError`` when the model never saw the query's entity or relation (it was
    trained before they were added: retrain with ``kgn embed``)."""
    from kg.reason.errors import UnknownEntityError, UnknownRelationError

    ids = loaded.ids
    e = ids.entity_id(index.entities[entity])
    if e is None:
        raise UnknownEntityError(index.entity_labels[entity], [])
    r = ids.relation_id(index.relations[relation])
    if r is None:
        raise UnknownRelationError(index.relation_labels[relation], ids.relations)
    raw = loaded.model.scorer()(np.array([e]), np.array([r]), heads)[0]
    rows = np.fromiter((-1 if (j := ids.entity_id(iri)) is None else j for iri in index.entities),
                       dtype=np.int64, count=index.num_entities)
    out = np.full(index.num_entities, -np.inf)
    out[rows >= 0] = raw[rows[rows >= 0]]
    return out


def rank_both(index, applier, loaded, entity, relation, *, heads: bool = False, top: int = 10,
              weight: float = 1.0, explain: bool = False) -> list[Answer]:
    """The ``top`` new answers to ``(entity, relation, ?)`` (``heads``: ``(?, relation, entity)``)
    by ``weight * rule + (1 - weight) * softmax(embedding)`` (:func:`combine_scores`); known
    facts are left out. Rule answers keep their evidence (paths when ``explain``)."""
    from kg.reason.predict import predict

    e = int(index.resolve_entity(entity))
    rel = int(index.resolve_relation(relation))
    rule = rule_scorer(applier)(np.array([e]), np.array([rel]), heads)[0]
    emb = embedding_row(loaded, index, e, rel, heads)
    mixed = combine_scores(rule[None], emb[None], weight)[0]  # softmax gives unknown (-inf) rows 0
    tr = index.triples
    col, match = (0, 2) if heads else (2, 0)
    known = tr[(tr[:, 1] == rel) & (tr[:, match] == e), col]
    mixed[known] = -np.inf
    mixed[e] = -np.inf
    order = np.argsort(-mixed, kind="stable")[:top]
    order = order[np.isfinite(mixed[order])]
    by_tail = {}
    fired = order[rule[order] > 0]
    if len(fired):
        # evidence (and paths with ``explain``) only for the answers shown, not for every
        # candidate some rule reaches
        for p in predict(index, applier, e, rel, top=len(fired), heads=heads, explain=explain, only=fired):
            by_tail[p.head if heads else p.tail] = p
    return [Answer(index.entities[i], index.entity_labels[i], float(mixed[i]), float(rule[i]), float(emb[i]),
                   by_tail.get(index.entities[i])) for i in order.tolist()]
