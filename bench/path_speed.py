"""Path-search latency on a generated graph of 1M edges (issue 4).

Builds a random multi-relational graph (power-law-ish degrees), indexes it once with
kg.reason.index.TripleIndex, and times shortest-path and k-shortest-paths queries between random
connected pairs. The peer is NetworkX (bidirectional BFS on the undirected simple graph, i.e. the
same hop distance) timed on the same pairs; its index build is timed too.

    .venv/bin/python bench/path_speed.py [--edges 1000000] [--nodes 200000] [--queries 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kg.reason.index import TripleIndex
from kg.reason.paths import PathFilter, k_shortest_paths, shortest_path


def generate(n_edges: int, n_nodes: int, n_rel: int, seed: int):
    rng = np.random.default_rng(seed)
    # Zipf-like popularity so that some hubs exist, as in real KGs.
    weights = 1.0 / np.arange(1, n_nodes + 1) ** 0.8
    weights /= weights.sum()
    heads = rng.choice(n_nodes, size=n_edges, p=weights)
    tails = rng.integers(0, n_nodes, size=n_edges)
    rels = rng.integers(0, n_rel, size=n_edges)
    perm = rng.permutation(n_nodes)  # hubs scattered over the id space
    return perm[heads], rels, perm[tails]


def pct(xs, q):
    return float(np.percentile(np.asarray(xs) * 1000, q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--nodes", type=int, default=200_000)
    ap.add_argument("--relations", type=int, default=50)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--k-queries", type=int, default=50)
    ap.add_argument("--max-len", type=int, default=8)
    ap.add_argument("--no-peer", action="store_true", help="skip the NetworkX peer")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    h, r, t = generate(args.edges, args.nodes, args.relations, args.seed)
    t0 = time.perf_counter()
    index = TripleIndex.from_arrays(h, r, t, args.nodes, args.relations)
    build_s = time.perf_counter() - t0
    print(f"graph: {args.nodes:,} entities, {args.relations} relations, {len(index):,} unique edges "
          f"(generated {args.edges:,}); index build {build_s:.2f} s")

    # Random pairs restricted to the giant component (connected pairs), found by one BFS.
    rng = np.random.default_rng(args.seed + 1)
    flt = PathFilter()
    from kg.reason.paths import _Search

    reach = _Search(index, flt).distances_to(int(h[0]), 10**9, int(h[0])) >= 0
    pool = np.flatnonzero(reach)
    pairs = [tuple(int(x) for x in rng.choice(pool, 2, replace=False)) for _ in range(args.queries)]

    sp_times, lengths = [], []
    for s, g in pairs:
        t0 = time.perf_counter()
        p = shortest_path(index, s, g, max_len=args.max_len, flt=flt)
        sp_times.append(time.perf_counter() - t0)
        lengths.append(len(p))
    print(f"shortest path  ({len(pairs)} random connected pairs, mean length {np.mean(lengths):.2f}): "
          f"p50 {pct(sp_times, 50):.2f} ms  p95 {pct(sp_times, 95):.2f} ms  (target p50 < 20 ms)")

    k_times, counts = [], []
    for s, g in pairs[: args.k_queries]:
        t0 = time.perf_counter()
        ps = k_shortest_paths(index, s, g, k=args.k, max_len=args.max_len, flt=flt)
        k_times.append(time.perf_counter() - t0)
        counts.append(len(ps))
    print(f"k={args.k} shortest simple paths ({len(k_times)} pairs, mean {np.mean(counts):.1f} paths found): "
          f"p50 {pct(k_times, 50):.2f} ms  p95 {pct(k_times, 95):.2f} ms")

    if args.no_peer:
        return
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.Graph()
    g.add_edges_from(zip(h.tolist(), t.tolist()))
    nx_build = time.perf_counter() - t0
    nx_times = []
    for (s, d), ours in zip(pairs, lengths):
        t0 = time.perf_counter()
        p = nx.bidirectional_shortest_path(g, s, d)
        nx_times.append(time.perf_counter() - t0)
        assert len(p) - 1 == ours, "hop distance differs from NetworkX"
    print(f"peer networkx.bidirectional_shortest_path (undirected simple graph, build {nx_build:.2f} s): "
          f"p50 {pct(nx_times, 50):.2f} ms  p95 {pct(nx_times, 95):.2f} ms; same hop lengths on all pairs")
    print(f"ratio p50 kgn/networkx: {pct(sp_times, 50) / pct(nx_times, 50):.2f} "
          f"(p95 {pct(sp_times, 95) / pct(nx_times, 95):.2f})")
    nk = []
    for s, d in pairs[: min(10, args.k_queries)]:
        t0 = time.perf_counter()
        it = nx.shortest_simple_paths(g, s, d)
        for _ in range(args.k):
            next(it, None)
        nk.append(time.perf_counter() - t0)
    print(f"peer networkx.shortest_simple_paths k={args.k} (first {len(nk)} pairs; node paths, ignores "
          f"relations): p50 {pct(nk, 50):.1f} ms; ratio p50 kgn/networkx "
          f"{np.percentile(k_times[:len(nk)], 50) / np.percentile(nk, 50):.2f}")


if __name__ == "__main__":
    main()
