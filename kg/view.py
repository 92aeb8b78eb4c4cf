"""The NetworkX view of the knowledge graph.

Entities are nodes (id: IRI string; attributes ``label``, ``aliases``, ``types``); relations are
keyed edges of a ``MultiDiGraph`` (key: predicate IRI; attributes ``label``, ``inferred``). Labels,
types, provenance and other schema triples (see :data:`kg.vocab.META_NAMESPACES`) are attributes,
not edges. The projection is cached and rebuilt only when the store's ``generation`` moves, i.e.
after a write through the same :class:`~kg.store.Store`; call :meth:`GraphView.refresh` after
writes made by other processes.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable
from urllib.parse import unquote

import networkx as nx
from rdflib.namespace import RDF, RDFS, SKOS

from kg.vocab import Vocab, is_meta


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


@lru_cache(maxsize=1 << 16)  # called once per edge for its relation: few distinct values
def local_name(iri: str) -> str:
    """A readable fallback name for an IRI: its last path segment or fragment, decoded."""
    tail = str(iri).rstrip("/#")
    tail = tail.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return unquote(tail).replace("_", " ")


class GraphView:
    """Cached ``MultiDiGraph`` projection of a store, with label look-up."""

    def __init__(self, store, *, include_inferred: bool = True, vocab: Vocab | None = None):
        self.store = store
        self.include_inferred = include_inferred
        self.vocab = vocab or Vocab.from_env()
        self._graph: nx.MultiDiGraph | None = None
        self._generation = -1
        self._index: dict[str, set[str]] = {}

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None or self._generation != self.store.generation:
            self.refresh()
        return self._graph

    def refresh(self) -> nx.MultiDiGraph:
        """Rebuild the projection from the store now."""
        generation = self.store.generation
        inferred_graph = str(self.vocab.inferred_graph)
        edges: dict[tuple, bool] = {}
        rows = self.store.select_values("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?o)) } }")
        for s, p, o, g in rows:
            if is_meta(p):
                continue
            is_inf = g == inferred_graph
            if is_inf and not self.include_inferred:
                continue
            key = (s, p, o)
            edges[key] = edges.get(key, True) and is_inf  # inferred only if no document states it
        labels: dict[str, str] = {}
        aliases, types = defaultdict(set), defaultdict(set)
        values = self.store.select_values
        for s, l in values(f"SELECT ?s ?l WHERE {{ ?s <{RDFS.label}> ?l FILTER(isLiteral(?l)) }}"):
            labels.setdefault(s, l)
        for s, l in values(f"SELECT ?s ?l WHERE {{ ?s <{SKOS.altLabel}> ?l }}"):
            aliases[s].add(l)
        for s, t in values(f"SELECT ?s ?t WHERE {{ ?s <{RDF.type}> ?t }}"):
            types[s].add(t)
        # Entities minted by kgn are nodes even without relations; other IRIs only via edges.
        entity_prefix = self.vocab.base + "entity/"
        graph = build_graph(edges, labels=labels, types=types, aliases=aliases,
                            inferred={k for k, v in edges.items() if v}, relation_labels=labels,
                            isolated=[n for n in labels if n.startswith(entity_prefix)])
        index: dict[str, set[str]] = defaultdict(set)
        for node, data in graph.nodes(data=True):
            for name in (data["label"], *data["aliases"]):
                index[name.casefold()].add(node)
        self._graph, self._generation, self._index = graph, generation, dict(index)
        return graph

    # -- look-ups -----------------------------------------------------------------------------
    def lookup(self, name: str) -> list[str]:
        """Nodes whose label or alias equals ``name``, case-insensitively (or whose IRI is it)."""
        graph = self.graph
        if name in graph:
            return [name]
        return sorted(self._index.get(name.strip().casefold(), ()))

    def names(self) -> list[str]:
        """Every label and alias known to the view (for 'did you mean' suggestions)."""
        return sorted({name for _, d in self.graph.nodes(data=True) for name in (d["label"], *d["aliases"])})

    def label(self, node: str) -> str:
        return self.graph.nodes[node]["label"]

    def relations(self) -> dict[str, str]:
        """Relation IRI -> label, for every relation that has an edge."""
        return {k: d["label"] for _, _, k, d in self.graph.edges(keys=True, data=True)}

