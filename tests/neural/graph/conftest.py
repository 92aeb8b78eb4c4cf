"""Small generated graphs for the embedding tests (built in memory, no files)."""

from __future__ import annotations

import numpy as np
import pytest

from kg.reason.index import TripleIndex
from neural.graph.data import from_index


def ring_graph(n: int = 24, seed: int = 0) -> TripleIndex:
    """Entities on a ring: ``next`` (i -> i+1), its inverse ``prev``, ``skip`` (i -> i+2) and a
    few random ``likes`` edges: patterns every decoder can learn from the other facts."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        rows += [(f"e{i:02d}", "next", f"e{(i + 1) % n:02d}"), (f"e{(i + 1) % n:02d}", "prev", f"e{i:02d}"),
                 (f"e{i:02d}", "skip", f"e{(i + 2) % n:02d}")]
    for _ in range(n // 2):
        a, b = rng.integers(0, n, 2)
        rows.append((f"e{a:02d}", "likes", f"e{b:02d}"))
    return TripleIndex.from_triples(rows)


@pytest.fixture
def ring_index():
    return ring_graph()


@pytest.fixture
def ring_data(ring_index):
    return from_index(ring_index, valid=0.15, test=0.15, seed=0, name="ring")


def cluster_graph(clusters: int = 6, size: int = 6, per: int = 4, seed: int = 0) -> TripleIndex:
    """Entities in clusters; relation ``k`` links an entity of cluster c to ``per`` random
    entities of cluster c + k (k = 0, 1): learning cluster membership ranks answers well."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(clusters):
        for i in range(size):
            for k in (0, 1):
                target = (c + k) % clusters
                for j in rng.choice([j for j in range(size) if (target, j) != (c, i)], per, replace=False):
                    rows.append((f"c{c}e{i}", f"r{k}", f"c{target}e{j}"))
    return TripleIndex.from_triples(rows)


@pytest.fixture
def cluster_data():
    return from_index(cluster_graph(), valid=0.15, test=0.15, seed=0, name="clusters")
