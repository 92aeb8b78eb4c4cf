"""The sampling miner against exact counts (the dense miner and brute force), its budgets and
rules with constants."""

import numpy as np
import pytest

from kg.errors import KgnError
from kg.reason.index import TripleIndex
from kg.reason.predict import _walks, predict
from kg.reason.rules import MiningSettings, RuleSet, mine_rule_grid, mine_rules
from kg.reason.rules_sampled import MiningMemoryError


def random_graph(seed=1, n=30, r=4, m=200):
    rng = np.random.default_rng(seed)
    facts = {(f"e{h}", f"r{x}", f"e{t}") for h, x, t in rng.integers(0, [n, r, n], size=(m, 3))}
    return TripleIndex.from_triples(sorted(facts))


def counts(rs):
    return {r.render(): (r.support, r.body_size, r.pca_body_size) for r in rs.rules}


@pytest.fixture(scope="module")
def graph():
    return random_graph()


@pytest.fixture(scope="module")
def dense(graph):
    return mine_rules(graph, MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="dense"))


def test_sampled_closed_rules_have_the_exact_counts(graph, dense):
    sampled = mine_rules(graph, MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="sampled"))
    assert sampled.method == "sampled" and sampled.stopped == "saturated"
    exact, got = counts(dense), counts(sampled)
    assert set(got) <= set(exact)
    assert all(got[k] == exact[k] for k in got)  # below the walk budget counting is exact
    assert all(r.exact for r in sampled.rules)
    assert len(got) >= 0.95 * len(exact)  # bottom-up sampling finds (almost) every rule
    assert {r.length for r in sampled.rules} == {1, 2, 3}
    assert any(inv for r in sampled.rules for _, inv in r.body)


def test_small_walk_budget_estimates_confidence(graph, dense):
    # A walk budget far below the groundings: counts come from a sample of start entities and
    # are scaled up; the confidence estimates stay close to the exact ones.
    st = MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="sampled", walk_budget=40)
    sampled = mine_rules(graph, st)
    exact = {r.render(): r.std_confidence for r in dense.rules}
    est = [(r.std_confidence, exact[r.render()]) for r in sampled.rules if not r.exact and r.render() in exact]
    assert len(est) > 100
    err = np.abs(np.array(est)[:, 0] - np.array(est)[:, 1])
    assert err.mean() < 0.1



def test_counting_sample_estimates_big_bodies_and_counts_small_ones_exactly(graph, dense):
    # The walk budget stays large; the counting sample alone decides which bodies are estimated.
    st = MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="sampled", count_sample=60)
    sampled = mine_rules(graph, st)
    exact = counts(dense)
    conf = {r.render(): r.std_confidence for r in dense.rules}
    est = [(r.std_confidence, conf[r.render()]) for r in sampled.rules if not r.exact and r.render() in conf]
    assert len(est) > 100
    assert np.abs(np.subtract(*np.array(est).T)).mean() < 0.1
    small = [r for r in sampled.rules if r.exact]
    assert small and all((r.support, r.body_size, r.pca_body_size) == exact[r.render()] for r in small)
    # Rules of length 1 have at most a few dozen groundings here: all below the sample, all exact.
    assert all(r.exact for r in sampled.rules if r.length == 1)
    with pytest.raises(KgnError, match="counting sample must be at least 1"):
        MiningSettings(count_sample=0)



def test_closed_rules_keep_being_sampled_after_rules_with_constants_saturate():
    # On a larger graph the one-atom bodies with constants run out long before the closed
    # bodies of length 3: each kind saturates on its own, so sampling keeps finding closed ones
    # (when one share of new bodies over both kinds decided, this found only 73% of them).
    big = random_graph(seed=3, n=150, r=8, m=1000)
    closed = mine_rules(big, MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="sampled"))
    both = mine_rules(big, MiningSettings(3, 2, 0.0, None, acyclic_len=1, method="sampled"))
    n_closed = sum(r.constant is None for r in both.rules)
    assert both.stopped == "saturated" and n_closed >= 0.95 * len(closed.rules)


def brute_force_acyclic(index, rule):
    """Body set, support and PCA body of a rule with constants, by enumerating every X."""
    codes = tuple(2 * index.relation_id[r] + int(inv) for r, inv in rule.body)
    c = index.entity_id[rule.constant]
    end = None if rule.body_constant is None else index.entity_id[rule.body_constant]
    rel = index.relation_id[rule.head]
    facts = {tuple(t) for t in index.triples.tolist()}
    # Object identity: X and the body's free variable are never the head's constant.
    body = [x for x in range(index.num_entities)
            if x != c and any(end is not None or w[-1] != c for w in _walks(index, x, codes, end))]

    def head_holds(x, y):
        return ((y, rel, x) if rule.constant_first else (x, rel, y)) in facts

    support = sum(head_holds(x, c) for x in body)
    pca = sum(any(head_holds(x, y) for y in range(index.num_entities)) for x in body)
    return len(body), support, pca


def test_rules_with_constants_match_brute_force(graph):
    rs = mine_rules(graph, MiningSettings(2, 2, 0.0, None, acyclic_len=2, method="sampled"))
    acyclic = [r for r in rs.rules if r.constant is not None]
    assert {r.kind for r in acyclic} == {"AC1", "AC2"} and {r.length for r in acyclic} == {1, 2}
    assert {r.length for r in acyclic if r.kind == "AC2"} == {1}
    assert any(r.constant_first for r in acyclic) and any(not r.constant_first for r in acyclic)
    for rule in acyclic[::7]:
        assert brute_force_acyclic(graph, rule) == (rule.body_size, rule.support, rule.pca_body_size), rule.render()


def test_auto_mining_adds_rules_with_constants_to_dense_closed_rules(graph, dense):
    rs = mine_rules(graph, MiningSettings(3, 2, 0.0, None, acyclic_len=1))
    assert rs.method == "dense+sampled"
    closed = {k: v for k, v in counts(rs).items() if "e" not in k.split("⇒")[1]}
    assert closed == counts(dense)
    assert any(r.kind == "AC1" for r in rs.rules) and any(r.kind == "AC2" for r in rs.rules)


def people_graph():
    # Three people live in paris and speak french; d lives in paris too. lives(X,paris) ⇒
    # speaks(X,french) holds for 3 of the 4: AC1 confidence 3/4; lives(X,A) ⇒ speaks(X,french) too.
    facts = [(p, "lives", "paris") for p in "abcd"] + [(p, "speaks", "french") for p in "abc"]
    facts += [("e", "lives", "rome"), ("e", "speaks", "italian")]
    return TripleIndex.from_triples(facts)


def test_prediction_with_constants_and_explanations(tmp_path):
    index = people_graph()
    rs = mine_rules(index, MiningSettings(1, 2, 0.0, None, acyclic_len=1))
    text = {r.render(): r for r in rs.rules}
    rule = text["lives(X,paris) ⇒ speaks(X,french)"]
    assert (rule.kind, rule.support, rule.body_size, rule.pca_body_size) == ("AC1", 3, 4, 3)
    (p,) = predict(index, rs, "d", "speaks")
    assert (p.tail_label, p.score) == ("french", pytest.approx(0.75))
    ev = {e.rule.render(): e for e in p.evidence}
    assert [path.render() for path in ev["lives(X,paris) ⇒ speaks(X,french)"].paths] == ["d -[lives]-> paris"]
    # (?, speaks, french): the constant is the query entity; every X that grounds a body: d by
    # lives(X,paris) (3/4), e only by the AC2 rule lives(X,A) ⇒ speaks(X,french) (3/5).
    assert text["lives(X,A) ⇒ speaks(X,french)"].std_confidence == pytest.approx(0.6)
    heads = predict(index, rs, "french", "speaks", heads=True)
    assert [(q.head_label, round(q.score, 2)) for q in heads] == [("d", 0.75), ("e", 0.6)]
    # speaks(X,A) ⇒ speaks(X,french) needs A ≠ french: a, b, c (who speak only french) do not
    # ground it, e does, so it has support 0 and is no rule.
    assert "speaks(X,A) ⇒ speaks(X,french)" not in text
    # Rules with constants survive the rules file.
    rs.save(tmp_path / "r.json")
    assert RuleSet.load(tmp_path / "r.json").rules == rs.rules


def test_memory_bound_fails_cleanly_or_degrades(graph):
    with pytest.raises(MiningMemoryError, match=r"needs at least 0.0\d MiB, over the memory bound of 0.00 MiB"):
        mine_rules(graph, MiningSettings(method="sampled", max_memory=1000))
    with pytest.raises(KgnError, match="over the memory bound"):
        mine_rules(graph, MiningSettings(method="dense", max_memory=100_000))
    # A bound that leaves room for the index but not for the walk budget: fewer walks, estimates.
    tight = mine_rules(graph, MiningSettings(3, 2, 0.0, None, acyclic_len=0, method="sampled",
                                             max_memory=60_000, walk_budget=10**9))
    assert tight.rules and not all(r.exact for r in tight.rules)


def test_time_budget_stops_mining():
    big = random_graph(seed=2, n=3000, r=40, m=20000)
    rs = mine_rules(big, MiningSettings(3, 2, 0.0, acyclic_len=1, time_budget=0.5))
    assert rs.method == "sampled" and rs.stopped == "time budget" and rs.rules
    with pytest.raises(KgnError, match="time budget must be positive"):
        MiningSettings(time_budget=0)


def test_rule_grid_mines_each_length_with_its_own_cap(graph):
    # With a tight per-head cap, the length ≤ 1 set is what mining with length 1 gives, not the
    # few length-1 rules that survive the cap among length-3 ones.
    st = MiningSettings(3, 2, 0.0, 5)
    grid = mine_rule_grid(graph, st, [1, 2, 3], [0, 1, 2])
    assert set(grid) == {(n, a) for n in (1, 2, 3) for a in (0, 1, 2)}
    for (n, a), got in grid.items():
        want = mine_rules(graph, MiningSettings(n, 2, 0.0, 5, acyclic_len=a))
        assert counts(got) == counts(want)
        assert all(r.length <= (n if r.constant is None else a) for r in got.rules)
    assert 2 in {r.length for r in grid[1, 2].rules if r.constant is not None}
    subset = [r for r in grid[3, 1].rules if r.length == 1 and r.constant is None]
    assert len(grid[1, 0].rules) > len(subset)


def test_rule_grid_on_a_sampled_graph_takes_subsets_of_one_mining(graph):
    st = MiningSettings(3, 2, 0.0, None, method="sampled")
    grid = mine_rule_grid(graph, st, [2, 3], [0, 1])
    full = mine_rules(graph, MiningSettings(3, 2, 0.0, None, method="sampled", acyclic_len=1))
    assert counts(grid[3, 1]) == counts(full)
    assert counts(grid[2, 0]) == {r.render(): (r.support, r.body_size, r.pca_body_size)
                                  for r in full.rules if r.constant is None and r.length <= 2}


@pytest.mark.parametrize("method", ["auto", "sampled"])
def test_rules_with_constants_capped_per_constant(graph, method):
    # Closed rules keep the per-head cap; rules with constants get a cap per (head, constant,
    # side), and keep that group's best rules by smoothed confidence.
    every = mine_rules(graph, MiningSettings(2, 2, 0.0, None, acyclic_len=1, method=method))
    capped = mine_rules(graph, MiningSettings(2, 2, 0.0, 4, acyclic_len=1, method=method, max_rules_per_constant=2))

    def groups(rules):
        out = {}
        for r in rules:
            key = (r.head,) if r.constant is None else (r.head, r.constant, r.constant_first)
            out.setdefault(key, []).append(r)
        return out

    conf = lambda r: r.confidence("std", 5.0)
    every_g, capped_g = groups(every.rules), groups(capped.rules)
    assert set(capped_g) == set(every_g)
    assert any(len(v) > 2 for k, v in every_g.items() if len(k) == 3)
    for key, lst in capped_g.items():
        keep = 4 if len(key) == 1 else 2
        assert len(lst) == min(keep, len(every_g[key]))
        best = sorted((conf(r) for r in every_g[key]), reverse=True)[:keep]
        assert sorted((conf(r) for r in lst), reverse=True) == pytest.approx(best)
    assert sum(len(k) == 3 for k in capped_g) * 2 >= sum(r.constant is not None for r in capped.rules) > 4 * len(
        {r.head for r in capped.rules})  # more rules with constants than one per-head cap holds


def test_caps_must_be_positive():
    with pytest.raises(KgnError, match="max rules per constant"):
        MiningSettings(max_rules_per_constant=0)
