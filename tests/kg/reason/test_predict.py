import numpy as np
import pytest

from kg.reason.predict import ApplySettings, RuleApplier, infer, predict, rank_key
from kg.reason.rules import MiningSettings, mine_rules


@pytest.fixture
def rules(chain_index):
    return mine_rules(chain_index, MiningSettings(max_len=2, min_support=2, min_conf=0.0, acyclic_len=0))


def test_tail_prediction_with_explanation(chain_index, rules):
    preds = predict(chain_index, rules, "G", "r")
    assert [(p.head_label, p.relation_label, p.tail_label) for p in preds] == [("G", "r", "I")]
    p = preds[0]
    assert p.score == pytest.approx(0.5) and p.noisy_or == pytest.approx(0.5)
    (ev,) = p.evidence
    assert ev.rule.render() == "p(X,A) ∧ q(A,Y) ⇒ r(X,Y)"
    assert [path.render() for path in ev.paths] == ["G -[p]-> H -[q]-> I"]
    # PCA confidence of the same rule is 2/3.
    assert predict(chain_index, rules, "G", "r", settings=ApplySettings("pca"))[0].score == pytest.approx(2 / 3)


def test_known_facts_left_out_and_head_queries(chain_index, rules):
    # (A, r, ?): C is already known, C2 is new.
    assert [p.tail_label for p in predict(chain_index, rules, "A", "r")] == ["C2"]
    assert [p.tail_label for p in predict(chain_index, rules, "A", "r", include_known=True)] == ["C", "C2"]
    heads = predict(chain_index, rules, "I", "r", heads=True)
    assert [(p.head_label, p.tail_label) for p in heads] == [("G", "I")]
    assert heads[0].evidence[0].paths[0].render() == "G -[p]-> H -[q]-> I"


def test_only_keeps_the_given_candidates(chain_index, rules):
    everything = predict(chain_index, rules, "A", "r", include_known=True)
    c2 = chain_index.resolve_entity("C2")
    (kept,) = predict(chain_index, rules, "A", "r", include_known=True, only=[c2])
    assert kept.tail_label == "C2" and kept == next(p for p in everything if p.tail_label == "C2")
    assert predict(chain_index, rules, "A", "r", only=[]) == []


def test_infer_threshold(chain_index, rules):
    found = {(p.head_label, p.relation_label, p.tail_label): p.score for p in infer(chain_index, rules, min_confidence=0.5)}
    # p∘q ⇒ r (0.5) gives G r I and A r C2; ^p∘r ⇒ q (2/3) gives B2 q C (B2 <-p- A -r-> C).
    assert found == {("G", "r", "I"): 0.5, ("A", "r", "C2"): 0.5, ("B2", "q", "C"): pytest.approx(2 / 3)}
    assert {k for k in found if found[k] >= 0.6} == {("B2", "q", "C")}
    assert len(infer(chain_index, rules, min_confidence=0.6)) == 1


def test_body_pairs_under_a_small_walk_budget_equal_the_unbounded_walk():
    from kg.reason.index import TripleIndex
    from kg.reason.predict import body_pairs
    from kg.reason.walks import Steps, walk_body

    rng = np.random.default_rng(0)
    facts = np.unique(np.stack([rng.integers(0, 60, 600), rng.integers(0, 3, 600), rng.integers(0, 60, 600)], 1), axis=0)
    index = TripleIndex(tuple(f"e{i}" for i in range(60)), ("a", "b", "c"), facts)
    steps = Steps.of(index)
    codes = (0, 2, 4)  # three forward steps of a, b, c
    starts = steps.sources(codes[0])
    w = walk_body(steps, starts, codes).walks
    exact = set(zip(w[:, 0].tolist(), w[:, -1].tolist()))
    per_start = int(np.bincount(w[:, 0]).max())
    assert len(w) > 10 * per_start  # the budget below is far smaller than one unbounded walk
    assert body_pairs(steps, starts, codes, budget=per_start) == exact
    # A start with more groundings than the budget keeps a sample of them: never a wrong pair.
    sampled = body_pairs(steps, starts, codes, budget=max(per_start // 4, 1))
    assert sampled < exact and len(sampled) > len(exact) // 2


def test_score_keys_agree_with_predict(chain_index, rules):
    app = RuleApplier(chain_index, rules)
    r = chain_index.relation_id["r"]
    g, i = chain_index.entity_id["G"], chain_index.entity_id["I"]
    keys = app.score_keys(g, r, heads=False)
    assert len(keys) == app.settings.depth + 1 and all(k.shape == (chain_index.num_entities,) for k in keys)
    assert keys[0][i] == pytest.approx(0.5)
    assert keys[1][i] == 0.0  # only one rule
    assert keys[-1][i] == pytest.approx(-np.log(0.5))
    assert np.flatnonzero(keys[0]).tolist() == [i]
    assert np.flatnonzero(app.score_keys(i, r, heads=True)[0]).tolist() == [g]
    # Noisy-or alone: one key.
    (noisy,) = RuleApplier(chain_index, rules, ApplySettings(aggregation="noisy-or")).score_keys(g, r, False)
    assert noisy[i] == pytest.approx(-np.log(0.5))


def test_rank_key_is_anyburl_max_then_noisy_or():
    assert rank_key([0.9, 0.2], 2) > rank_key([0.9], 2) > rank_key([0.8, 0.8, 0.8], 2)
    assert rank_key([0.5, 0.5, 0.5], 1) > rank_key([0.5, 0.5], 1)
