"""A live rdflib view of a kgn store: an rdflib ``Store`` plugin that delegates to it.

``store.rdflib_dataset()`` returns an ``rdflib.Dataset`` whose reads, writes and SPARQL queries go
to the kgn store (queries over the union graph run in kgn's engine, not rdflib's evaluator).
"""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.store import Store as RdflibStore

from kg.store.base import data_update, to_ox_quads


def _graph_name(context):
    if context is None:
        return ...
    ident = context.identifier if isinstance(context, Graph) else context
    return None if ident == DATASET_DEFAULT_GRAPH_ID else ident


class KgnRdflibStore(RdflibStore):
    """rdflib's Store API over a :class:`kg.store.Store`."""

    context_aware = True
    formula_aware = False
    graph_aware = True
    transaction_aware = False

    def __init__(self, kgn_store):
        super().__init__()
        self.kgn = kgn_store
        self._ns: dict[str, URIRef] = {}

    # Prefix bindings live here (rdflib's namespace manager writes them on creation).
    def bind(self, prefix, namespace, override=True):
        if override or prefix not in self._ns:
            self._ns[prefix] = URIRef(namespace)

    def namespace(self, prefix):
        return self._ns.get(prefix)

    def prefix(self, namespace):
        return next((p for p, ns in self._ns.items() if ns == URIRef(namespace)), None)

    def namespaces(self):
        yield from self._ns.items()

    def add(self, triple, context, quoted=False):
        self.kgn.add([triple], graph=_graph_name(context) if context is not None else None)
        super().add(triple, context, quoted)

    def addN(self, quads):
        by_graph: dict = {}
        for s, p, o, c in quads:
            by_graph.setdefault(_graph_name(c), []).append((s, p, o))
        for g, triples in by_graph.items():
            self.kgn.add(triples, graph=None if g is ... else g)

    def remove(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        matches = list(self.kgn.quads(s, p, o, _graph_name(context)))
        if matches:
            self.kgn.update(data_update(to_ox_quads(matches), verb="DELETE DATA"))

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        graph = _graph_name(context)
        if graph is ...:
            for triple in self.kgn.triples(s, p, o):
                yield triple, iter(())
        else:
            for qs, qp, qo, _ in self.kgn.quads(s, p, o, graph):
                yield (qs, qp, qo), iter((context,))

    def __len__(self, context=None):
        graph = _graph_name(context)
        if graph is ...:
            return sum(1 for _ in self.kgn.triples())
        return sum(1 for _ in self.kgn.quads(graph=graph))

    def contexts(self, triple=None):
        if triple is None:
            names = self.kgn.graphs()
        else:
            names = sorted({g for *_, g in self.kgn.quads(*triple) if g is not None})
        for name in names:
            yield Graph(store=self, identifier=name)

    def add_graph(self, graph):
        pass  # graphs exist as soon as they hold a triple

    def remove_graph(self, graph):
        self.kgn.remove_graph(graph.identifier)

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):
        # Only plain-text queries over the union graph are delegated; rdflib evaluates the rest
        # itself over triples() when this raises NotImplementedError.
        if not isinstance(query, str) or queryGraph not in ("__UNION__", DATASET_DEFAULT_GRAPH_ID):
            raise NotImplementedError
        res = self.kgn.query(query, {str(k): v for k, v in (initBindings or {}).items()} or None,
                             prefixes={k: str(v) for k, v in (initNs or {}).items()} or None)
        out = Result(res.form)
        if res.form == "ASK":
            out.askAnswer = bool(res.boolean)
        elif res.form == "SELECT":
            out.vars = [Variable(v) for v in res.vars]
            out.bindings = [{Variable(k): v for k, v in d.items()} for d in res.dicts()]
        else:
            g = Graph()
            for t in res.triples:
                g.add(t)
            out.graph = g
        return out


def dataset_for(kgn_store) -> Dataset:
    """An ``rdflib.Dataset`` over ``kgn_store``, union of graphs as its default graph."""
    return Dataset(store=KgnRdflibStore(kgn_store), default_union=True)


__all__ = ["KgnRdflibStore", "dataset_for"]
