"""A live rdflib view of a kgn store, built on the rdflib stores made for each backend.

``dataset_for(store)`` returns an ``rdflib.Dataset`` (union of graphs as its default graph, kgn's
query contract) over the *same* store object kgn writes to, so a write through either side is seen
by the other:

- embedded and memory backends: oxrdflib's ``OxigraphStore`` (the Oxigraph project's rdflib
  bridge) over the kgn store's own ``pyoxigraph.Store``; SPARQL runs in Oxigraph;
- remote backend: rdflib's own ``SPARQLUpdateStore`` on the store's query and update URLs.

Every write through the view ends in ``Store._changed()``, the one hook that advances the kgn
store's change counter, so views and caches built on the store see view writes too.

The code below only patches what the library stores get wrong for kgn; each override says why.
This module depends on the store interface; the store modules never import it.
"""

from __future__ import annotations

import weakref
from typing import Any

import pyoxigraph as ox
from oxrdflib._converter import from_ox_graph_name, to_ox, to_ox_quad_pattern
from oxrdflib.store import OxigraphStore as OxrdflibStore
from rdflib import BNode, Dataset, Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result
from rdflib.store import VALID_STORE

from kg.store._sparql import declares_dataset
from kg.store._terms import from_ox
from kg.store._terms import to_ox as to_kgn_ox
from kg.store.base import CHANGE_NS, Store
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import RemoteStore
from kg.vocab import META_GRAPH, WORKSPACE

_BOOKKEEPING = (str(WORKSPACE), CHANGE_NS)


# Prefix bindings belong to the store, as in rdflib's own stores, not to one view object: two
# views of one kgn store share them. Keyed weakly so a closed, dropped store takes them along.
_BINDINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _shared_bindings(kgn_store: Store) -> tuple[dict, dict]:
    return _BINDINGS.setdefault(kgn_store, ({}, {}))


class _CountsWrites:
    """Every write through the view calls the kgn store's change hook after it succeeds."""

    _kgn: Store

    def add(self, triple, context=None, quoted=False):
        super().add(triple, context, quoted)
        self._kgn._changed()

    def addN(self, quads):
        super().addN(quads)
        self._kgn._changed()

    def remove(self, triple, context=None):
        super().remove(triple, context)
        self._kgn._changed()

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._kgn._changed()

    def add_graph(self, graph):
        super().add_graph(graph)
        self._kgn._changed()

    def remove_graph(self, graph):
        super().remove_graph(graph)
        self._kgn._changed()


class _TermMemo:
    """pyoxigraph -> rdflib term conversion with a memo kept by the view across reads.

    Building rdflib terms (IRI checks, literal casting) dominates reads, which meet the same
    entities and predicates again and again; the mapping is pure, so it never goes stale. IRIs
    are keyed by their string: hashing and comparing pyoxigraph terms goes through the extension
    and costs several times more. Within one read equal terms come back as the *same* object, so
    ``id()`` can key them; the memo is only emptied between reads, once it holds ``limit`` terms.
    """

    def __init__(self, limit: int = 1 << 18):
        self.limit = limit
        self.iris: dict[str, URIRef] = {}
        self.others: dict = {}

    def reader(self):
        if len(self.iris) + len(self.others) > self.limit:
            self.iris.clear()
            self.others.clear()
        iris, others = self.iris, self.others

        def term(t):
            if type(t) is ox.NamedNode:
                v = t.value
                r = iris.get(v)
                if r is None:
                    r = iris[v] = URIRef(v)
                return r
            r = others.get(t)
            if r is None:
                r = others[t] = from_ox(t)
            return r

        return term


class _Graphs(dict):
    """Graph name -> rdflib ``Graph`` on the view, built once per read (as ``_Terms``)."""

    def __init__(self, store):
        super().__init__()
        self.store = store

    def __missing__(self, name):
        value = self[name] = from_ox_graph_name(name, self.store)
        return value


class _OxigraphFixes(OxrdflibStore):
    """oxrdflib's store over a kgn :class:`OxigraphStore` (embedded or memory).

    Terms come back in kgn's (and rdflib's parsers') mapping, not oxrdflib's: Oxigraph (RDF 1.1)
    holds ``"x"`` and ``"x"^^xsd:string`` as one term, rdflib 7 as two, so one of them cannot
    round-trip. Plain ``Literal("x")`` is what rdflib code writes and its parsers produce; returning
    it keeps ``==`` with rdflib's own terms (with oxrdflib's typed form, 61 failures of rdflib's own
    graph/dataset/SPARQL tests showed a typed xsd:string where rdflib expects the plain one).
    A typed ``xsd:string`` literal is still found by patterns and comes back ``Literal.eq``-equal.
    """

    # rdflib's N3 parser refuses stores that are not formula-aware, even for N3 without formulas.
    # Plain N3 parses; a quoted formula (``{ ... }``) is refused by ``add(quoted=True)``.
    formula_aware = True

    _kgn: OxigraphStore
    _memo: _TermMemo

    @property
    def _inner(self) -> ox.Store:
        # Always the kgn store's live engine (never a copy or a second handle), so closing the
        # kgn store closes the view's access too.
        return self._kgn.engine

    def open(self, configuration, create=False):
        return VALID_STORE  # the kgn store is open already; oxrdflib's open would make another

    def close(self, commit_pending_transaction: bool = False) -> None:
        pass  # the kgn store's owner closes it; oxrdflib's close would drop the engine handle

    def addN(self, quads):
        # oxrdflib converts each term through a chain of isinstance tests (and an equality test
        # against the default graph's name); kgn's converter is several times faster on bulk loads.
        default = DATASET_DEFAULT_GRAPH_ID
        self._inner.extend([
            ox.Quad(to_kgn_ox(s), to_kgn_ox(p), to_kgn_ox(o),
                    ox.DefaultGraph() if (g := getattr(c, "identifier", c)) == default or g is None
                    else to_kgn_ox(g))
            for s, p, o, c in quads])

    def triples(self, triple_pattern, context=None):
        # oxrdflib yields one row per quad, so a triple in two graphs came twice from the union
        # (rdflib's stores yield it once, with all its graphs): dedupe when no graph is given.
        try:
            found = self._inner.quads_for_pattern(*to_ox_quad_pattern(triple_pattern, context))
        except (TypeError, ValueError):  # e.g. a literal subject: no match, as in rdflib
            return iter(())
        return self._in_graph(found) if context is not None else self._union(found)

    def _in_graph(self, found):
        term, graphs = self._memo.reader(), _Graphs(self)
        for q in found:
            yield (term(q.subject), term(q.predicate), term(q.object)), iter((graphs[q.graph_name],))

    def _union(self, found):
        # The hot loop of full iterations: the memo's reader inlined (about 20% faster).
        self._memo.reader()  # empties a full memo before this read, never during it
        iris, others, named = self._memo.iris, self._memo.others, ox.NamedNode
        graphs, seen, graphs_of = _Graphs(self), set(), self._graphs_of
        for q in found:
            s, p, o = q.subject, q.predicate, q.object
            if type(s) is named:
                s = iris.get(v := s.value) or iris.setdefault(v, URIRef(v))  # IRIs are never ""
            elif (s := others.get(k := s)) is None:
                s = others[k] = from_ox(k)
            p = iris.get(v := p.value) or iris.setdefault(v, URIRef(v))
            if type(o) is named:
                o = iris.get(v := o.value) or iris.setdefault(v, URIRef(v))
            elif (o := others.get(k := o)) is None:
                o = others[k] = from_ox(k)
            key = (id(s), id(p), id(o))  # one object per distinct term within a read
            if key in seen:
                continue
            seen.add(key)
            yield (s, p, o), graphs_of(q, graphs)

    def _graphs_of(self, t, graphs):
        # Looked up only if the caller iterates it (quads() does, triples() does not).
        for q in self._kgn.engine.quads_for_pattern(t.subject, t.predicate, t.object, None):
            yield graphs[q.graph_name]

    def __len__(self, context=None) -> int:
        # oxrdflib counts DISTINCT triples even inside one graph, where they are distinct already.
        # The union count is cached per store generation: rdflib code calls len() in loops.
        if context is not None:
            graph = to_ox(context)
            res = self._inner.query("SELECT (COUNT(*) AS ?c) { ?s ?p ?o }", default_graph=graph)
            return int(next(iter(res))[0].value)
        gen = self._kgn.generation
        if getattr(self, "_len_cache", (None,))[0] != gen:
            res = self._inner.query(
                "SELECT (COUNT(*) AS ?c) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                use_default_graph_as_union=True)
            self._len_cache = (gen, int(next(iter(res))[0].value))
        return self._len_cache[1]

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):
        # kgn's own, not oxrdflib's: (1) a query naming its dataset (FROM / FROM NAMED) gets that
        # dataset, where oxrdflib's union option overrode it; (2) answers are read eagerly, in kgn's
        # term mapping, so engine errors surface here; (3) whatever Oxigraph refuses (rdflib custom
        # functions, rdflib's syntax extensions, initBindings of variables a query does not project)
        # raises NotImplementedError, rdflib's signal to evaluate the query itself over this store.
        # So do queries while rdflib custom evaluation hooks are registered: only rdflib runs them.
        if not isinstance(query, str) or kwargs:
            raise NotImplementedError("kgn's view runs query text only")
        if CUSTOM_EVALS:
            raise NotImplementedError("rdflib custom evaluation hooks are registered")
        options: dict[str, Any] = {}
        if not declares_dataset(query):
            if queryGraph == "__UNION__":
                options["use_default_graph_as_union"] = True
            elif isinstance(queryGraph, (URIRef, BNode)):
                options["default_graph"] = to_ox(queryGraph)
        try:
            result = self._inner.query(
                query, prefixes={k: str(v) for k, v in dict(self._namespace_for_prefix, **initNs).items()},
                substitutions={ox.Variable(str(k)): to_ox(v) for k, v in (initBindings or {}).items()},
                **options)
            return _rdflib_result(result, self._memo.reader())
        except (SyntaxError, RuntimeError, ValueError, TypeError) as exc:
            raise NotImplementedError(f"Oxigraph cannot run this query: {exc}") from exc

    def update(self, update, initNs, initBindings, queryGraph, **kwargs):
        # As for queries: what Oxigraph refuses, rdflib runs itself (one atomic Oxigraph update
        # either applies fully or not at all, so nothing is half-done before the fallback). OSError
        # covers LOAD of what Oxigraph cannot fetch (file: IRIs), which rdflib's LOAD reads.
        try:
            return super().update(update, initNs, initBindings, queryGraph, **kwargs)
        except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
            raise NotImplementedError(f"Oxigraph cannot run this update: {exc}") from exc

    def remove_graph(self, graph):
        if getattr(graph, "identifier", graph) == DATASET_DEFAULT_GRAPH_ID:
            self._inner.clear_graph(ox.DefaultGraph())  # rdflib empties the default graph
            return
        super().remove_graph(graph)


class OxigraphView(_CountsWrites, _OxigraphFixes):
    """kgn's rdflib view of an embedded or memory store (see ``_OxigraphFixes``)."""

    def __init__(self, kgn_store: OxigraphStore, configuration=None, identifier=None):
        self._kgn = kgn_store
        self._memo = _TermMemo()
        super().__init__(configuration, identifier)
        self._namespace_for_prefix, self._prefix_for_namespace = _shared_bindings(kgn_store)


def _rdflib_result(result, term) -> Result:
    if isinstance(result, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(result)
    elif isinstance(result, ox.QuerySolutions):
        out = Result("SELECT")
        names = [v.value for v in result.variables]
        out.vars = [Variable(n) for n in names]
        out.bindings = [{v: term(t) for v, t in zip(out.vars, row) if t is not None} for row in result]
    else:
        out = Result("CONSTRUCT")
        out.graph = Graph()
        out.graph.addN((term(t.subject), term(t.predicate), term(t.object), out.graph) for t in result)
    return out


class _SparqlFixes(SPARQLUpdateStore):
    """rdflib's ``SPARQLUpdateStore``, corrected for kgn's endpoint contract (the endpoint's
    default graph is the union of its graphs; the Dataset's default graph is the real one)."""

    def addN(self, quads):
        # rdflib writes the Dataset's default graph as a named graph called urn:x-rdflib:default.
        quads = list(quads)
        default = [(s, p, o) for s, p, o, c in quads if not self._is_contextual(c)]
        if default:
            nts = self.node_to_sparql
            body = " ".join(f"{nts(s)} {nts(p)} {nts(o)} ." for s, p, o in default)
            self._transaction().append(f"INSERT DATA {{ {body} }}")
        super().addN([q for q in quads if self._is_contextual(q[3])])

    def remove(self, spo, context=None):
        if self._is_contextual(context):
            return super().remove(spo, context)
        # rdflib's version deletes from the endpoint's default graph only; over a union default
        # graph the triple would stay in its named graphs. Delete it from every graph.
        nts = self.node_to_sparql
        triple = " ".join(nts(Variable(v) if t is None else t) for t, v in zip(spo, "SPO")) + " ."
        self._transaction().append(
            f"DELETE {{ {triple} }} WHERE {{ {triple} }} ;\n"
            f"DELETE {{ GRAPH ?kgn_g {{ {triple} }} }} WHERE {{ GRAPH ?kgn_g {{ {triple} }} }}")
        if self.autocommit:
            self.commit()
        return None


class RemoteView(_CountsWrites, _SparqlFixes):
    """kgn's rdflib view of a remote endpoint: rdflib's SPARQL store on the store's URLs.

    Blank nodes cannot be named in SPARQL updates or patterns sent to an endpoint, so this view
    refuses them, as rdflib's SPARQL store does.
    """

    def __init__(self, kgn_store: RemoteStore):
        self._kgn = kgn_store
        super().__init__(query_endpoint=kgn_store.query_url, update_endpoint=kgn_store.update_url,
                         method="POST", autocommit=True)
        self.nsBindings = _shared_bindings(kgn_store)[0]

    # An endpoint keeps kgn's change stamp and settings in the meta graph (kg.store.base): they
    # are bookkeeping, not data, so the union's count and iteration leave them out.
    def __len__(self, context=None) -> int:
        if self._is_contextual(context):
            return super().__len__(context)
        q = (f"SELECT (COUNT(*) AS ?c) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o "
             f"MINUS {{ GRAPH <{META_GRAPH}> {{ ?s ?p ?o }} }} }} }}")
        return int(next(iter(self._query(q))).c)

    def triples(self, spo, context=None):
        for triple, ctx in super().triples(spo, context):
            if not self._is_contextual(context) and str(triple[0]).startswith(_BOOKKEEPING):
                continue
            yield triple, ctx


def view_for(kgn_store: Store):
    """The rdflib ``Store`` plugin object over ``kgn_store``."""
    if isinstance(kgn_store, OxigraphStore):
        return OxigraphView(kgn_store)
    if isinstance(kgn_store, RemoteStore):
        return RemoteView(kgn_store)
    raise TypeError(f"no rdflib view for store backend {type(kgn_store).__name__}")


def dataset_for(kgn_store: Store) -> Dataset:
    """A live ``rdflib.Dataset`` over ``kgn_store``, the union of its graphs as default graph."""
    return Dataset(store=view_for(kgn_store), default_union=True)


__all__ = ["OxigraphView", "RemoteView", "dataset_for", "view_for"]
