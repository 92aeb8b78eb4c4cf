"""Paths between two entities: shortest, k shortest simple, and all simple paths up to a length.

Pure functions over a :class:`~kg.reason.index.TripleIndex` (build it once per graph with
``TripleIndex.from_graph(view.graph)``). A step may follow an edge backwards; it is then shown as
the inverse relation ``^rel`` / ``<-[rel]-``. Relation filters keep only steps over the named
relations; entity-type filters constrain the intermediate entities (never the two endpoints).

Shortest paths use a level-synchronous bidirectional BFS whose frontier expansion is vectorised
over the CSR adjacency; k shortest simple paths use Yen's algorithm (Yen, 1971, "Finding the k
shortest loopless paths in a network") with that BFS as the spur search. Two parallel edges with
different relations make two different paths.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kg.reason.errors import NoPathError
from kg.reason.index import TripleIndex


@dataclass(frozen=True)
class Step:
    """One hop: ``relation`` (IRI) walked forwards, or backwards when ``inverse``."""

    relation: str
    label: str
    inverse: bool = False

    @property
    def name(self) -> str:
        return "^" + self.label if self.inverse else self.label


@dataclass(frozen=True)
class Path:
    """A walk ``nodes[0] -steps[0]- nodes[1] ... nodes[-1]``; ``labels`` are the nodes' names."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    steps: tuple[Step, ...]

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def relation_sequence(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps)

    def render(self) -> str:
        out = [self.labels[0]]
        for step, label in zip(self.steps, self.labels[1:]):
            out.append(f"<-[{step.label}]-" if step.inverse else f"-[{step.label}]->")
            out.append(label)
        return " ".join(out)

    __str__ = render


@dataclass(frozen=True)
class PathFilter:
    """Which steps a search may take: directions, relations (ids) and intermediate entity types."""

    inverse: bool = True
    relations: tuple[int, ...] | None = None
    node_mask: np.ndarray | None = None  # allowed intermediate entities, or None for all

    def code_mask(self, index: TripleIndex) -> np.ndarray:
        ok = np.zeros(2 * index.num_relations, dtype=bool)
        rels = range(index.num_relations) if self.relations is None else self.relations
        for r in rels:
            ok[2 * r] = True
            if self.inverse:
                ok[2 * r + 1] = True
        return ok


def make_filter(index: TripleIndex, *, inverse: bool = True, relations: Sequence[str] | None = None,
                entity_types: Sequence[str] | None = None) -> PathFilter:
    """A :class:`PathFilter` from relation names/IRIs and entity type names/IRIs."""
    rel_ids = tuple(sorted({index.resolve_relation(r) for r in relations})) if relations else None
    mask = index.type_mask(entity_types) if entity_types else None
    return PathFilter(inverse=inverse, relations=rel_ids, node_mask=mask)


# -- internal search over integer ids ---------------------------------------------------------
_Raw = tuple[tuple[int, ...], tuple[int, ...]]  # (nodes, step codes)


def _expand(index: TripleIndex, frontier: np.ndarray):
    """All adjacency entries of ``frontier``: (source node, neighbour, step code) arrays."""
    starts = index.indptr[frontier]
    lens = index.indptr[frontier + 1] - starts
    total = int(lens.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
    return np.repeat(frontier, lens), index.neighbor[offsets], index.code[offsets]


class _Search:
    """Reusable per-query state for the bidirectional BFS (arrays sized to the graph)."""

    def __init__(self, index: TripleIndex, flt: PathFilter):
        self.index = index
        self.code_ok = flt.code_mask(index)
        self.node_mask = flt.node_mask

    def bfs(self, s: int, t: int, max_len: int, banned_nodes: frozenset = frozenset(),
            banned_first: frozenset = frozenset()) -> _Raw | None:
        """One shortest path s -> t of at most ``max_len`` steps, or None."""
        if s == t:
            return (s,), ()
        if max_len <= 0:
            return None
        idx = self.index
        n = idx.num_entities
        node_ok = np.ones(n, dtype=bool) if self.node_mask is None else self.node_mask.copy()
        node_ok[[s, t]] = True
        if banned_nodes:
            node_ok[list(banned_nodes)] = False
        dist_f = np.full(n, -1, dtype=np.int64)
        dist_b = np.full(n, -1, dtype=np.int64)
        par_f = np.full(n, -1, dtype=np.int64)
        code_f = np.full(n, -1, dtype=np.int64)
        par_b = np.full(n, -1, dtype=np.int64)
        code_b = np.full(n, -1, dtype=np.int64)
        dist_f[s], dist_b[t] = 0, 0
        front_f, front_b = np.array([s]), np.array([t])
        lf = lb = 0
        while lf + lb < max_len and len(front_f) and len(front_b):
            forward = len(front_f) <= len(front_b)
            src, dst, code = _expand(idx, front_f if forward else front_b)
            if forward:
                keep = self.code_ok[code]
            else:
                keep = self.code_ok[code ^ 1]  # walking t-side backwards: the path step is code^1
            keep &= node_ok[dst]
            if banned_first:
                if forward:
                    at_s = keep & (src == s)
                    for i in np.flatnonzero(at_s):
                        if (int(code[i]), int(dst[i])) in banned_first:
                            keep[i] = False
                else:
                    at_s = keep & (dst == s)
                    for i in np.flatnonzero(at_s):
                        if (int(code[i]) ^ 1, int(src[i])) in banned_first:
                            keep[i] = False
            dist_own = dist_f if forward else dist_b
            keep &= dist_own[dst] < 0
            if not keep.any():
                if forward:
                    front_f = np.empty(0, dtype=np.int64)
                else:
                    front_b = np.empty(0, dtype=np.int64)
                break
            src, dst, code = src[keep], dst[keep], code[keep]
            new, first = np.unique(dst, return_index=True)  # first-listed parent: deterministic
            level = (lf if forward else lb) + 1
            dist_own[new] = level
            if forward:
                par_f[new], code_f[new], lf, front_f = src[first], code[first], level, new
            else:
                par_b[new], code_b[new], lb, front_b = src[first], code[first] ^ 1, level, new
            other = dist_b if forward else dist_f
            met = new[other[new] >= 0]
            if len(met):
                total = dist_f[met] + dist_b[met]
                m = int(met[np.argmin(total)])
                return self._join(m, par_f, code_f, par_b, code_b)
        return None

    @staticmethod
    def _join(m, par_f, code_f, par_b, code_b) -> _Raw:
        left_nodes, left_codes = [m], []
        v = m
        while par_f[v] >= 0:
            left_codes.append(int(code_f[v]))
            v = int(par_f[v])
            left_nodes.append(v)
        nodes, codes = left_nodes[::-1], left_codes[::-1]
        v = m
        while par_b[v] >= 0:
            codes.append(int(code_b[v]))
            v = int(par_b[v])
            nodes.append(v)
        return tuple(nodes), tuple(codes)

    def yen(self, s: int, t: int, k: int, max_len: int) -> list[_Raw]:
        first = self.bfs(s, t, max_len)
        if first is None:
            return []
        found: list[_Raw] = [first]
        seen = {first}
        heap: list[tuple[int, tuple, tuple]] = []
        while len(found) < k:
            prev_nodes, prev_codes = found[-1]
            for i in range(len(prev_codes)):
                spur = prev_nodes[i]
                root_nodes, root_codes = prev_nodes[: i + 1], prev_codes[:i]
                banned_first = frozenset(
                    (p_codes[i], p_nodes[i + 1]) for p_nodes, p_codes in found
                    if len(p_codes) > i and p_nodes[: i + 1] == root_nodes and p_codes[:i] == root_codes)
                spur_path = self.bfs(spur, t, max_len - i, frozenset(root_nodes[:-1]), banned_first)
                if spur_path is None:
                    continue
                cand = (root_nodes[:-1] + spur_path[0], root_codes + spur_path[1])
                if cand not in seen:
                    seen.add(cand)
                    heapq.heappush(heap, (len(cand[1]), cand[0], cand[1]))
            if not heap:
                break
            _, nodes, codes = heapq.heappop(heap)
            found.append((nodes, codes))
        return found

    def distances_to(self, t: int, max_len: int, s: int) -> np.ndarray:
        """Hop distance from every entity to ``t`` (-1 beyond ``max_len``), under the filter;
        ``s`` (the source) is exempt from the entity-type filter."""
        idx = self.index
        n = idx.num_entities
        dist = np.full(n, -1, dtype=np.int64)
        dist[t] = 0
        node_ok = np.ones(n, dtype=bool) if self.node_mask is None else self.node_mask.copy()
        node_ok[s] = True
        front = np.array([t])
        for level in range(1, max_len + 1):
            _, dst, code = _expand(idx, front)
            keep = self.code_ok[code ^ 1] & node_ok[dst] & (dist[dst] < 0)
            front = np.unique(dst[keep])
            if not len(front):
                break
            dist[front] = level
        return dist


def _to_path(index: TripleIndex, raw: _Raw) -> Path:
    nodes, codes = raw
    steps = tuple(Step(index.relations[c >> 1], index.relation_labels[c >> 1], bool(c & 1)) for c in codes)
    return Path(tuple(index.entities[n] for n in nodes), tuple(index.entity_labels[n] for n in nodes), steps)


def _ids(index: TripleIndex, source, target) -> tuple[int, int]:
    s = source if isinstance(source, (int, np.integer)) else index.resolve_entity(source)
    t = target if isinstance(target, (int, np.integer)) else index.resolve_entity(target)
    return int(s), int(t)


def _no_path(index: TripleIndex, s: int, t: int, max_len: int) -> NoPathError:
    return NoPathError(index.entity_labels[s], index.entity_labels[t], max_len)


# -- public API -----------------------------------------------------------------------------------
def shortest_path(index: TripleIndex, source, target, *, max_len: int = 6,
                  flt: PathFilter | None = None) -> Path:
    """One shortest path (fewest steps) from ``source`` to ``target``; :class:`NoPathError` if none."""
    s, t = _ids(index, source, target)
    raw = _Search(index, flt or PathFilter()).bfs(s, t, max_len)
    if raw is None:
        raise _no_path(index, s, t, max_len)
    return _to_path(index, raw)


def k_shortest_paths(index: TripleIndex, source, target, k: int = 10, *, max_len: int = 6,
                     flt: PathFilter | None = None) -> list[Path]:
    """Up to ``k`` simple paths in order of length (Yen's algorithm); :class:`NoPathError` if none."""
    if k < 1:
        raise ValueError("k must be at least 1")
    s, t = _ids(index, source, target)
    raws = _Search(index, flt or PathFilter()).yen(s, t, k, max_len)
    if not raws:
        raise _no_path(index, s, t, max_len)
    return [_to_path(index, r) for r in raws]


def shortest_paths(index: TripleIndex, source, target, *, max_len: int = 6,
                   flt: PathFilter | None = None, limit: int = 100) -> list[Path]:
    """Every shortest path (up to ``limit``), i.e. all simple paths of the minimum length."""
    best = shortest_path(index, source, target, max_len=max_len, flt=flt)
    return all_simple_paths(index, source, target, max_len=len(best), flt=flt, limit=limit)


def all_simple_paths(index: TripleIndex, source, target, *, max_len: int = 3,
                     flt: PathFilter | None = None, limit: int = 1000) -> list[Path]:
    """All simple paths of at most ``max_len`` steps (first ``limit``, shortest first).

    Depth-first search pruned by the exact distance to ``target``, so no branch is explored that
    cannot reach it in the remaining hops.
    """
    s, t = _ids(index, source, target)
    search = _Search(index, flt or PathFilter())
    dist = search.distances_to(t, max_len, s)
    if s == t:
        return [_to_path(index, ((s,), ()))]
    if dist[s] < 0:
        raise _no_path(index, s, t, max_len)
    code_ok, indptr, nbr, codes = search.code_ok, index.indptr, index.neighbor, index.code
    results: list[_Raw] = []
    nodes, steps, on_path = [s], [], {s}
    truncated = False

    def dfs(u: int, depth: int) -> None:
        nonlocal truncated
        for j in range(indptr[u], indptr[u + 1]):
            v, c = int(nbr[j]), int(codes[j])
            if not code_ok[c] or v in on_path:
                continue
            if v == t:
                results.append((tuple(nodes) + (t,), tuple(steps) + (c,)))
                if len(results) >= limit * 4:  # collect a margin, then keep the shortest `limit`
                    truncated = True
                    return
                continue
            dv = dist[v]
            if dv < 0 or depth + 1 + dv > max_len:
                continue
            nodes.append(v), steps.append(c), on_path.add(v)
            dfs(v, depth + 1)
            nodes.pop(), steps.pop(), on_path.discard(v)
            if truncated:
                return

    dfs(s, 0)
    results.sort(key=lambda r: (len(r[1]), r[0], r[1]))
    return [_to_path(index, r) for r in results[:limit]]
