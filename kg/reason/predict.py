"""Apply mined rules per query: rank tails for ``(h, r, ?)`` or heads for ``(?, r, t)``.

Only the rules of ``r`` that fire from the query entity are walked (vectorised over the CSR
adjacency, walks shared between rules with a common body prefix), so a query costs what its
groundings cost; nothing of size entities × entities is ever built.

Aggregation follows AnyBURL's *max* (Meilicke et al., IJCAI 2019, "Anytime bottom-up rule
learning for knowledge graph completion"): a candidate's score is the highest confidence among
the rules that predict it; ties are broken as AnyBURL does, by the second-highest confidence,
then the third, ... (up to ``ApplySettings.depth`` rules), and what is still tied by the
noisy-or of all its rules' confidences, ``1 - Π(1 - conf_i)`` (compared as ``-Σ log(1 - conf_i)``
so that it does not round to 1.0 when hundreds of rules fire). ``aggregation="noisy-or"`` ranks
by the noisy-or alone. Every prediction lists its rules and the concrete paths that ground them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from kg.reason.index import TripleIndex
from kg.reason.paths import Path, _to_path
from kg.reason.rules import CONFIDENCE_KINDS, Rule, RuleSet
from kg.reason.walks import Steps, _spans, extend, walk_body

AGGREGATIONS = ("max", "noisy-or")


@dataclass(frozen=True)
class ApplySettings:
    """How rule confidences become scores: ``confidence`` 'std' or 'pca', plus AnyBURL's pseudo
    count of unseen negatives added to each rule's body size (0 gives the plain measure)."""

    confidence: str = "std"
    pseudo_count: float = 0.0
    depth: int = 5  # how many top confidences are compared before the noisy-or
    aggregation: str = "max"  # AnyBURL's max-then-tie-break, or "noisy-or"
    # As AnyBURL does, stop applying a query's rules (best first) once this many candidates have
    # a score and the rules of the current confidence are done; None applies every rule. Later,
    # weaker rules could only add candidates ranked below these and deeper tie-breaks.
    top_k: int | None = 100
    walk_budget: int = 1_000_000  # most groundings walked for one rule body of one query

    def __post_init__(self):
        from kg.errors import UnknownNameError

        if self.confidence not in CONFIDENCE_KINDS:
            raise UnknownNameError("confidence", self.confidence, CONFIDENCE_KINDS)
        if self.aggregation not in AGGREGATIONS:
            raise UnknownNameError("aggregation", self.aggregation, AGGREGATIONS)

    def of(self, rule: Rule) -> float:
        return rule.confidence(self.confidence, self.pseudo_count)


@dataclass(frozen=True)
class Evidence:
    """One rule behind a prediction, its confidence, and (some of) the paths that ground it."""

    rule: Rule
    confidence: float
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class Prediction:
    """A predicted fact ``(head, relation, tail)`` with its score and evidence."""

    head: str
    relation: str
    tail: str
    head_label: str
    relation_label: str
    tail_label: str
    score: float
    noisy_or: float
    evidence: tuple[Evidence, ...]

    @property
    def triple(self) -> tuple[str, str, str]:
        return self.head, self.relation, self.tail

    def render(self) -> str:
        return f"{self.head_label} -[{self.relation_label}]-> {self.tail_label}"


# -- walking a rule body over the CSR adjacency -----------------------------------------------------
def _walks(index: TripleIndex, x: int, codes: tuple[int, ...], y: int | None = None) -> Iterator[tuple[int, ...]]:
    """Node sequences of the groundings of ``codes`` from ``x`` (ending at ``y`` if given) under
    object identity, as :class:`kg.reason.rules.DenseAlgebra` counts them: all nodes distinct."""
    nodes = [x]

    def dfs(u: int, depth: int) -> Iterator[tuple[int, ...]]:
        last = depth == len(codes) - 1
        c = codes[depth]
        for j in range(index.indptr[u], index.indptr[u + 1]):
            v = int(index.neighbor[j])
            if index.code[j] != c or v in nodes or (last and y is not None and v != y):
                continue
            nodes.append(v)
            if last:
                yield tuple(nodes)
            else:
                yield from dfs(v, depth + 1)
            nodes.pop()

    return dfs(x, 0)


def _walk(index: TripleIndex, start: int, codes: tuple[int, ...]) -> np.ndarray:
    """Every y that some grounding of ``codes`` reaches from ``start`` (sorted ids)."""
    return np.array(sorted({w[-1] for w in _walks(index, start, codes)}), dtype=np.int64)


def _reverse(codes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(c ^ 1 for c in reversed(codes))


def groundings(index: TripleIndex, x: int, y: int, codes: tuple[int, ...], limit: int = 3) -> list[Path]:
    """Up to ``limit`` concrete paths from ``x`` to ``y`` whose steps are ``codes``."""
    return [_to_path(index, (w, codes)) for w in islice(_walks(index, x, codes, y), limit)]


def _known(index: TripleIndex, rel: int) -> set[tuple[int, int]]:
    tr = index.triples[index.triples[:, 1] == rel]
    return set(zip(tr[:, 0].tolist(), tr[:, 2].tolist()))


def reverse(codes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(c ^ 1 for c in reversed(codes))


@dataclass(frozen=True)
class _Compiled:
    """A rule in index ids. ``const`` < 0 for a cyclic rule; ``end`` < 0 for a body ending in a
    variable. The head of a rule with a constant is the step ``2·rel + const_first`` from X to it."""

    rule: Rule
    conf: float
    rel: int
    codes: tuple[int, ...]
    const: int = -1
    const_first: bool = False
    end: int = -1


def compile_rule(index: TripleIndex, rule: Rule, conf: float) -> _Compiled | None:
    """``rule`` in ``index``'s ids, or None when a relation or constant is not in the index."""
    try:
        rel = index.relation_id[rule.head]
        codes = tuple(2 * index.relation_id[r] + int(inv) for r, inv in rule.body)
        const = -1 if rule.constant is None else index.entity_id[rule.constant]
        end = -1 if rule.body_constant is None else index.entity_id[rule.body_constant]
    except KeyError:
        return None
    return _Compiled(rule, conf, rel, codes, const, rule.constant_first, end)


class RuleApplier:
    """Rules of a :class:`RuleSet` compiled against one index, applied one query at a time.

    The only per-graph state is the keyed adjacency (:class:`kg.reason.walks.Steps`, O(edges)) and
    a cache of the body groundings of rules with constants (they do not depend on the query)."""

    def __init__(self, index: TripleIndex, rules: RuleSet, settings: ApplySettings | None = None):
        self.index, self.settings = index, settings or ApplySettings()
        self.steps = Steps.of(index)
        by_rel: dict[int, list[_Compiled]] = defaultdict(list)
        for rule in rules.rules:
            conf = self.settings.of(rule)
            if conf <= 0:
                continue
            c = compile_rule(index, rule, conf)
            if c is not None:
                by_rel[c.rel].append(c)
        for lst in by_rel.values():
            lst.sort(key=lambda c: -c.conf)
        self.by_rel = dict(by_rel)
        self._body_sets: dict[tuple, np.ndarray] = {}
        self._x_side: dict[tuple[int, bool], tuple] = {}

    def _x_side_table(self, rel: int, heads: bool) -> tuple:
        """The one-atom rules with a constant whose body is checked on the query entity, as sorted
        join keys (AC1: code·N + end; AC2: code) with their positions in ``by_rel[rel]``."""
        key = (rel, heads)
        if key not in self._x_side:
            n = self.index.num_entities
            rows = [(p, c.codes[0], c.end) for p, c in enumerate(self.by_rel.get(rel, ()))
                    if c.const >= 0 and heads == c.const_first and len(c.codes) == 1]
            arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
            out = []
            for ac1 in (True, False):
                sel = arr[(arr[:, 2] >= 0) == ac1]
                k = sel[:, 1] * n + sel[:, 2] if ac1 else sel[:, 1]
                order = np.argsort(k, kind="stable")
                out.append((k[order], sel[order, 0]))
            self._x_side[key] = tuple(out)
        return self._x_side[key]

    def _x_side_fired(self, ents: np.ndarray, rel: int, heads: bool) -> dict[int, np.ndarray]:
        """For the one-atom rules with a constant checked on the query entity: rule position ->
        query rows whose entity grounds the body (one join over the queries' edges)."""
        (k1, p1), (k2, p2) = self._x_side_table(rel, heads)
        if not len(k1) and not len(k2):
            return {}
        n = self.index.num_entities
        row, code, nbr = self.steps.out_edges(ents)
        fired_rows, fired_pos = [], []
        for keys, pos, edge_keys, edge_rows in (
                (k1, p1, code * n + nbr, row),
                (k2, p2, *_unique_pairs(row, code))):
            lo, hi = np.searchsorted(keys, edge_keys, "left"), np.searchsorted(keys, edge_keys, "right")
            e_idx, r_idx = _spans(lo, hi)
            fired_rows.append(edge_rows[e_idx])
            fired_pos.append(pos[r_idx])
        rows, pos = np.concatenate(fired_rows), np.concatenate(fired_pos)
        order = np.lexsort((rows, pos))
        rows, pos = rows[order], pos[order]
        bounds = np.flatnonzero(np.diff(pos)) + 1
        return {int(p[0]): np.unique(r) for p, r in zip(np.split(pos, bounds), np.split(rows, bounds)) if len(p)}

    def body_set(self, c: _Compiled) -> np.ndarray:
        """Every X that grounds the body of a rule with a constant (sorted ids, X ≠ constant)."""
        key = (c.codes, c.end, c.const)
        if key not in self._body_sets:
            budget = self.settings.walk_budget
            if c.end >= 0:
                res = walk_body(self.steps, np.array([c.end]), reverse(c.codes), budget)
                xs = res.walks[:, -1] if res.walks.shape[1] > len(c.codes) else np.zeros(0, np.int64)
            else:
                res = walk_body(self.steps, self.steps.sources(c.codes[0]), c.codes, budget)
                xs = res.walks[:, 0] if res.walks.shape[1] > len(c.codes) else np.zeros(0, np.int64)
            xs = np.unique(xs)
            xs = xs[xs != c.const]
            if c.end < 0:
                xs = xs[self._grounds_free(xs, c)]
            self._body_sets[key] = xs
        return self._body_sets[key]

    def _grounds_free(self, xs: np.ndarray, c: _Compiled) -> np.ndarray:
        """Mask of X that ground the one-atom body b(X,A) of an AC2 rule with A ≠ the head's
        constant (object identity, as the miner counts it)."""
        deg, sole = self.steps.other_neighbours(xs, c.codes[0])
        return (deg > 1) | ((deg == 1) & (sole != c.const))

    def firings(self, entities: np.ndarray, rel: int, heads: bool, level: np.ndarray | None = None
                ) -> Iterator[tuple[_Compiled, np.ndarray, np.ndarray]]:
        """For queries ``(e, rel, ?)`` (or ``(?, rel, e)``) over distinct ``entities``: each rule of
        ``rel`` that fires, best first, as (rule, query rows, candidates) with unique pairs and no
        candidate equal to its query entity. A caller that sets ``level[row]`` ≥ 0 between rules
        gets no rule weaker than that for the row (AnyBURL's early stop); iteration ends when no
        row is left."""
        ents = np.asarray(entities, dtype=np.int64)
        order = np.argsort(ents)
        sorted_ents = ents[order]
        n = self.index.num_entities
        active = np.ones(len(ents), dtype=bool)
        budget = self.settings.walk_budget
        walks: dict[tuple[int, ...], np.ndarray] = {}

        def row_of(e: np.ndarray) -> np.ndarray:
            return order[np.searchsorted(sorted_ents, e)]

        def ends(codes: tuple[int, ...]) -> np.ndarray:
            # Walks from the (still active) query entities, shared by rules with a common prefix.
            if codes not in walks:
                if not codes:
                    walks[codes] = ents[active].reshape(-1, 1)
                else:
                    prev = ends(codes[:-1])
                    if len(prev):
                        prev = prev[active[row_of(prev[:, 0])]]
                    walks[codes] = _extend_all(self.steps, prev, codes[-1], budget) if len(prev) else \
                        np.zeros((0, len(codes) + 1), np.int64)
            return walks[codes]

        def pairs(rows: np.ndarray, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            key = np.unique(rows * n + cands)
            rows, cands = key // n, key % n
            ok = active[rows]
            return rows[ok], cands[ok]

        x_fired = self._x_side_fired(ents, rel, heads)
        ent_set = set(ents.tolist())
        last_conf = None
        for p, c in enumerate(self.by_rel.get(rel, ())):
            if level is not None and c.conf != last_conf:
                np.logical_not((level >= 0) & (c.conf < level), out=active)
                last_conf = c.conf
                if not active.any():
                    return
            if c.const >= 0 and heads != c.const_first and c.const not in ent_set:
                continue  # the rule needs the constant as query entity
            if c.const >= 0 and heads == c.const_first and len(c.codes) == 1:
                rows = x_fired.get(p)
                if rows is None:
                    continue
                rows = rows[active[rows] & (ents[rows] != c.const)]
                if c.end < 0:
                    rows = rows[self._grounds_free(ents[rows], c)]
                if len(rows):
                    yield c, rows, np.full(len(rows), c.const, dtype=np.int64)
                continue
            if c.const < 0:
                w = ends(reverse(c.codes) if heads else c.codes)
                if not len(w):
                    continue
                rows, cands = pairs(row_of(w[:, 0]), w[:, -1])
            elif heads == c.const_first:  # the query entity is X: does the body hold for it?
                if len(c.codes) == 1:
                    lo, hi = self.steps.ranges(ents, c.codes[0])
                    if c.end >= 0:
                        idx, pos = _spans(lo, hi)
                        rows = np.unique(idx[self.steps.neighbor[pos] == c.end])
                    else:
                        rows = np.flatnonzero(hi > lo)
                else:
                    w = ends(c.codes)
                    if c.end >= 0:
                        w = w[w[:, -1] == c.end]
                    rows = np.unique(row_of(w[:, 0]))
                rows = rows[active[rows] & (ents[rows] != c.const)]
                cands = np.full(len(rows), c.const, dtype=np.int64)
            else:  # the query entity is the constant: every X that grounds the body
                hit = np.searchsorted(sorted_ents, c.const)
                if hit >= len(ents) or sorted_ents[hit] != c.const or not active[order[hit]]:
                    continue
                cands = self.body_set(c)
                rows = np.full(len(cands), order[hit], dtype=np.int64)
            if len(rows):
                yield c, rows, cands

    def fire(self, entity: int, rel: int, heads: bool) -> list[tuple[_Compiled, np.ndarray]]:
        """Every rule of ``rel`` that predicts something for one query, with its candidates."""
        return [(c, cands) for c, _, cands in self.firings(np.array([entity]), rel, heads)]

    def score_batch(self, entities, rel: int, heads: bool) -> list[np.ndarray]:
        """Ranking keys for many queries of one relation and direction: a list of
        ``(len(entities), num_entities)`` arrays, higher is better. With "max": the ``depth`` best
        confidences then -Σ log(1 - conf); with "noisy-or": that sum alone. Unpredicted: 0.
        Memory is queries × entities, so callers pass queries in chunks."""
        st, n = self.settings, self.index.num_entities
        ents, inverse_ = np.unique(np.asarray(entities, dtype=np.int64), return_inverse=True)
        q = len(ents)
        depth = st.depth if st.aggregation == "max" else 0
        top = np.zeros((depth, q, n), dtype=np.float64)
        hits = np.zeros((q, n), dtype=np.int32)
        noisy = np.zeros((q, n), dtype=np.float64)
        found = np.zeros(q, dtype=np.int64)
        level = np.full(q, -1.0)  # confidence at which a query reached top_k candidates
        for c, rows, cands in self.firings(ents, rel, heads, level if st.top_k is not None else None):
            conf = min(c.conf, 1.0 - 1e-9)
            k = hits[rows, cands]
            for i in range(depth):
                sel = k == i
                top[i, rows[sel], cands[sel]] = conf
            hits[rows, cands] = k + 1
            noisy[rows, cands] -= math.log1p(-conf)
            if st.top_k is not None:
                found += np.bincount(rows[k == 0], minlength=q)
                level[(found >= st.top_k) & (level < 0)] = c.conf  # finish this confidence, then stop
        keys = [top[i] for i in range(depth)] + [noisy]
        return [k[inverse_] for k in keys]

    def scorer(self):
        """A batched score function ``(entities, relations, heads) -> keys`` over queries of
        mixed relations (grouped by relation here), the shape
        :func:`kg.eval.linkpred.filtered_ranks` asks with ``batched=True``."""
        n = self.index.num_entities

        def score(entities, relations, heads) -> list[np.ndarray]:
            ents, rels = np.asarray(entities, dtype=np.int64), np.asarray(relations, dtype=np.int64)
            keys: list[np.ndarray] = []
            for r in np.unique(rels).tolist():
                rows = np.flatnonzero(rels == r)
                part = self.score_batch(ents[rows], r, bool(heads))
                if not keys:
                    keys = [np.zeros((len(ents), n)) for _ in part]
                for k, p in zip(keys, part):
                    k[rows] = p
            return keys

        return score

    def score_keys(self, entity: int, rel: int, heads: bool) -> list[np.ndarray]:
        """Ranking keys over all entities for one query (see :meth:`score_batch`), the shape
        :func:`kg.eval.linkpred.filtered_ranks` asks of a score function."""
        return [k[0] for k in self.score_batch([entity], rel, heads)]


def _unique_pairs(row: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (code, row) pairs as (codes, rows)."""
    key = np.unique(code * (int(row.max()) + 1 if len(row) else 1) + row)
    width = int(row.max()) + 1 if len(row) else 1
    return key // width, key % width


def _extend_all(steps: Steps, walks: np.ndarray, code: int, budget: int) -> np.ndarray:
    out, _, _ = extend(steps, walks, np.zeros(len(walks), dtype=np.int64), code, budget)
    return out


def _x_of(c: _Compiled, h: int, t: int) -> int:
    """The entity bound to X in a prediction (h, r, t) made by a rule with a constant."""
    return t if c.const_first else h


def _evidence_paths(index: TripleIndex, c: _Compiled, h: int, t: int, limit: int) -> tuple[Path, ...]:
    if c.const < 0:
        return tuple(groundings(index, h, t, c.codes, limit))
    x = _x_of(c, h, t)
    y = c.end if c.end >= 0 else None
    walks = (w for w in _walks(index, x, c.codes, y) if y is not None or c.const not in w)
    return tuple(_to_path(index, (w, c.codes)) for w in islice(walks, limit))


def _build(index, rel, pair, fired, explain: bool, max_paths: int) -> Prediction:
    h, t = pair
    ranked = sorted(fired, key=lambda c: -c.conf)
    evidence = tuple(Evidence(c.rule, c.conf, _evidence_paths(index, c, h, t, max_paths) if explain else ())
                     for c in ranked)
    noisy = 1.0 - math.prod(1.0 - min(c.conf, 1.0) for c in ranked)
    return Prediction(index.entities[h], index.relations[rel], index.entities[t], index.entity_labels[h],
                      index.relation_labels[rel], index.entity_labels[t], ranked[0].conf, noisy, evidence)


def predict(index: TripleIndex, rules: RuleSet | RuleApplier, entity, relation, *, top: int = 10,
            heads: bool = False, settings: ApplySettings | None = None, explain: bool = True, max_paths: int = 3,
            include_known: bool = False, only=None) -> list[Prediction]:
    """Best ``top`` answers to ``(entity, relation, ?)`` — or ``(?, relation, entity)`` with
    ``heads=True`` — ranked by the aggregation of ``settings``. Known facts are left out unless
    ``include_known``. Pass a :class:`RuleApplier` to answer many queries with one compilation.
    ``only`` (entity ids) keeps just those candidates, so that evidence is built only for the
    answers a caller shows (a combined ranking picks them by another score)."""
    app = rules if isinstance(rules, RuleApplier) else RuleApplier(index, rules, settings)
    st = app.settings
    e = int(entity if isinstance(entity, (int, np.integer)) else index.resolve_entity(entity))
    rel = int(relation if isinstance(relation, (int, np.integer)) else index.resolve_relation(relation))
    known = _known(index, rel)
    keep = None if only is None else {int(x) for x in only}
    by_cand: dict[int, list[_Compiled]] = defaultdict(list)
    for c, cands in app.fire(e, rel, heads):
        for x in cands.tolist():
            pair = (x, e) if heads else (e, x)
            if (keep is None or x in keep) and (include_known or pair not in known):
                by_cand[x].append(c)
    ranked = sorted(by_cand, key=lambda x: index.entity_labels[x])
    if st.aggregation == "noisy-or":
        ranked.sort(key=lambda x: rank_key([c.conf for c in by_cand[x]], 0), reverse=True)
    else:
        ranked.sort(key=lambda x: rank_key([c.conf for c in by_cand[x]], st.depth), reverse=True)
    return [_build(index, rel, (x, e) if heads else (e, x), by_cand[x], explain, max_paths) for x in ranked[:top]]


def body_pairs(steps: Steps, starts: np.ndarray, codes: tuple[int, ...], budget: int) -> set[tuple[int, int]]:
    """Distinct (X, Y) that ground a closed rule body, walked a run of starts at a time so that no
    step holds more than ``budget`` walks (memory bounded by the budget, not by the graph). A
    single start with more groundings than the budget keeps a sample of them."""
    starts = np.asarray(starts, dtype=np.int64)
    out: set[tuple[int, int]] = set()
    i = 0
    while i < len(starts):
        res = walk_body(steps, starts[i:i + budget], codes, budget)
        w = res.walks  # only walks of the starts it used (walk_body cuts by start)
        if w.shape[1] > len(codes):
            out.update(zip(w[:, 0].tolist(), w[:, -1].tolist()))
        i += max(res.starts_used, 1)
    return out


def rank_key(confidences, depth: int) -> tuple:
    """Sort key (higher is better): the ``depth`` best confidences, then -Σ log(1 - conf)."""
    confs = sorted(confidences, reverse=True)
    top = tuple(confs[:depth]) + (0.0,) * max(0, depth - len(confs))
    return top + (-sum(math.log1p(-min(c, 1.0 - 1e-9)) for c in confs),)


def infer(index: TripleIndex, rules: RuleSet, *, min_confidence: float, settings: ApplySettings | None = None,
          explain: bool = True, max_paths: int = 3, relations=None) -> list[Prediction]:
    """Every new fact some rule predicts with confidence ≥ ``min_confidence`` (its best rule's)."""
    app = RuleApplier(index, rules, settings)
    rel_ids = None if relations is None else {index.resolve_relation(r) for r in relations}
    out: list[Prediction] = []
    for rel, lst in sorted(app.by_rel.items()):
        if rel_ids is not None and rel not in rel_ids:
            continue
        known = _known(index, rel)
        found: dict[tuple[int, int], list] = defaultdict(list)
        for c in lst:
            if c.conf < min_confidence:
                continue
            if c.const < 0:
                pairs = body_pairs(app.steps, app.steps.sources(c.codes[0]), c.codes, app.settings.walk_budget)
            else:
                xs = app.body_set(c).tolist()
                pairs = {(c.const, x) if c.const_first else (x, c.const) for x in xs}
            for pair in pairs:
                if pair not in known:
                    found[pair].append(c)
        for pair, ev in sorted(found.items()):
            out.append(_build(index, rel, pair, ev, explain, max_paths))
    out.sort(key=lambda p: (-p.score, -p.noisy_or, p.head_label, p.relation_label, p.tail_label))
    return out
