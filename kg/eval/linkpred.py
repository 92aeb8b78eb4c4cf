"""Filtered link-prediction ranking: MRR and Hits@k over head and tail queries.

Protocol (Bordes et al., NIPS 2013, "filtered" setting): for a test triple (h, r, t) the tail
query ranks t among all entities after removing every *other* known true tail of (h, r) (from
train, valid and test); the head query does the same for h. Ties are counted fairly with the
*realistic* rank as PyKEEN defines it (Berrendorf et al., 2020, "Interpretable and fair
comparison of link prediction or entity alignment methods"): the mean of the optimistic rank
(1 + #better) and the pessimistic rank (#better + #tied, the answer included), i.e. the
expected rank under random tie-breaking. MRR is the mean of 1 / realistic rank; Hits@k is the
share of realistic ranks ≤ k. Scores may be lexicographic: a list of score arrays, compared
key by key (e.g. max confidence, then noisy-or).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

HITS_AT = (1, 3, 10)
# Batched ranking scores at most this many (query, candidate) cells at once per key, so that a
# graph of a million entities is ranked a few queries at a time instead of exhausting memory.
MAX_CELLS = 1 << 22


@dataclass
class RankingResult:
    """Realistic ranks of head and tail queries, with the usual summaries."""

    head_ranks: np.ndarray
    tail_ranks: np.ndarray
    extra: dict = field(default_factory=dict)

    @property
    def ranks(self) -> np.ndarray:
        return np.concatenate([self.head_ranks, self.tail_ranks])

    def metrics(self, ranks: np.ndarray | None = None) -> dict[str, float]:
        r = self.ranks if ranks is None else ranks
        out = {"MRR": float(np.mean(1.0 / r)) if len(r) else 0.0}
        for k in HITS_AT:
            out[f"Hits@{k}"] = float(np.mean(r <= k)) if len(r) else 0.0
        return out

    def table(self) -> str:
        lines = [f"{'direction':<10}{'queries':>8}{'MRR':>8}" + "".join(f"{'H@' + str(k):>8}" for k in HITS_AT)]
        for name, r in (("head", self.head_ranks), ("tail", self.tail_ranks), ("both", self.ranks)):
            m = self.metrics(r)
            lines.append(f"{name:<10}{len(r):>8}{m['MRR']:>8.3f}" + "".join(f"{m[f'Hits@{k}']:>8.3f}" for k in HITS_AT))
        return "\n".join(lines)


def realistic_rank(keys: Sequence[np.ndarray], answer: int, filtered: np.ndarray) -> float:
    """Realistic rank of ``answer`` among the candidates; ``keys`` are 1-D score arrays compared
    lexicographically (higher is better); ``filtered`` is a boolean mask of candidates to drop
    (other true answers; the answer itself is never dropped)."""
    keep = ~filtered
    keep[answer] = True
    better = np.zeros(len(keys[0]), dtype=bool)
    tied = np.ones(len(keys[0]), dtype=bool)
    for k in keys:
        a = k[answer]
        better |= tied & (k > a)
        tied &= k == a
    n_better = int(np.count_nonzero(better & keep))
    n_tied = int(np.count_nonzero(tied & keep))  # includes the answer
    return ((n_better + 1) + (n_better + n_tied)) / 2.0


def filtered_ranks(score_fn: Callable[[int, int, bool], Sequence[np.ndarray]], test: np.ndarray,
                   known: np.ndarray, *, batched: bool = False, batch_size: int = 256) -> RankingResult:
    """Rank every test triple in both directions.

    ``score_fn(entity, relation, heads)`` returns the score keys over all entities for the query
    ``(entity, relation, ?)`` (``heads=False``) or ``(?, relation, entity)`` (``heads=True``).
    ``known`` holds all true triples (train + valid + test) as an (n, 3) id array.

    With ``batched=True``, ``score_fn(entities, relations, heads)`` takes id arrays of up to
    ``batch_size`` queries and returns one ``(len(entities), n_entities)`` score array, or a list
    of them compared key by key (higher is better); the ranks are the same as the per-query path
    gives, computed a batch at a time (embedding models score a batch in one matrix product).
    Queries are batched in relation order, so a scorer that works one relation at a time (rules)
    mostly sees one relation per batch. Memory is ``batch_size`` × entities per key (batches
    shrink so that this stays under :data:`MAX_CELLS`).
    """
    n_ent = int(max(known[:, [0, 2]].max(), test[:, [0, 2]].max())) + 1
    if batched:
        return _filtered_ranks_batched(score_fn, np.asarray(test).reshape(-1, 3), np.asarray(known), n_ent,
                                       max(min(int(batch_size), MAX_CELLS // n_ent), 1))
    tails, heads_of = defaultdict(list), defaultdict(list)
    for h, r, t in known.tolist():
        tails[(h, r)].append(t)
        heads_of[(r, t)].append(h)
    head_ranks, tail_ranks = [], []
    for h, r, t in test.tolist():
        mask = np.zeros(n_ent, dtype=bool)
        mask[tails[(h, r)]] = True
        keys = [np.asarray(k)[:n_ent] for k in score_fn(h, r, False)]
        tail_ranks.append(realistic_rank(keys, t, mask))
        mask = np.zeros(n_ent, dtype=bool)
        mask[heads_of[(r, t)]] = True
        keys = [np.asarray(k)[:n_ent] for k in score_fn(t, r, True)]
        head_ranks.append(realistic_rank(keys, h, mask))
    return RankingResult(np.array(head_ranks, dtype=float), np.array(tail_ranks, dtype=float))


def _realistic_ranks(keys: Sequence[np.ndarray], answers: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """:func:`realistic_rank` for a block of queries at once (row i: answer ``answers[i]``)."""
    rows = np.arange(len(answers))
    keep[rows, answers] = True
    better = np.zeros(keep.shape, dtype=bool)
    tied = np.ones(keep.shape, dtype=bool)
    for k in keys:
        a = k[rows, answers][:, None]
        better |= tied & (k > a)
        tied &= k == a
    n_better = np.count_nonzero(better & keep, axis=1)
    n_tied = np.count_nonzero(tied & keep, axis=1)
    return ((n_better + 1) + (n_better + n_tied)) / 2.0


def _answers_csr(keys: np.ndarray, answers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group ``answers`` by integer query key: (sorted unique keys, CSR pointers, answers)."""
    order = np.argsort(keys, kind="stable")
    keys, answers = keys[order], answers[order]
    uniq, start = np.unique(keys, return_index=True)
    return uniq, np.append(start, len(keys)), answers


def _filtered_ranks_batched(score_fn, test: np.ndarray, known: np.ndarray, n_ent: int,
                            batch_size: int) -> RankingResult:
    n_rel = int(max(known[:, 1].max(), test[:, 1].max())) + 1 if len(known) else 1
    # Known answers of every (entity, relation) query, per direction, as CSR over a packed key.
    tails = _answers_csr(known[:, 0] * n_rel + known[:, 1], known[:, 2])
    heads = _answers_csr(known[:, 2] * n_rel + known[:, 1], known[:, 0])
    by_relation = np.argsort(test[:, 1], kind="stable")
    out = {}
    for direction, (ent_col, ans_col, csr) in {"tail": (0, 2, tails), "head": (2, 0, heads)}.items():
        uniq, ptr, answers = csr
        ranks = np.empty(len(test), dtype=float)
        for s in range(0, len(test), batch_size):
            idx = by_relation[s:s + batch_size]
            chunk = test[idx]
            ent, rel, ans = chunk[:, ent_col], chunk[:, 1], chunk[:, ans_col]
            scores = score_fn(ent, rel, direction == "head")
            keys = [np.asarray(k, dtype=np.float64)[:, :n_ent]
                    for k in (scores if isinstance(scores, (list, tuple)) else [scores])]
            rows = np.arange(len(chunk))
            # Drop every known answer of the query (the one being ranked is put back below).
            pos = np.searchsorted(uniq, ent * n_rel + rel)
            pos = np.minimum(pos, len(uniq) - 1)
            hit = uniq[pos] == ent * n_rel + rel
            lo, hi = np.where(hit, ptr[pos], 0), np.where(hit, ptr[pos + 1], 0)
            counts = hi - lo
            row_idx = np.repeat(rows, counts)
            col_idx = answers[np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))]
            keep = np.ones(keys[0].shape, dtype=bool)
            keep[row_idx, col_idx] = False
            ranks[idx] = _realistic_ranks(keys, ans, keep)
        out[direction] = ranks
    return RankingResult(out["head"], out["tail"])
