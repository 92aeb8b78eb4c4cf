"""Closed path rules ``b1(X,A) ∧ b2(A,B) ∧ b3(B,Y) ⇒ r(X,Y)``: mining, measures, JSON files.

Body atoms may be inverse relations (``^b(A,B)`` means ``b(B,A)``). Measures follow AMIE
(Galárraga et al., WWW 2013, "AMIE: association rule mining under incomplete evidence"):

- ``body_size``: number of pairs (x, y), x ≠ y, joined by at least one body path;
- ``support``: those pairs for which ``r(x, y)`` is a fact;
- standard confidence = support / body_size;
- PCA confidence = support / pca_body_size, where pca_body_size counts only body pairs whose x
  has *some* ``r`` fact (AMIE's partial completeness assumption, on the subject side).

Bodies are grounded under object identity as in AnyBURL: X, the intermediate variables and Y
are bound to pairwise distinct entities (so pairs with x = y are left out, and a body never
reuses the fact it is judged on); the measures count pairs (x, y), not path instances.

Mining is exact and complete up to ``max_len``: for every body prefix P (a 0/1 entity × entity
matrix; the identity for length 0), one matrix product ``P @ [A_c for every step code c]`` gives the
bodies ``P·A_c`` of all one-atom extensions at once, and one more product with the stacked head
relation matrices gives their supports for every head relation. That is ``1 + 2R + (2R)^2``
products for length ≤ 3, each over dense ``N × N`` blocks, which suits graphs of up to a few
thousand entities (Kinships, UMLS, Nations, a document collection's graph).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path as FsPath

import numpy as np

from kg.errors import KgnError
from kg.reason.errors import RulesFileError
from kg.reason.index import TripleIndex
from kg.reason.rules_base import (
    CONFIDENCE_KINDS,
    MINING_METHODS,
    MiningSettings,
    Rule,
    make_rule,
    rule_codes,
)
from kg.reason.rules_sampled import mine_sampled

RULES_FORMAT = "kgn-rules/2"  # /2 adds rules with constants; /1 files (cyclic rules only) still load
READABLE_FORMATS = ("kgn-rules/1", RULES_FORMAT)


@dataclass(frozen=True)
class RuleSet:
    """Mined rules plus how they were mined; saved as JSON with ``"format": "kgn-rules/1"``."""

    rules: tuple[Rule, ...]
    settings: MiningSettings = field(default_factory=MiningSettings)
    num_triples: int = 0
    seconds: float = 0.0
    method: str = "dense"  # the method that ran ("dense", "sampled", "dense+sampled")
    stopped: str = ""  # why sampled mining stopped ("saturated", "time budget", "memory bound")

    def for_head(self, relation: str) -> list[Rule]:
        return [r for r in self.rules if r.head == relation]

    def to_json(self) -> dict:
        return {"format": RULES_FORMAT, "settings": asdict(self.settings), "num_triples": self.num_triples,
                "seconds": round(self.seconds, 3), "method": self.method, "stopped": self.stopped,
                "rules": [r.to_json() for r in self.rules]}

    def save(self, path) -> None:
        path = FsPath(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)  # readers never see a half-written file

    @classmethod
    def load(cls, path) -> RuleSet:
        path = FsPath(path)
        if not path.is_file():
            raise RulesFileError(f"no rules file at {path}; run `kgn rules mine` first")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RulesFileError(f"{path}: cannot read rules: {exc}") from None
        if not isinstance(data, dict) or data.get("format") not in READABLE_FORMATS:
            found = data.get("format") if isinstance(data, dict) else None
            raise RulesFileError(f"{path}: not a {RULES_FORMAT} rules file (format: {found!r})")
        return cls(tuple(Rule.from_json(d) for d in data["rules"]), MiningSettings(**data["settings"]),
                   int(data.get("num_triples", 0)), float(data.get("seconds", 0.0)),
                   data.get("method", "dense"), data.get("stopped", ""))


# -- dense relation algebra ------------------------------------------------------------------------
class DenseAlgebra:
    """Relation matrices of an index as dense 0/1 float32 arrays (step code c: ``A[c]``), and the
    one place where rule bodies are counted.

    Bodies are grounded under *object identity* (AnyBURL, Meilicke et al., IJCAI 2019): the
    variables X, A, B, Y of a body are bound to pairwise distinct entities. Without it a body
    such as ``r(X,A) ∧ r(B,A) ∧ r(B,Y)`` is grounded by the walk x→y→x→y that reuses the very
    fact r(x,y) it is judged on, which inflates the confidence of length-3 rules. Consecutive
    variables always differ, so self-loop facts never ground a body atom and ``A`` has a zero
    diagonal; the remaining coincidences are counted out by inclusion–exclusion on walk counts
    (see :meth:`bodies`).
    """

    MAX_CELLS = 400_000_000  # 2R·N² cells (1.6 GB of float32) is the most we allocate
    AUTO_CELLS = 20_000_000  # "auto" mining uses the dense algebra only up to this size

    @staticmethod
    def bytes_needed(index: TripleIndex) -> int:
        """About how much the dense algebra allocates (A, heads, the stacked copy, one body block)."""
        return 4 * 4 * 2 * index.num_relations * index.num_entities ** 2

    def __init__(self, index: TripleIndex, max_memory: int | None = None):
        n, r = index.num_entities, index.num_relations
        if 2 * r * n * n > self.MAX_CELLS:
            raise KgnError(f"graph too large for dense rule mining: {n} entities × {r} relations; "
                           "use the sampled miner (method 'sampled' / --method sampled)")
        if max_memory is not None and self.bytes_needed(index) > max_memory:
            raise KgnError(f"dense rule mining of {n} entities × {r} relations needs about "
                           f"{self.bytes_needed(index) >> 20} MiB, over the memory bound of {max_memory >> 20} MiB; "
                           "use the sampled miner (--method sampled) or raise --max-memory")
        self.n, self.r = n, r
        a = np.zeros((2 * r, n, n), dtype=np.float32)
        h, rel, t = index.triples.T
        a[2 * rel, h, t] = 1.0
        a[2 * rel + 1, t, h] = 1.0
        self.heads = a[0::2].copy()  # (R, N, N), head facts (self-loops included)
        self.has_head = (self.heads.sum(axis=2) > 0).T.astype(np.float32)  # (N, R): x has some r fact
        a[:, np.arange(n), np.arange(n)] = 0.0
        self.A = a
        self.all_steps = np.ascontiguousarray(a.transpose(1, 0, 2).reshape(n, 2 * r * n))
        self._closed: np.ndarray | None = None

    @property
    def closed(self) -> np.ndarray:
        """``closed[c, d, v]`` = number of walks v -c-> u -d-> v (u ≠ v), i.e. diag(A_c·A_d)."""
        if self._closed is None:
            per_node = np.matmul(self.A.transpose(1, 0, 2), self.A.transpose(2, 1, 0))  # [u, c, d]
            self._closed = np.ascontiguousarray(per_node.transpose(1, 2, 0))
        return self._closed

    def prefix(self, codes: tuple[int, ...]) -> np.ndarray:
        """Walk counts of a body prefix (0, 1 or 2 atoms): identity, ``A_c1`` or ``A_c1·A_c2``."""
        if not codes:
            return np.eye(self.n, dtype=np.float32)
        if len(codes) == 1:
            return self.A[codes[0]]
        return self.A[codes[0]] @ self.A[codes[1]]

    def bodies(self, codes: tuple[int, ...], prefix: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """0/1 bodies ``codes + (c,)`` for every last step code c, restricted to ``rows`` (values
        of X): (2R, len(rows), N) bool, true where some object-identity grounding exists.
        ``prefix`` is :meth:`prefix` of ``codes``.

        With no self-loops, a walk x→a→b→y has a ≠ x, b ≠ a, y ≠ b already, so only x = y,
        a = y and b = x remain to exclude:
        ``#OI = A1·A2·A3 − [a=y] A1 ⊙ diag(A2·A3) − [b=x] diag(A1·A2) ⊙ A3 + [both] A1 ⊙ A2ᵀ ⊙ A3``.
        Shorter bodies only need x ≠ y.
        """
        k, n = len(rows), self.n
        w = (prefix[rows] @ self.all_steps).reshape(k, 2 * self.r, n).transpose(1, 0, 2)
        if len(codes) == 2:
            c1, c2 = codes
            a1 = self.A[c1][rows]
            w = w - a1[None, :, :] * self.closed[c2][:, None, :]  # a = y
            w -= self.closed[c1, c2][rows][None, :, None] * self.A[:, rows, :]  # b = x
            w += (a1 * self.A[c2 ^ 1][rows])[None, :, :] * self.A[:, rows, :]  # a = y and b = x
        b = w > 0.5
        b[:, np.arange(k), rows] = False
        return b


def _prefixes(max_len: int, n_codes: int) -> Iterator[tuple[int, ...]]:
    yield ()
    if max_len >= 2:
        for c in range(n_codes):
            yield (c,)
    if max_len >= 3:
        for c1 in range(n_codes):
            for c2 in range(n_codes):
                yield (c1, c2)


def prefix_matrices(alg: DenseAlgebra, max_len: int) -> Iterator[tuple[tuple[int, ...], np.ndarray]]:
    """Every body prefix of length < max_len that has a walk, with its walk counts (identity first)."""
    for pre in _prefixes(max_len, 2 * alg.r):
        m = alg.prefix(pre)
        if m.any():
            yield pre, m


def single_threaded_blas():
    """Context limiting BLAS to one thread: the many small products here run several times
    faster without OpenBLAS's per-call thread hand-off (measured 60x on 135×135 float32)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


def mine_rules(index: TripleIndex, settings: MiningSettings | None = None, progress: bool = False) -> RuleSet:
    """Rules that meet the thresholds: closed path rules up to ``settings.max_len`` atoms and, with
    ``settings.acyclic_len``, rules with constants.

    ``method`` "dense" counts every closed rule exactly (small graphs); "sampled" runs the
    bottom-up sampling miner of :mod:`kg.reason.rules_sampled`, whose cost grows with edges;
    "auto" uses dense counting for closed rules when the graph is small and the sampling miner
    for the rest. ``progress`` shows a bar on stderr."""
    st = settings or MiningSettings()
    t0 = time.perf_counter()
    if not uses_dense(index, st):
        rules, stopped = mine_sampled(index, st, cyclic=True, progress=progress)
        return RuleSet(tuple(rules), st, len(index), time.perf_counter() - t0, "sampled", stopped)
    with single_threaded_blas():
        closed = _mine(index, st)
    if not st.acyclic_len:
        return RuleSet(closed, st, len(index), time.perf_counter() - t0, "dense")
    acyclic, stopped = mine_sampled(index, st, cyclic=False, progress=progress)
    rules = cap_per_head(list(closed) + acyclic, st)
    return RuleSet(tuple(rules), st, len(index), time.perf_counter() - t0, "dense+sampled", stopped)


def uses_dense(index: TripleIndex, st: MiningSettings) -> bool:
    """Whether :func:`mine_rules` counts closed rules with the dense algebra."""
    return st.method == "dense" or (
        st.method == "auto" and 2 * index.num_relations * index.num_entities ** 2 <= DenseAlgebra.AUTO_CELLS
        and DenseAlgebra.bytes_needed(index) <= st.max_memory)


def mine_rule_grid(index: TripleIndex, settings: MiningSettings, lengths, acyclic_lens=(0, 1),
                   progress: bool = False) -> dict[tuple[int, int], RuleSet]:
    """One rule set per (closed rule length ≤ L, body length ≤ A of rules with constants, 0: none),
    each the one :func:`mine_rules` gives with ``max_len=L, acyclic_len=A``.

    Taking the shorter sets as subsets of one mining with the longest rules is not the same: the
    per-head cap (``max_rules_per_head``) is then filled by the long rules, whose smoothed
    confidence is often higher, and the "length ≤ 1" set keeps only a few of its rules (on
    Nations, 2,000 rules per head: valid MRR 0.611 as a subset against 0.858 mined alone).
    Closed rules are mined once per length and rules with constants once per body length; on
    graphs that need the sampling miner (one time budget per mining), every set is a subset of
    one mining."""
    st = settings
    lengths, acyclic_lens = sorted(set(lengths)), sorted({int(a) for a in acyclic_lens})
    if not uses_dense(index, st):
        full = mine_rules(index, replace(st, max_len=max(lengths), acyclic_len=max(acyclic_lens)), progress)
        return {(n, a): RuleSet(tuple(r for r in full.rules if r.length <= (n if r.constant is None else a)),
                                full.settings, full.num_triples, full.seconds, full.method, full.stopped)
                for n in lengths for a in acyclic_lens}
    acyclic: dict[int, tuple[list[Rule], str, float]] = {}
    for a in acyclic_lens:
        if a:
            t0 = time.perf_counter()
            rules, stopped = mine_sampled(index, replace(st, acyclic_len=a), cyclic=False, progress=progress)
            acyclic[a] = rules, stopped, time.perf_counter() - t0
    out = {}
    for n in lengths:
        closed = mine_rules(index, replace(st, max_len=n, acyclic_len=0, method="dense"))
        for a in acyclic_lens:
            if a:
                rules, stopped, secs = acyclic[a]
                out[n, a] = RuleSet(tuple(cap_per_head(list(closed.rules) + rules, st)),
                                    replace(st, max_len=n, acyclic_len=a), len(index), closed.seconds + secs,
                                    "dense+sampled", stopped)
            else:
                out[n, a] = closed
    return out


def cap_per_head(rules: list[Rule], st: MiningSettings) -> list[Rule]:
    """Per head relation (in first-seen order), the ``max_rules_per_head`` best rules by smoothed
    confidence, then support, then length; with ``max_rules_per_constant``, rules with constants
    are capped per (head, constant, side) by that instead."""
    groups: dict[tuple, list[Rule]] = {}
    for r in rules:
        key = (r.head,) if st.max_rules_per_constant is None or r.constant is None else \
            (r.head, r.constant, r.constant_first)
        groups.setdefault(key, []).append(r)
    out = []
    for key, lst in groups.items():
        lst.sort(key=lambda r: (-r.confidence("std", st.pseudo_count), -r.support, r.length))
        keep = st.max_rules_per_head if len(key) == 1 else st.max_rules_per_constant
        out += lst if keep is None else lst[:keep]
    # Rules of one head together (heads in first-seen order; each of its groups best first).
    order = {h: i for i, h in enumerate(dict.fromkeys(r.head for r in out))}
    return sorted(out, key=lambda r: order[r.head]) if st.max_rules_per_constant is not None else out


def _mine(index: TripleIndex, st: MiningSettings) -> tuple[Rule, ...]:
    alg = DenseAlgebra(index, st.max_memory)
    R = alg.r
    found: list[np.ndarray] = []  # rows: prefix c1, prefix c2, last code, head, support, body, pca
    # Per-head confidence bar: once a head has max_rules_per_head candidates, later ones must beat
    # the worst kept one (keeps memory bounded on dense graphs such as Nations).
    bar = np.zeros(R, dtype=np.float64)
    pending = 0
    for pre, p in prefix_matrices(alg, st.max_len):
        rows = np.flatnonzero(p.any(axis=1))
        if not len(rows):
            continue
        b = alg.bodies(pre, p, rows)  # (2R, rows, N) bool
        bf = b.reshape(2 * R, -1).astype(np.float32)
        body = bf.sum(axis=1)
        support = bf @ alg.heads[:, rows, :].reshape(R, -1).T  # (2R, R)
        ok = ((support >= st.min_support) & (support >= st.min_conf * body[:, None])
              & (support >= bar[None, :] * (body[:, None] + st.pseudo_count)))
        if not pre:  # r(X,Y) ⇒ r(X,Y) is no rule
            ok[np.arange(0, 2 * R, 2), np.arange(R)] = False
        cs, hs = np.nonzero(ok)
        if len(cs):
            pca = b[cs].sum(axis=2).astype(np.float32)  # (k, rows)
            pca = np.einsum("kn,kn->k", pca, alg.has_head[rows][:, hs].T)
            c1 = pre[0] if len(pre) > 0 else -1
            c2 = pre[1] if len(pre) > 1 else -1
            found.append(np.stack([np.full(len(cs), c1), np.full(len(cs), c2), cs, hs,
                                   support[cs, hs], body[cs], pca], axis=1).astype(np.int64))
            pending += len(cs)
        if st.max_rules_per_head is not None and pending > 20 * R * st.max_rules_per_head // 10 + 100_000:
            found = [_prune(np.concatenate(found), st.max_rules_per_head, bar, st.pseudo_count)]
            pending = len(found[0])
    table = np.concatenate(found) if found else np.zeros((0, 7), dtype=np.int64)
    return tuple(_select(index, table, st))


def _ranking_conf(table: np.ndarray, pseudo_count: float) -> np.ndarray:
    return table[:, 4] / np.maximum(table[:, 5] + pseudo_count, 1e-12)


def _prune(table: np.ndarray, keep: int, bar: np.ndarray, pseudo_count: float) -> np.ndarray:
    """Keep each head's ``keep`` best rows by smoothed confidence; raise its bar to the worst kept."""
    conf = _ranking_conf(table, pseudo_count)
    order = np.lexsort((-conf, table[:, 3]))
    table, conf = table[order], conf[order]
    heads = table[:, 3]
    start = np.searchsorted(heads, heads, side="left")
    rank = np.arange(len(table)) - start
    kept = rank < keep
    for h in np.unique(heads):
        sel = np.flatnonzero((heads == h) & kept)
        if len(sel) >= keep:
            bar[h] = max(bar[h], conf[sel[-1]])
    return table[kept]


def _select(index: TripleIndex, table: np.ndarray, st: MiningSettings) -> list[Rule]:
    conf = _ranking_conf(table, st.pseudo_count)
    length = 1 + (table[:, 0] >= 0) + (table[:, 1] >= 0)
    # Per head: best smoothed confidence, then more support, then shorter, then a fixed order.
    order = np.lexsort((table[:, 2], table[:, 1], table[:, 0], length, -table[:, 4], -conf, table[:, 3]))
    table = table[order]
    rules: list[Rule] = []
    for head in np.unique(table[:, 3]):
        rows = table[table[:, 3] == head]
        if st.max_rules_per_head is not None:
            rows = rows[: st.max_rules_per_head]
        for c1, c2, c3, h, sup, body, pca in rows.tolist():
            codes = [c for c in (c1, c2, c3) if c >= 0]
            rules.append(make_rule(index, h, codes, sup, body, pca))
    return rules




__all__ = ["CONFIDENCE_KINDS", "MINING_METHODS", "DenseAlgebra", "MiningSettings", "Rule", "RuleSet",
           "cap_per_head", "make_rule", "mine_rule_grid", "mine_rules", "rule_codes"]
