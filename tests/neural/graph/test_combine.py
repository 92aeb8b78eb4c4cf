import numpy as np
import pytest

from neural.graph.combine import choose_weight, combine_scores, combined_scorer


def test_rule_only_weight_keeps_rule_order_and_breaks_ties_by_embedding():
    rule = np.array([[0.9, 0.0, 0.0, 0.5]])
    embed = np.array([[0.0, 3.0, 1.0, 9.0]])
    mixed = combine_scores(rule, embed, 1.0)
    assert list(np.argsort(-mixed[0])) == [0, 3, 1, 2]  # rules first, then the embedding's order
    assert list(np.argsort(-combine_scores(rule, embed, 0.0)[0])) == [3, 1, 2, 0]


def test_chosen_weight_beats_both_parts_when_each_knows_half():
    # 20 queries over 10 entities; rules know the answer of the even queries, embeddings of the odd.
    n, q = 10, 20
    test = np.array([[i % n, 0, (i * 3 + 1) % n] for i in range(q)])
    known = test.copy()
    answer = {(int(h), False): int(t) for h, _, t in test}
    answer.update({(int(t), True): int(h) for h, _, t in test})
    rng = np.random.default_rng(0)
    noise = {}

    def side(parity):
        def score(ents, rels, heads):
            out = []
            for e in ents:
                key = (int(e), heads, parity)
                v = noise.setdefault(key, rng.random(n) * 0.1)
                row = v.copy()
                if int(e) % 2 == parity:
                    row[answer[(int(e), heads)]] = 1.0
                out.append(row)
            return np.stack(out)
        return score

    rule_fn, embed_fn = side(0), side(1)
    combo = choose_weight(rule_fn, embed_fn, test, known)
    assert 0.0 < combo.weight < 1.0
    assert combo.best_mrr > combo.valid_mrr[0.0] + 0.1 and combo.best_mrr > combo.valid_mrr[1.0] + 0.1
    s = combined_scorer(rule_fn, embed_fn, combo.weight)(np.array([0, 1]), np.array([0, 0]), False)
    assert s.shape == (2, n) and combo.to_dict()["weight"] == pytest.approx(combo.weight)
