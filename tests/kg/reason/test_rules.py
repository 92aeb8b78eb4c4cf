import numpy as np
import pytest

from kg.errors import KgnError
from kg.reason.errors import RulesFileError
from kg.reason.index import TripleIndex
from kg.reason.predict import predict, score_matrices
from kg.reason.rules import DenseAlgebra, MiningSettings, Rule, RuleSet, mine_rules


def by_text(rs):
    return {r.render(): r for r in rs.rules}


def test_counts_match_hand_computation(chain_index):
    rules = by_text(mine_rules(chain_index, MiningSettings(max_len=2, min_support=2, min_conf=0.0)))
    # p(X,A) ∧ q(A,Y) ⇒ r(X,Y): body pairs (A,C) (D,F) (G,I) (A,C2); r holds for (A,C), (D,F);
    # PCA counts the pairs whose X has some r fact: A and D, i.e. (A,C) (D,F) (A,C2).
    rule = rules["p(X,A) ∧ q(A,Y) ⇒ r(X,Y)"]
    assert (rule.support, rule.body_size, rule.pca_body_size) == (2, 4, 3)
    assert rule.std_confidence == pytest.approx(0.5)
    assert rule.pca_confidence == pytest.approx(2 / 3)
    # Inverse atom: r(X,A) ∧ q(Y,A) ⇒ p(X,Y): pairs (A,B) and (D,E), both p facts.
    inv = rules["r(X,A) ∧ q(Y,A) ⇒ p(X,Y)"]
    assert inv.body == (("r", False), ("q", True))
    assert (inv.support, inv.body_size, inv.pca_body_size) == (2, 2, 2)
    # ^p(X,A) ∧ r(A,Y) ⇒ q(X,Y): B->A->C, E->D->F, B2->A->C; q holds for B-C, E-F;
    # B, E and B2 all have q facts, so the PCA body is the whole body.
    q = rules["p(A,X) ∧ r(A,Y) ⇒ q(X,Y)"]
    assert (q.support, q.body_size, q.pca_body_size) == (2, 3, 3)
    # Nothing else reaches support 2 with at most two atoms.
    assert set(rules) == {"p(X,A) ∧ q(A,Y) ⇒ r(X,Y)", "r(X,A) ∧ q(Y,A) ⇒ p(X,Y)", "p(A,X) ∧ r(A,Y) ⇒ q(X,Y)"}


def test_thresholds_length_and_no_trivial_rules(chain_index):
    rs = mine_rules(chain_index, MiningSettings(max_len=3, min_support=1, min_conf=0.0))
    # The graph's only cycles are the triangles A-B-C and D-E-F, so every length-3 body that ends
    # on a fact's other end revisits a node: under object identity no length-3 rule has support.
    assert max(r.length for r in rs.rules) == 2
    assert not any(r.length == 1 and r.body == ((r.head, False),) for r in rs.rules)
    assert all(r.support >= 1 for r in rs.rules)
    strict = mine_rules(chain_index, MiningSettings(max_len=2, min_support=2, min_conf=0.6))
    assert {r.render() for r in strict.rules} == {"r(X,A) ∧ q(Y,A) ⇒ p(X,Y)", "p(A,X) ∧ r(A,Y) ⇒ q(X,Y)"}
    capped = mine_rules(chain_index, MiningSettings(max_len=3, min_support=1, min_conf=0.0, max_rules_per_head=1))
    assert len(capped.rules) == len({r.head for r in capped.rules})
    with pytest.raises(KgnError, match="rule length"):
        MiningSettings(max_len=4)


def test_rules_file_round_trip(chain_index, tmp_path):
    rs = mine_rules(chain_index, MiningSettings(max_len=2))
    path = tmp_path / "rules.json"
    rs.save(path)
    assert '"format": "kgn-rules/1"' in path.read_text()
    back = RuleSet.load(path)
    assert back.rules == rs.rules and back.settings == rs.settings
    with pytest.raises(RulesFileError, match="run `kgn rules mine` first"):
        RuleSet.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"format": "other/9", "rules": []}')
    with pytest.raises(RulesFileError, match="not a kgn-rules/1 rules file"):
        RuleSet.load(tmp_path / "bad.json")


def test_confidence_kinds():
    rule = Rule("r", "r", (("p", False),), ("p",), support=2, body_size=4, pca_body_size=3)
    assert rule.confidence("std") == 0.5
    assert rule.confidence("pca") == pytest.approx(2 / 3)
    assert rule.confidence("std", pseudo_count=4) == pytest.approx(0.25)
    with pytest.raises(KgnError, match="unknown confidence 'max'"):
        rule.confidence("max")


def test_object_identity_length_two_self_loop():
    # s(a,a) ∧ r(a,b) grounds s(X,A) ∧ r(A,Y) only with A = X = a, which object identity forbids;
    # c -s-> e -r-> f is a proper grounding. So the rule ⇒ t(X,Y) has body {(c,f)} and support 1
    # (without object identity it would be body {(a,b), (c,f)}, support 2).
    index = TripleIndex.from_triples([("a", "s", "a"), ("a", "r", "b"), ("a", "t", "b"),
                                      ("c", "s", "e"), ("e", "r", "f"), ("c", "t", "f")])
    rules = by_text(mine_rules(index, MiningSettings(max_len=2, min_support=1, min_conf=0.0)))
    rule = rules["s(X,A) ∧ r(A,Y) ⇒ t(X,Y)"]
    assert (rule.support, rule.body_size, rule.pca_body_size) == (1, 1, 1)


def test_object_identity_length_three_reusing_the_head_fact():
    # r(a,b), r(c,b), r(c,d). Body r(X,A) ∧ r(B,A) ∧ r(B,Y) (codes r, ^r, r): the walks are
    # a→b→a→b, a→b→c→b, a→b→c→d, c→b→a→b, c→b→c→b, c→b→c→d, c→d→c→b, c→d→c→d. Only a→b→c→d has
    # four distinct nodes, so the body is {(a,d)} and its support 0; without object identity it
    # would be {(a,b), (a,d), (c,b), (c,d)} with support 3, i.e. the rule would "confirm" every
    # r fact through the fact itself.
    index = TripleIndex.from_triples([("a", "r", "b"), ("c", "r", "b"), ("c", "r", "d")])
    a, b, c, d = (index.entity_id[e] for e in "abcd")
    r_fwd, r_inv = 0, 1
    alg = DenseAlgebra(index)
    rows = np.arange(index.num_entities)
    body = alg.bodies((r_fwd, r_inv), alg.prefix((r_fwd, r_inv)), rows)[r_fwd]
    assert {(int(x), int(y)) for x, y in zip(*np.nonzero(body))} == {(a, d)}
    mined = mine_rules(index, MiningSettings(max_len=3, min_support=1, min_conf=0.0))
    assert "r(X,A) ∧ r(B,A) ∧ r(B,Y) ⇒ r(X,Y)" not in by_text(mined)
    # Applying the rule agrees: per query (predict) and for the whole graph (score_matrices).
    rule = Rule("r", "r", (("r", False), ("r", True), ("r", False)), ("r", "r", "r"), 1, 1, 1)
    rs = RuleSet((rule,))
    assert [p.tail_label for p in predict(index, rs, "a", "r", include_known=True)] == ["d"]
    assert predict(index, rs, "c", "r", include_known=True) == []
    assert [p.head_label for p in predict(index, rs, "d", "r", heads=True, include_known=True)] == ["a"]
    (ev,) = predict(index, rs, "a", "r")[0].evidence
    assert [path.render() for path in ev.paths] == ["a -[r]-> b <-[r]- c -[r]-> d"]
    keys = score_matrices(index, rs)[0][0]
    assert {(int(x), int(y)) for x, y in zip(*np.nonzero(keys))} == {(a, d)}


def test_dense_bodies_match_brute_force_walks():
    # Inclusion–exclusion on walk counts vs. enumerating distinct-node walks, on a random graph
    # with self-loops, 2-cycles and parallel relations, for every body of length ≤ 3.
    from kg.reason.predict import _walk

    rng = np.random.default_rng(0)
    facts = {(f"e{h}", f"r{r}", f"e{t}") for h, r, t in rng.integers(0, [7, 2, 7], size=(30, 3))}
    index = TripleIndex.from_triples(sorted(facts))
    alg = DenseAlgebra(index)
    n, rows, codes = index.num_entities, np.arange(index.num_entities), range(2 * index.num_relations)
    for pre in [()] + [(c,) for c in codes] + [(c1, c2) for c1 in codes for c2 in codes]:
        bodies = alg.bodies(pre, alg.prefix(pre), rows)
        for last in codes:
            expected = np.zeros((n, n), dtype=bool)
            for x in range(n):
                expected[x, _walk(index, x, pre + (last,))] = True
            assert (bodies[last] == expected).all(), (pre, last)


def test_per_head_cap_ranks_by_smoothed_confidence():
    # s ⇒ r: support 1 of body 1 (confidence 1, smoothed 1/6); t ⇒ r: support 3 of body 4
    # (confidence 0.75, smoothed 3/9). With one rule per head the smoothed ranking keeps t ⇒ r.
    facts = [("a", "s", "b"), ("a", "r", "b")] + [(x, "t", y) for x, y in ("cd", "ef", "gh", "ij")] + \
        [(x, "r", y) for x, y in ("cd", "ef", "gh")]
    index = TripleIndex.from_triples(facts)
    kept = {pc: [r.render() for r in mine_rules(index, MiningSettings(1, 1, 0.0, 1, pc)).for_head("r")]
            for pc in (0.0, 5.0)}
    assert kept == {0.0: ["s(X,Y) ⇒ r(X,Y)"], 5.0: ["t(X,Y) ⇒ r(X,Y)"]}
    with pytest.raises(KgnError, match="pseudo count"):
        MiningSettings(pseudo_count=-1)
