"""Apply mined rules: rank tails for ``(h, r, ?)`` or heads for ``(?, r, t)``, with explanations.

Aggregation follows AnyBURL's *max* (Meilicke et al., IJCAI 2019, "Anytime bottom-up rule
learning for knowledge graph completion"): a candidate's score is the highest confidence among
the rules that predict it; ties are broken as AnyBURL does, by the second-highest confidence,
then the third, ... (up to ``ApplySettings.depth`` rules), and what is still tied by the
noisy-or of all its rules' confidences, ``1 - Π(1 - conf_i)`` (compared as ``-Σ log(1 - conf_i)``
so that it does not round to 1.0 when hundreds of rules fire). Every prediction lists its rules
and the concrete paths that ground each rule.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from typing import Iterator

import numpy as np

from kg.reason.index import TripleIndex
from kg.reason.paths import Path, _to_path
from kg.reason.rules import CONFIDENCE_KINDS, DenseAlgebra, Rule, RuleSet, rule_codes, single_threaded_blas


@dataclass(frozen=True)
class ApplySettings:
    """How rule confidences become scores: ``confidence`` 'std' or 'pca', plus AnyBURL's pseudo
    count of unseen negatives added to each rule's body size (0 gives the plain measure)."""

    confidence: str = "std"
    pseudo_count: float = 0.0
    depth: int = 5  # how many top confidences are compared before the noisy-or

    def __post_init__(self):
        if self.confidence not in CONFIDENCE_KINDS:
            from kg.errors import UnknownNameError

            raise UnknownNameError("confidence", self.confidence, CONFIDENCE_KINDS)

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


def _build(index, rel, anchor, cand_rules, heads: bool, explain: bool, max_paths: int) -> Prediction:
    ranked = sorted(cand_rules, key=lambda e: -e[0])
    evidence = []
    for conf, rule, codes in ranked:
        x, y = (anchor[1], anchor[0]) if heads else anchor
        paths = tuple(groundings(index, x, y, codes, max_paths)) if explain else ()
        evidence.append(Evidence(rule, conf, paths))
    h, t = anchor if not heads else (anchor[1], anchor[0])
    noisy = 1.0 - math.prod(1.0 - min(c, 1.0) for c, _, _ in ranked)
    return Prediction(index.entities[h], index.relations[rel], index.entities[t], index.entity_labels[h],
                      index.relation_labels[rel], index.entity_labels[t], ranked[0][0], noisy, tuple(evidence))


def predict(index: TripleIndex, rules: RuleSet, entity, relation, *, top: int = 10, heads: bool = False,
            settings: ApplySettings | None = None, explain: bool = True, max_paths: int = 3,
            include_known: bool = False) -> list[Prediction]:
    """Best ``top`` answers to ``(entity, relation, ?)`` — or ``(?, relation, entity)`` with
    ``heads=True`` — ranked by (max confidence, noisy-or). Known facts are left out unless
    ``include_known``."""
    st = settings or ApplySettings()
    e = entity if isinstance(entity, (int, np.integer)) else index.resolve_entity(entity)
    rel = relation if isinstance(relation, (int, np.integer)) else index.resolve_relation(relation)
    known = _known(index, rel)
    by_cand: dict[int, list] = defaultdict(list)
    for rule in rules.for_head(index.relations[rel]):
        rc = rule_codes(index, rule)
        if rc is None:
            continue
        _, codes = rc
        conf = st.of(rule)
        if conf <= 0:
            continue
        for c in _walk(index, int(e), _reverse(codes) if heads else codes).tolist():
            pair = (c, int(e)) if heads else (int(e), c)
            if include_known or pair not in known:
                by_cand[c].append((conf, rule, codes))
    ranked = sorted(by_cand, key=lambda c: index.entity_labels[c])
    ranked.sort(key=lambda c: rank_key([x[0] for x in by_cand[c]], st.depth), reverse=True)
    return [_build(index, rel, (int(e), c), by_cand[c], heads, explain, max_paths) for c in ranked[:top]]


def rank_key(confidences, depth: int) -> tuple:
    """Sort key (higher is better): the ``depth`` best confidences, then -Σ log(1 - conf)."""
    confs = sorted(confidences, reverse=True)
    top = tuple(confs[:depth]) + (0.0,) * max(0, depth - len(confs))
    return top + (-sum(math.log1p(-min(c, 1.0 - 1e-9)) for c in confs),)


def infer(index: TripleIndex, rules: RuleSet, *, min_confidence: float, settings: ApplySettings | None = None,
          explain: bool = True, max_paths: int = 3, relations=None) -> list[Prediction]:
    """Every new fact some rule predicts with confidence ≥ ``min_confidence`` (its best rule's)."""
    st = settings or ApplySettings()
    rel_ids = None if relations is None else {index.resolve_relation(r) for r in relations}
    out: list[Prediction] = []
    per_rel: dict[int, list] = defaultdict(list)
    for rule in rules.rules:
        rc = rule_codes(index, rule)
        if rc is None or (rel_ids is not None and rc[0] not in rel_ids):
            continue
        conf = st.of(rule)
        if conf >= min_confidence and conf > 0:
            per_rel[rc[0]].append((conf, rule, rc[1]))
    for rel, lst in sorted(per_rel.items()):
        known = _known(index, rel)
        found: dict[tuple[int, int], list] = defaultdict(list)
        for conf, rule, codes in lst:
            for x in _starts(index, codes[0]):
                for y in _walk(index, x, codes).tolist():
                    if (x, y) not in known:
                        found[(x, y)].append((conf, rule, codes))
        for pair, ev in sorted(found.items()):
            out.append(_build(index, rel, pair, ev, False, explain, max_paths))
    out.sort(key=lambda p: (-p.score, -p.noisy_or, p.head_label, p.relation_label, p.tail_label))
    return out


def _starts(index: TripleIndex, code: int) -> list[int]:
    """Entities with at least one step of ``code``."""
    tr = index.triples[index.triples[:, 1] == code >> 1]
    return np.unique(tr[:, 2] if code & 1 else tr[:, 0]).tolist()


# -- whole-graph scoring for evaluation ------------------------------------------------------------
def score_matrices(index: TripleIndex, rules: RuleSet, settings: ApplySettings | None = None,
                   relations=None) -> dict[int, np.ndarray]:
    """For each head relation id: the ranking keys of every (x, y) as a dense (depth + 1, N, N)
    array: the ``depth`` best rule confidences (descending), then -Σ log(1 - conf).

    Rules sharing a body prefix share one product, so this costs about as much as mining.
    """
    st = settings or ApplySettings()
    with single_threaded_blas():
        alg = DenseAlgebra(index)
        n = alg.n
        groups: dict[tuple[int, ...], list] = defaultdict(list)
        for rule in rules.rules:
            rc = rule_codes(index, rule)
            if rc is None or (relations is not None and rc[0] not in relations):
                continue
            conf = min(st.of(rule), 1.0 - 1e-9)
            if conf > 0:
                groups[rc[1][:-1]].append((rc[0], rc[1][-1], conf))
        keys: dict[int, np.ndarray] = {}
        d = st.depth
        rows = np.arange(n)
        for prefix in sorted(groups):
            b = alg.bodies(prefix, alg.prefix(prefix), rows)  # (2R, N, N) bool
            for head, last, conf in groups[prefix]:
                m = b[last]
                if head not in keys:
                    keys[head] = np.zeros((d + 1, n, n), dtype=np.float64)
                k = keys[head]
                cur = np.where(m, conf, 0.0)
                for i in range(d):  # insert into the descending top-d lists, cell-wise
                    hi = np.maximum(k[i], cur)
                    cur = np.minimum(k[i], cur)
                    k[i] = hi
                k[d] -= math.log1p(-conf) * m
    return keys
