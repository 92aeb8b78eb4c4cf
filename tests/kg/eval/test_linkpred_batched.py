"""The batched path of filtered_ranks gives exactly the per-query ranks."""

import numpy as np

from kg.eval.linkpred import filtered_ranks


def test_batched_ranks_equal_per_query_ranks_with_ties_and_filters():
    rng = np.random.default_rng(0)
    n_ent, n_rel = 12, 3
    known = np.unique(np.stack([rng.integers(0, n_ent, 80), rng.integers(0, n_rel, 80), rng.integers(0, n_ent, 80)], 1), axis=0)
    test = known[rng.choice(len(known), 25, replace=False)]
    # Rounded scores: many ties, so the realistic tie rule is exercised too.
    table = {(e, r, h): np.round(rng.random(n_ent), 1) for e in range(n_ent) for r in range(n_rel) for h in (False, True)}

    def one(e, r, heads):
        return [table[(e, r, heads)]]

    def batch(es, rs, heads):
        return np.stack([table[(int(e), int(r), heads)] for e, r in zip(es, rs)])

    a = filtered_ranks(one, test, known)
    for size in (1, 7, 100):
        b = filtered_ranks(batch, test, known, batched=True, batch_size=size)
        assert np.array_equal(a.head_ranks, b.head_ranks) and np.array_equal(a.tail_ranks, b.tail_ranks)
    assert len(set(a.ranks.tolist())) > 3 and any(r != int(r) for r in a.ranks)
