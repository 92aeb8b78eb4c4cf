"""Bottom-up rule mining by path sampling, whose cost grows with edges rather than entities².

Follows AnyBURL (Meilicke, Chekol, Ruffinelli, Stuckenschmidt, IJCAI 2019, "Anytime Bottom-Up
Rule Learning for Knowledge Graph Completion"): sample a fact ``r(x, y)``, walk at random from
``x`` (or from ``y``), and generalise the walk into rule bodies:

- a walk that comes back to the other end of the fact gives a *cyclic* body ``b1(X,A) ∧ … ⇒
  r(X,Y)`` (length 1 to 3, inverse atoms allowed);
- a walk that ends elsewhere, at ``d``, gives *acyclic* bodies with constants: AC1 ``b(X,d)``
  (the body ends in the constant) and AC2 ``b(X,A)`` (it ends in a free variable).

Unlike AnyBURL, each new *body* is counted once for every head at the same time: its groundings
are walked (vectorised over the CSR adjacency, :mod:`kg.reason.walks`) and joined with the facts,
which yields every head ``r(X,Y)`` (and ``r(Y,X)``) for a cyclic body, and every head ``r(X,c)`` /
``r(c,X)`` for an acyclic one, with support, body size and PCA body size. When a body has more
groundings than ``MiningSettings.count_sample`` (walks at any step), they are counted for a
uniform random sample of its start entities and scaled up (AnyBURL likewise estimates confidence
on about a thousand sampled body groundings); such rules carry ``exact=False``. Below the sample
size the counts are exact and equal the dense miner's
(:class:`kg.reason.rules.DenseAlgebra`; both ground bodies under object identity).

Mining stops when sampling finds (almost) no new bodies, at the time budget, or when the
process's resident memory passes the memory bound (then it keeps what it has).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from kg.errors import KgnError
from kg.reason.index import TripleIndex
from kg.reason.rules_base import MiningSettings, Rule, make_rule
from kg.reason.walks import Steps, WalkResult, random_walks, walk_body

CYCLIC = -2  # end marker of a cyclic body (ends in the head's other variable)
FREE = -1  # end marker of an AC2 body (ends in a free variable)
# Facts sampled per round: many for closed rules (a walk rarely closes, walks are cheap) and few
# for rules with constants (nearly every walk gives a new body, each needs counting).
BATCH_CYCLIC = 5_000
BATCH_ACYCLIC = 1_000
# A kind of body (closed, with constants) is saturated after QUIET_ROUNDS rounds in a row in which
# fewer than this share of its sampled bodies were new; sampling goes on for the other kind (the
# few thousand one-atom bodies with constants saturate long before closed ones of length 3).
SATURATION = 0.01
QUIET_ROUNDS = 3
# Columns of the rule table: body id, head step code, head constant (-1: none), support,
# body size, PCA body size, exact (1/0).
_COLS = 7


class MiningMemoryError(KgnError):
    """The graph needs more memory than the mining memory bound allows."""


def rss_bytes() -> int:
    """This process's resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _count_in(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How often each of the sorted unique ``keys`` occurs in ``values``."""
    if not len(values):
        return np.zeros(len(keys), dtype=np.int64)
    v, c = np.unique(values, return_counts=True)
    pos = np.minimum(np.searchsorted(v, keys), len(v) - 1)
    return np.where(v[pos] == keys, c[pos], 0)


def _cap(keep: int | None) -> float:
    return np.inf if keep is None else keep


def _run_starts(group: np.ndarray) -> np.ndarray:
    """Per row, the first row of its run of equal ``group`` values."""
    new = np.ones(len(group), dtype=bool)
    new[1:] = group[1:] != group[:-1]
    return np.maximum.accumulate(np.where(new, np.arange(len(group)), 0))


def reverse(codes: tuple[int, ...]) -> tuple[int, ...]:
    """The same path walked from its other end."""
    return tuple(c ^ 1 for c in reversed(codes))


class _Miner:
    def __init__(self, index: TripleIndex, st: MiningSettings, cyclic: bool):
        self.index, self.st, self.cyclic = index, st, cyclic
        self.n, self.r = index.num_entities, index.num_relations
        self.steps = Steps.of(index)
        h, rel, t = index.triples.T
        key = h * self.n + t
        order = np.argsort(key, kind="stable")
        self.fact_key, self.fact_rel = key[order], rel[order]
        base = self.steps.nbytes + 3 * index.triples.nbytes + self.fact_key.nbytes * 2
        per_walk = (max(st.max_len, st.acyclic_len) + 2) * 8 * 6  # walk rows and their temporaries
        if base + 100 * per_walk > st.max_memory:
            raise MiningMemoryError(
                f"rule mining over {len(index)} facts needs at least {(base + 100 * per_walk) / 2**20:.2f} MiB, "
                f"over the memory bound of {st.max_memory / 2**20:.2f} MiB (raise --max-memory)")
        # Degrade rather than fail: a smaller walk budget means more bodies are estimated on samples.
        self.walk_budget = int(min(st.walk_budget, (st.max_memory - base) // per_walk))
        self.count_budget = min(self.walk_budget, st.count_sample or self.walk_budget)
        self.rng = np.random.default_rng(st.seed)
        self._sources: dict[int, np.ndarray] = {}
        self.bodies: list[tuple[tuple[int, ...], int]] = []
        self.body_id: dict[tuple[tuple[int, ...], int], int] = {}
        self.table: list[np.ndarray] = []
        self.pending = 0
        self.prune_at = 50_000
        # Consecutive rounds in which (almost) no sampled body of the kind was new.
        self.quiet = {"cyclic": 0 if cyclic else QUIET_ROUNDS, "acyclic": 0 if st.acyclic_len else QUIET_ROUNDS}

    # -- bodies -----------------------------------------------------------------------------------
    def _id(self, codes: tuple[int, ...], end: int) -> int:
        key = (codes, end)
        if key not in self.body_id:
            self.body_id[key] = len(self.bodies)
            self.bodies.append(key)
        return self.body_id[key]

    def sources(self, code: int) -> np.ndarray:
        if code not in self._sources:
            self._sources[code] = self.steps.sources(code)
        return self._sources[code]

    def count_cyclic(self, codes: tuple[int, ...]) -> None:
        """Rules ``codes ⇒ r(X,Y)`` and ``reverse(codes) ⇒ r(X,Y)`` for every head r."""
        st, n = self.st, self.n
        res = self._walk_sample(codes)
        if not len(res.walks):
            return
        pairs = np.unique(res.walks[:, 0] * n + res.walks[:, -1])
        xs, ys = pairs // n, pairs % n
        size, scale, exact = len(pairs), res.scale, float(res.exact)
        rows = []
        orientations = [(codes, xs, ys)]
        if reverse(codes) != codes:
            orientations.append((reverse(codes), ys, xs))
        for body, subj, obj in orientations:
            rel = self._relations_of(subj * n + obj)
            support = np.bincount(rel, minlength=self.r)
            ok = (support * scale >= st.min_support) & (support >= st.min_conf * size)
            if len(body) == 1 and body[0] % 2 == 0:
                ok[body[0] >> 1] = False  # r(X,Y) ⇒ r(X,Y) is no rule
            heads = np.flatnonzero(ok)
            if not len(heads):
                continue
            bid = self._id(body, CYCLIC)
            usubj, per_subj = np.unique(subj, return_counts=True)
            pca = self._weight_with_step(usubj, per_subj, 2 * heads)
            rows.append(np.column_stack([np.full(len(heads), bid), 2 * heads, np.full(len(heads), -1),
                                         support[heads] * scale, np.full(len(heads), size * scale),
                                         pca * scale, np.full(len(heads), exact)]))
        if rows:
            arr = np.concatenate(rows).astype(np.float64)
            self.table.append(arr)
            self.pending += len(arr)

    def _walk_sample(self, codes: tuple[int, ...]) -> WalkResult:
        """Groundings of ``codes`` from a uniform random sample of its start entities, at most
        :attr:`count_budget` walks at any step; the result's ``scale`` brings counts up to all
        starts (exact when every start fits)."""
        src = self.sources(codes[0])
        # Each start has a first step, so at most count_budget + 1 shuffled starts can fit (a
        # self-loop-only start fits too, hence the check on starts_used below): drawing only
        # those avoids work over every start of a frequent relation.
        k = min(len(src), self.count_budget + 1)
        starts = self.rng.permutation(src) if k == len(src) else src[self.rng.choice(len(src), k, replace=False)]
        res = walk_body(self.steps, starts, codes, self.count_budget, self.rng)
        return WalkResult(res.walks, res.starts_used, len(src), res.complete)

    def _weight_with_step(self, nodes: np.ndarray, weights: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Per step code: the summed ``weights`` of the ``nodes`` with a step of that code (one
        join of nodes × codes, in chunks of a few million cells)."""
        out = np.zeros(len(codes), dtype=np.int64)
        chunk = max(1, 4_000_000 // max(len(nodes), 1))
        for i in range(0, len(codes), chunk):
            has = self.steps.has_step(nodes[None, :], codes[i:i + chunk, None])
            out[i:i + chunk] = has.astype(np.int64) @ weights
        return out

    def count_acyclic(self, codes: tuple[int, ...], end: int) -> None:
        """Rules ``codes(X, …, end) ⇒ r(X,c)`` / ``r(c,X)`` for every head relation and constant."""
        st, n, c_all = self.st, self.n, self.steps.n_codes
        if end >= 0:  # AC1: walk back from the constant; X is where the walks end
            res = walk_body(self.steps, np.array([end]), reverse(codes), self.walk_budget, self.rng)
            xs = np.unique(res.walks[:, -1]) if len(res.walks) and res.walks.shape[1] > len(codes) else np.zeros(0, int)
            scale = 1.0
        else:  # AC2: X is every (sampled) start with a walk
            res = self._walk_sample(codes)
            xs = np.unique(res.walks[:, 0]) if len(res.walks) and res.walks.shape[1] > len(codes) else np.zeros(0, int)
            scale = res.scale
        size = len(xs)
        if size * scale < st.min_support:
            return
        row, code, nbr = self.steps.out_edges(xs)
        has = np.unique(row * c_all + code)  # (X row, code): X has some fact with this step code
        pca = np.bincount(has % c_all, minlength=c_all)
        keep = nbr != xs[row]
        row, code, nbr = row[keep], code[keep], nbr[keep]
        keys, support = np.unique(code * n + nbr, return_counts=True)
        hcode, const = keys // n, keys % n
        # X is never the head's constant (object identity): leave it out of that rule's body.
        pos = np.minimum(np.searchsorted(xs, const), size - 1)
        in_body = xs[pos] == const
        sizes = size - in_body
        pcas = pca[hcode] - (in_body & self.steps.has_step(const, hcode))
        if end == FREE:
            # Nor is the body's free variable: an X whose only b-neighbour is the constant c does not
            # ground b(X,A) for a head with constant c (else r(X,A) ⇒ r(X,c) would be confirmed by
            # the very fact r(x,c) it predicts).
            _, sole_nb = self.steps.other_neighbours(xs, codes[0])
            sole = sole_nb >= 0
            sizes = sizes - np.bincount(sole_nb[sole], minlength=n)[const]
            hit = sole[row] & (nbr == sole_nb[row])
            support = support - _count_in(keys, code[hit] * n + nbr[hit])
            urow, ucode = has // c_all, has % c_all
            hit = sole[urow]
            pcas = pcas - _count_in(keys, ucode[hit] * n + sole_nb[urow[hit]])
        ok = (support * scale >= st.min_support) & (support >= st.min_conf * np.maximum(sizes, 1)) & (sizes > 0)
        if end >= 0 and len(codes) == 1:
            ok &= keys != codes[0] * n + end  # the body atom itself
        keys, support, hcode, const, sizes, pcas = keys[ok], support[ok], hcode[ok], const[ok], sizes[ok], pcas[ok]
        if not len(keys):
            return
        bid = self._id(codes, end)
        exact = float(res.exact)
        arr = np.column_stack([np.full(len(keys), bid), hcode, const, support * scale,
                               sizes * scale, pcas * scale, np.full(len(keys), exact)])
        self.table.append(arr.astype(np.float64))
        self.pending += len(arr)

    def _relations_of(self, pair_keys: np.ndarray) -> np.ndarray:
        """Relation ids of the facts on each (subject, object) pair key (one entry per fact)."""
        lo = np.searchsorted(self.fact_key, pair_keys, "left")
        hi = np.searchsorted(self.fact_key, pair_keys, "right")
        cnt = hi - lo
        pos = np.repeat(lo, cnt) + (np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        return self.fact_rel[pos]

    # -- sampling ---------------------------------------------------------------------------------
    def sample_bodies(self) -> list[tuple[tuple[int, ...], int]]:
        """Bodies generalised from the random walks of one round (distinct; closed ones first)."""
        st = self.st
        found: dict[tuple[tuple[int, ...], int], None] = {}
        if self.cyclic and self.quiet["cyclic"] < QUIET_ROUNDS:
            anchor, other, head_code = self._sample_facts(BATCH_CYCLIC)
            nodes, codes = random_walks(self.steps, anchor, st.max_len, self.rng)
            for k in range(1, st.max_len + 1):
                closed = (nodes[:, k] >= 0) & (nodes[:, k] == other)
                if k == 1:
                    closed &= codes[:, 0] != head_code  # the sampled fact itself
                for row in np.unique(codes[closed, :k], axis=0).tolist():
                    body = tuple(row)
                    found[(min(body, reverse(body)), CYCLIC)] = None
        if st.acyclic_len and self.quiet["acyclic"] < QUIET_ROUNDS:
            anchor, other, _ = self._sample_facts(BATCH_ACYCLIC)
            nodes, codes = random_walks(self.steps, anchor, st.acyclic_len, self.rng)
            for k in range(1, st.acyclic_len + 1):
                sel = (nodes[:, k] >= 0) & (nodes[:, k] != other)
                for row in np.unique(np.column_stack([codes[sel, :k], nodes[sel, k]]), axis=0).tolist():
                    found[(tuple(row[:-1]), row[-1])] = None
                    if k == 1:  # AC2 bodies have one atom (as AnyBURL's default)
                        found[(tuple(row[:-1]), FREE)] = None
        return list(found)

    def _sample_facts(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``k`` random facts, each walked from its head or (at random) its tail: (anchor, other
        end, step code of the fact from the anchor)."""
        tr = self.index.triples
        pick = self.rng.integers(len(tr), size=k)
        forward = self.rng.random(k) < 0.5
        h, r, t = tr[pick, 0], tr[pick, 1], tr[pick, 2]
        return np.where(forward, h, t), np.where(forward, t, h), np.where(forward, 2 * r, 2 * r + 1)

    def run(self, progress: bool) -> tuple[list[Rule], str]:
        from tqdm import tqdm

        st = self.st
        t0 = time.perf_counter()
        deadline = None if st.time_budget is None else t0 + st.time_budget
        rss0 = rss_bytes()
        seen: set = set()
        stopped = "saturated"
        bar = tqdm(desc="mining rules", unit=" bodies", disable=not progress, file=sys.stderr, mininterval=1.0)
        try:
            while len(self.index):
                sampled = self.sample_bodies()
                new = [b for b in sampled if b not in seen]
                for codes, end in new:
                    seen.add((codes, end))
                    if end == CYCLIC:
                        self.count_cyclic(codes)
                    else:
                        self.count_acyclic(codes, end)
                    bar.update(1)
                    if deadline is not None and time.perf_counter() > deadline:
                        stopped = "time budget"
                        break
                    if self.pending > self.prune_at:
                        self._prune()
                        self.prune_at = 2 * self.pending + 50_000  # amortised: prune when the table doubles
                        if rss_bytes() - rss0 > st.max_memory:
                            stopped = "memory bound"
                            break
                else:
                    bar.set_postfix(rules=self.pending, refresh=False)
                    for kind, closed in (("cyclic", True), ("acyclic", False)):
                        if self.quiet[kind] < QUIET_ROUNDS:  # a saturated kind is not sampled again
                            of_kind = sum((e == CYCLIC) == closed for _, e in sampled)
                            fresh = sum((e == CYCLIC) == closed for _, e in new)
                            self.quiet[kind] = self.quiet[kind] + 1 if fresh <= SATURATION * of_kind else 0
                    if min(self.quiet.values()) >= QUIET_ROUNDS:
                        break
                    continue
                break
        finally:
            bar.close()
        self._prune()
        return self._rules(), stopped

    # -- keeping the best -------------------------------------------------------------------------
    def _prune(self) -> None:
        """Keep each head relation's ``max_rules_per_head`` best rows by smoothed confidence (with
        ``max_rules_per_constant``: rows with a constant per (head step, constant) by that)."""
        if not self.table:
            return
        t = np.concatenate(self.table)
        st = self.st
        conf = t[:, 3] / (t[:, 4] + st.pseudo_count)
        head = t[:, 1].astype(np.int64) >> 1
        group = head
        if st.max_rules_per_constant is not None:  # closed rows: head; others: (head step, constant)
            group = np.where(t[:, 2] < 0, head, self.r + t[:, 1].astype(np.int64) * self.n + t[:, 2].astype(np.int64))
        order = np.lexsort((t[:, 2], t[:, 1], t[:, 0], -t[:, 3], -conf, group, head))
        t, group = t[order], group[order]
        per_const = st.max_rules_per_head if st.max_rules_per_constant is None else st.max_rules_per_constant
        keep = np.where(t[:, 2] < 0, _cap(st.max_rules_per_head), _cap(per_const))
        t = t[np.arange(len(t)) - _run_starts(group) < keep]
        self.table, self.pending = [t], len(t)

    def _rules(self) -> list[Rule]:
        ix = self.index
        out = []
        for bid, hcode, const, sup, size, pca, exact in (self.table[0].tolist() if self.table else []):
            codes, end = self.bodies[int(bid)]
            rel, hcode = int(hcode) >> 1, int(hcode)
            sup, size, pca = max(1, round(sup)), max(1, round(size)), max(1, round(pca))
            if end == CYCLIC:
                rule = make_rule(ix, rel, codes, sup, size, pca)
                if not exact:
                    rule = Rule(**{**rule.__dict__, "exact": False})
            else:
                c = int(const)
                rule = Rule(ix.relations[rel], ix.relation_labels[rel],
                            tuple((ix.relations[k >> 1], bool(k & 1)) for k in codes),
                            tuple(ix.relation_labels[k >> 1] for k in codes), sup, size, pca,
                            ix.entities[c], ix.entity_labels[c], bool(hcode & 1),
                            ix.entities[end] if end >= 0 else None, ix.entity_labels[end] if end >= 0 else "",
                            bool(exact))
            out.append(rule)
        return out


def mine_sampled(index: TripleIndex, settings: MiningSettings, *, cyclic: bool = True,
                 progress: bool = False) -> tuple[list[Rule], str]:
    """Rules found by bottom-up path sampling: cyclic ones (if ``cyclic``) up to
    ``settings.max_len`` atoms and ones with constants up to ``settings.acyclic_len``; returns the
    rules (best first per head) and why mining stopped."""
    if not len(index) or (not cyclic and not settings.acyclic_len):
        return [], "nothing to mine"
    return _Miner(index, settings, cyclic).run(progress)
