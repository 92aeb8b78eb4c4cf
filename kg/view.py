"""The NetworkX view of the knowledge graph.

Entities are nodes (id: IRI string; attributes ``label``, ``aliases``, ``types``); relations are
keyed edges of a ``MultiDiGraph`` (key: predicate IRI; attributes ``label``, ``inferred``). Labels,
types, provenance and other schema triples (see :data:`kg.vocab.META_NAMESPACES`) are attributes,
not edges. The view is derived from the graph index (:mod:`kg.indexing`) and cached until the
store's change stamp moves (a write by any kgn process).
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx
from kg.vocab import Vocab, local_name  # noqa: F401 - local_name: part of the view's API


def build_graph(edges: Iterable[tuple], labels: dict | None = None, types: dict | None = None,
                aliases: dict | None = None, inferred: set | None = None,
                relation_labels: dict | None = None, isolated: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A view graph from plain data: ``edges`` are ``(head, relation, tail)`` strings.

    ``labels``/``types``/``aliases`` map node ids to attributes; ``isolated`` adds nodes that
    have no edge. Used by :class:`GraphView` and by code that has triples but no store.
    """
    labels, types, aliases = labels or {}, types or {}, aliases or {}
    inferred, relation_labels = inferred or set(), relation_labels or {}
    g = nx.MultiDiGraph()
    for h, r, t in edges:
        h, r, t = str(h), str(r), str(t)
        g.add_edge(h, t, key=r, label=relation_labels.get(r) or local_name(r), inferred=(h, r, t) in inferred)
    g.add_nodes_from(str(n) for n in isolated)
    for node, data in g.nodes(data=True):
        data["label"] = labels.get(node) or local_name(node)
        data["types"] = tuple(sorted(types.get(node, ())))
        data["aliases"] = tuple(sorted(aliases.get(node, ())))
    return g


def graph_from_index(index, inferred=None, include_inferred: bool = True) -> nx.MultiDiGraph:
    """The NetworkX view of a graph index (:mod:`kg.indexing`): nodes are entity IRIs with
    ``label``, ``aliases`` and ``types``; edges are keyed by relation IRI with ``label`` and
    ``inferred`` (stated only by ``kgn infer``)."""
    import numpy as np

    triples = np.asarray(index.triples)
    flags = np.zeros(len(triples), dtype=bool) if inferred is None else np.asarray(inferred, dtype=bool)
    if not include_inferred:
        triples, flags = triples[~flags], flags[~flags]
    ents, rels, rel_labels = index.entities, index.relations, index.relation_labels
    g = nx.MultiDiGraph()
    g.add_nodes_from((e, {"label": index.entity_labels[i], "types": tuple(index.entity_types[i]),
                          "aliases": tuple(index.entity_aliases[i])}) for i, e in enumerate(ents))
    g.add_edges_from((ents[h], ents[t], rels[r], {"label": rel_labels[r], "inferred": bool(f)})
                     for (h, r, t), f in zip(triples.tolist(), flags.tolist()))
    return g


class GraphView:
    """The NetworkX view of a store, cached until the store's change stamp moves.

    Prefer :meth:`kg.workspace.Workspace.graph`, which shares the workspace's saved index; this
    class serves code that holds a bare :class:`~kg.store.Store`.
    """

    def __init__(self, store, *, include_inferred: bool = True, vocab: Vocab | None = None):
        self.store = store
        self.include_inferred = include_inferred
        self.vocab = vocab or Vocab()
        self._graph: nx.MultiDiGraph | None = None
        self._stamp: str | None = None
        self._index = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None or self._stamp != self.store.stamp():
            self.refresh()
        return self._graph

    def refresh(self) -> nx.MultiDiGraph:
        """Rebuild the projection from the store now."""
        from kg.indexing import build_index

        stamp = self.store.stamp()  # before the data
        stored = build_index(self.store, self.vocab)
        self._graph = graph_from_index(stored.index, stored.inferred, self.include_inferred)
        self._stamp, self._index = stamp, stored.index
        return self._graph

    # -- look-ups -----------------------------------------------------------------------------
    def lookup(self, name: str) -> list[str]:
        """Nodes whose label or alias equals ``name``, case-insensitively (or whose IRI is it)."""
        from kg.resolve import resolver_for

        self.graph  # noqa: B018 - refreshes the index when stale
        return [self._index.entities[i] for i in resolver_for(self._index).lookup(name)]

    def names(self) -> list[str]:
        """Every label and alias known to the view (for 'did you mean' suggestions)."""
        return sorted({name for _, d in self.graph.nodes(data=True) for name in (d["label"], *d["aliases"])})

    def label(self, node: str) -> str:
        return self.graph.nodes[node]["label"]

    def relations(self) -> dict[str, str]:
        """Relation IRI -> label, for every relation that has an edge."""
        return {k: d["label"] for _, _, k, d in self.graph.edges(keys=True, data=True)}
