import numpy as np
import pytest

from kg.eval.linkpred import filtered_ranks, realistic_rank


def test_realistic_rank_averages_ties():
    keys = [np.array([3.0, 5.0, 5.0, 1.0])]
    assert realistic_rank(keys, 1, np.zeros(4, bool)) == 1.5  # optimistic 1, pessimistic 2
    assert realistic_rank(keys, 3, np.zeros(4, bool)) == 4.0
    # Filtering the other tied answer leaves rank 1; the answer itself is never filtered.
    assert realistic_rank(keys, 1, np.array([False, True, True, False])) == 1.0
    # All tied: expected rank (n + 1) / 2.
    assert realistic_rank([np.zeros(5)], 0, np.zeros(5, bool)) == 3.0


def test_lexicographic_keys_break_ties():
    keys = [np.array([5.0, 5.0, 1.0]), np.array([0.1, 0.9, 0.0])]
    assert realistic_rank(keys, 1, np.zeros(3, bool)) == 1.0
    assert realistic_rank(keys, 0, np.zeros(3, bool)) == 2.0


def test_filtered_ranks_both_directions():
    # 3 entities, 1 relation. Known: (0,0,1) train, (0,0,2) test.
    known = np.array([[0, 0, 1], [0, 0, 2]])
    test = np.array([[0, 0, 2]])
    scores = {False: np.array([0.0, 0.9, 0.5]), True: np.array([0.2, 0.7, 0.2])}

    def score_fn(e, r, heads):
        return [scores[heads]]

    res = filtered_ranks(score_fn, test, known)
    # Tail query (0, 0, ?): entity 1 scores higher but is a known tail -> filtered -> rank 1.
    assert res.tail_ranks.tolist() == [1.0]
    # Head query (?, 0, 2): entity 1 is better (not a known head of (0, 2)); entity 2 ties with the answer.
    assert res.head_ranks.tolist() == [2.5]
    m = res.metrics()
    assert m["MRR"] == pytest.approx((1 + 1 / 2.5) / 2)
    assert m["Hits@1"] == 0.5 and m["Hits@3"] == 1.0
    assert "both" in res.table()


def test_batched_ranking_with_several_keys_matches_per_query():
    rng = np.random.default_rng(0)
    known = np.unique(rng.integers(0, [9, 3, 9], size=(40, 3)), axis=0)
    test = known[rng.choice(len(known), 12, replace=False)]
    table = rng.integers(0, 3, size=(2, 3, 9, 9)).astype(float)  # [heads, relation, entity, candidate]

    def one(e, r, heads):
        return [table[int(heads), r, e], -table[int(heads), r, e] % 2]

    def batch(ents, rels, heads):
        return [table[int(heads), rels, ents], -table[int(heads), rels, ents] % 2]

    a = filtered_ranks(one, test, known)
    b = filtered_ranks(batch, test, known, batched=True, batch_size=2)
    assert a.head_ranks.tolist() == b.head_ranks.tolist() and a.tail_ranks.tolist() == b.tail_ranks.tolist()
    assert len(set(a.ranks.tolist())) > 2  # ties and non-ties both occur
