"""Vectorised walks over a :class:`TripleIndex`: the one primitive rule mining and rule application
share. Memory and time grow with the walks produced (bounded by a budget), never with entities².

A *walk table* is an ``(k, L)`` int64 array, one walk per row, node ids in order. Extending it by a
step code ``c`` (``2r`` forwards, ``2r + 1`` backwards, as in the index) keeps, for every walk and
every ``c``-neighbour of its last node, the longer walk, provided the neighbour is not already on
the walk: bodies are grounded under *object identity* (all variables bound to distinct entities),
as AnyBURL does (Meilicke et al., IJCAI 2019) and as :class:`kg.reason.rules.DenseAlgebra` counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kg.reason.index import TripleIndex


@dataclass(frozen=True, eq=False)
class Steps:
    """The index's CSR adjacency keyed by ``node * n_codes + code`` (already sorted that way),
    so the ``c``-neighbours of many nodes are found with two ``searchsorted`` calls."""

    keys: np.ndarray  # (2E,) int64, sorted
    neighbor: np.ndarray  # (2E,) int64
    n_codes: int
    n_entities: int
    # offsets[k] = first position of key k (entities × codes + 1 entries) when that is small
    # enough (OFFSETS_MAX), else None and positions are found by binary search.
    offsets: np.ndarray | None = None

    OFFSETS_MAX = 8_000_000

    @classmethod
    def of(cls, index: TripleIndex) -> Steps:
        n_codes = max(2 * index.num_relations, 1)
        src = np.repeat(np.arange(index.num_entities, dtype=np.int64), np.diff(index.indptr))
        keys = src * n_codes + index.code
        n_keys = index.num_entities * n_codes
        offsets = None
        if n_keys <= cls.OFFSETS_MAX:
            offsets = np.searchsorted(keys, np.arange(n_keys + 1, dtype=np.int64), "left")
        return cls(keys, index.neighbor, n_codes, index.num_entities, offsets)

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.neighbor.nbytes + (0 if self.offsets is None else self.offsets.nbytes)

    def ranges(self, nodes: np.ndarray, code) -> tuple[np.ndarray, np.ndarray]:
        """``[lo, hi)`` into :attr:`neighbor` of the ``code``-neighbours of each node."""
        key = nodes * self.n_codes + code
        if self.offsets is not None:
            return self.offsets[key], self.offsets[key + 1]
        return np.searchsorted(self.keys, key, "left"), np.searchsorted(self.keys, key, "right")

    def neighbors(self, node: int, code: int) -> np.ndarray:
        lo, hi = self.ranges(np.array([node], dtype=np.int64), code)
        return self.neighbor[lo[0]:hi[0]]

    def other_neighbours(self, nodes: np.ndarray, code: int) -> tuple[np.ndarray, np.ndarray]:
        """Per node: how many ``code``-neighbours other than itself, and the neighbour when there
        is exactly one (else -1)."""
        lo, hi = self.ranges(nodes, code)
        idx, pos = _spans(lo, hi)
        nb = self.neighbor[pos]
        ok = nb != nodes[idx]
        deg = np.bincount(idx[ok], minlength=len(nodes))
        sole = np.full(len(nodes), -1, dtype=np.int64)
        sole[idx[ok]] = nb[ok]
        return deg, np.where(deg == 1, sole, -1)

    def has_step(self, nodes: np.ndarray, code) -> np.ndarray:
        lo, hi = self.ranges(nodes, code)
        return hi > lo

    def sources(self, code: int) -> np.ndarray:
        """Sorted entities with at least one ``code`` step."""
        keys = self.keys
        nodes = np.unique(keys[(keys % self.n_codes) == code] // self.n_codes)
        return nodes

    def pair_codes(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All step codes from ``x[i]`` to ``y[i]``: (pair index, code) arrays."""
        lo = np.searchsorted(self.keys, x * self.n_codes, "left")
        hi = np.searchsorted(self.keys, (x + 1) * self.n_codes, "left")
        idx, pos = _spans(lo, hi)
        hit = self.neighbor[pos] == y[idx]
        return idx[hit], self.keys[pos[hit]] % self.n_codes

    def out_edges(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every step from each of ``nodes``: (row into nodes, code, neighbour)."""
        lo = np.searchsorted(self.keys, nodes * self.n_codes, "left")
        hi = np.searchsorted(self.keys, (nodes + 1) * self.n_codes, "left")
        idx, pos = _spans(lo, hi)
        return idx, self.keys[pos] % self.n_codes, self.neighbor[pos]


def _spans(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, position) for every position in each ``[lo[row], hi[row])``."""
    cnt = hi - lo
    total = int(cnt.sum())
    rows = np.repeat(np.arange(len(lo), dtype=np.int64), cnt)
    starts = np.cumsum(cnt) - cnt
    pos = np.arange(total, dtype=np.int64) - np.repeat(starts - lo, cnt)
    return rows, pos


@dataclass
class WalkResult:
    """Walks of one body from a prefix of the (shuffled) start nodes.

    ``starts_used`` of ``starts_total`` start nodes were walked completely; ``complete`` is False
    when even one start had more walks than the budget and its walks were subsampled."""

    walks: np.ndarray
    starts_used: int
    starts_total: int
    complete: bool = True

    @property
    def scale(self) -> float:
        return self.starts_total / self.starts_used if self.starts_used else 0.0

    @property
    def exact(self) -> bool:
        return self.complete and self.starts_used == self.starts_total


def extend(steps: Steps, walks: np.ndarray, origin: np.ndarray, code: int, budget: int | None = None,
           rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray, int | None]:
    """All object-identity extensions of ``walks`` by one ``code`` step.

    ``origin`` is each walk's start position (non-decreasing down the rows). With a ``budget``
    only the walks of the first starts whose extensions fit are kept, so a cut is a cut in the
    start order (a uniform sample of starts when they were shuffled). Returns (walks, origin,
    cut): ``cut`` is the number of leading starts kept whole (None when nothing was cut; 0 when the
    first start alone overflowed and a random subset of its extensions was kept)."""
    lo, hi = steps.ranges(walks[:, -1], code)
    cnt = hi - lo
    cut = None
    if budget is not None and int(cnt.sum()) > budget:
        first_over = int(np.searchsorted(np.cumsum(cnt), budget, "right"))  # first walk that does not fit
        cut = int(origin[first_over])
        n_keep = int(np.searchsorted(origin, cut, "left"))  # walks of starts before the cut
        if n_keep == 0:  # the first start alone overflows: a random subset of its extensions
            rows, pos = _spans(lo[origin == cut], hi[origin == cut])
            sel = np.sort((rng or np.random.default_rng(0)).choice(len(pos), size=budget, replace=False))
            rows, pos = rows[sel], pos[sel]
            nxt, ok = _extended(walks, rows, steps.neighbor[pos])
            return nxt, origin[rows][ok], 0
        walks, origin, lo, hi = walks[:n_keep], origin[:n_keep], lo[:n_keep], hi[:n_keep]
    rows, pos = _spans(lo, hi)
    nxt, ok = _extended(walks, rows, steps.neighbor[pos])
    return nxt, origin[rows][ok], cut


def _extended(walks: np.ndarray, rows: np.ndarray, nxt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    prev = walks[rows]
    ok = (prev != nxt[:, None]).all(axis=1)
    return np.concatenate([prev[ok], nxt[ok, None]], axis=1), ok


def walk_body(steps: Steps, starts: np.ndarray, codes: tuple[int, ...], budget: int | None = None,
              rng: np.random.Generator | None = None) -> WalkResult:
    """Walks of ``codes`` from ``starts`` (in the given order) under object identity, at most
    ``budget`` rows at any step; starts cut off by the budget are not counted as used."""
    starts = np.asarray(starts, dtype=np.int64)
    walks = starts.reshape(-1, 1)
    origin = np.arange(len(starts), dtype=np.int64)
    used, complete = len(starts), True
    for code in codes:
        walks, origin, cut = extend(steps, walks, origin, code, budget, rng)
        if cut == 0:
            used, complete = 1, False
        elif cut is not None:
            used = min(used, cut)
        if not len(walks):
            break
    return WalkResult(walks, used, len(starts), complete)


def random_walks(steps: Steps, starts: np.ndarray, length: int, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    """One uniform random walk of ``length`` steps from each start (any step code), never
    revisiting a node. Returns (nodes (k, length + 1), codes (k, length)); walks that get stuck
    are cut short with -1 entries."""
    k = len(starts)
    nodes = np.full((k, length + 1), -1, dtype=np.int64)
    codes = np.full((k, length), -1, dtype=np.int64)
    nodes[:, 0] = starts
    alive = np.ones(k, dtype=bool)
    for i in range(length):
        idx = np.flatnonzero(alive)
        u = nodes[idx, i]
        lo = np.searchsorted(steps.keys, u * steps.n_codes, "left")
        hi = np.searchsorted(steps.keys, (u + 1) * steps.n_codes, "left")
        has = hi > lo
        idx, lo, hi = idx[has], lo[has], hi[has]
        pos = lo + (rng.random(len(idx)) * (hi - lo)).astype(np.int64)
        nxt = steps.neighbor[pos]
        fresh = (nodes[idx, : i + 1] != nxt[:, None]).all(axis=1)
        idx, pos, nxt = idx[fresh], pos[fresh], nxt[fresh]
        nodes[idx, i + 1] = nxt
        codes[idx, i] = steps.keys[pos] % steps.n_codes
        alive[:] = False
        alive[idx] = True
    return nodes, codes
