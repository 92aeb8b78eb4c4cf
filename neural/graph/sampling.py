"""Neighbour sampling for message passing on graphs too large to encode whole every step.

GraphSAGE-style (Hamilton et al., NeurIPS 2017): from the seed nodes, each hop keeps at most
``fanout`` incoming edges per frontier node (drawn uniformly, with replacement, then made
unique), for as many hops as the encoder has layers. ``torch_geometric.loader.NeighborLoader``
does this too, but needs the compiled ``pyg-lib`` or ``torch-sparse`` extensions, which have no
wheels for this torch build; this sampler is plain numpy over a CSR by destination.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MessageGraph:
    """Typed directed edges ``src -> dst`` (both directions of every triple), CSR by destination."""

    src: np.ndarray
    dst: np.ndarray
    rel: np.ndarray
    indptr: np.ndarray  # edges of node v: order[indptr[v]:indptr[v + 1]]
    order: np.ndarray
    num_nodes: int

    @classmethod
    def from_triples(cls, triples: np.ndarray, num_nodes: int, num_relations: int) -> "MessageGraph":
        h, r, t = triples[:, 0], triples[:, 1], triples[:, 2]
        src = np.concatenate([h, t])
        dst = np.concatenate([t, h])
        rel = np.concatenate([r, r + num_relations])  # inverse edges get their own type
        order = np.argsort(dst, kind="stable")
        indptr = np.zeros(num_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(dst, minlength=num_nodes), out=indptr[1:])
        return cls(src, dst, rel, indptr, order, num_nodes)


def sample_subgraph(graph: MessageGraph, seeds: np.ndarray, fanouts: list[int],
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, edge ids) of the sampled computation graph of ``seeds``; seeds come first in nodes."""
    seeds = np.unique(seeds)
    seen = np.zeros(graph.num_nodes, dtype=bool)
    seen[seeds] = True
    nodes = [seeds]
    frontier = seeds
    edges = []
    for fanout in fanouts:
        start = graph.indptr[frontier]
        deg = graph.indptr[frontier + 1] - start
        has = deg > 0
        start, deg = start[has], deg[has]
        if len(start) == 0:
            break
        picks = start[:, None] + (rng.random((len(start), fanout)) * deg[:, None]).astype(np.int64)
        eids = np.unique(graph.order[picks.ravel()])
        edges.append(eids)
        src = np.unique(graph.src[eids])
        new = src[~seen[src]]
        seen[new] = True
        nodes.append(new)
        frontier = new
    return np.concatenate(nodes), (np.unique(np.concatenate(edges)) if edges else np.zeros(0, dtype=np.int64))
