"""The rdflib view behaves like rdflib's own Dataset, over the same store kgn writes to."""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from kg.store import MemoryStore, OxigraphStore, RemoteStore
from kg.store._sparql import declares_dataset
from kg.store.rdflib_view import dataset_for

EX = Namespace("http://example.com/")


@pytest.fixture(params=["oxigraph", "memory"])
def store(request, tmp_path):
    s = OxigraphStore(tmp_path / "store") if request.param == "oxigraph" else MemoryStore()
    yield s
    s.close()


@pytest.fixture
def ds(store):
    return dataset_for(store)


def test_blank_node_triples_can_be_removed(ds):
    b = BNode()
    ds.add((b, EX.p, Literal("x")))
    ds.remove((b, None, None))
    assert len(ds) == 0 and list(ds.triples((None, None, None))) == []


def test_quads_cover_the_default_and_named_graphs(ds):
    ds.add((EX.a, EX.p, EX.b))
    ds.graph(EX.g1).add((EX.c, EX.p, EX.d))
    quads = {(s, p, o, g.identifier if isinstance(g, Graph) else g) for s, p, o, g in ds.quads()}
    assert quads == {(EX.a, EX.p, EX.b, DATASET_DEFAULT_GRAPH_ID), (EX.c, EX.p, EX.d, EX.g1)}


def test_a_query_naming_its_dataset_gets_that_dataset(ds):
    ds.add((EX.a, EX.p, EX.b))
    ds.graph(EX.g1).add((EX.c, EX.p, EX.d))
    from_g1 = ds.query(f"SELECT ?s FROM <{EX.g1}> WHERE {{ ?s ?p ?o }}")
    assert [row.s for row in from_g1] == [EX.c]
    union = ds.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert [row.s for row in union] == [EX.a, EX.c]  # no FROM: the union, kgn's contract
    named = ds.query(f"SELECT ?g ?s FROM NAMED <{EX.g1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert [(row.g, row.s) for row in named] == [(EX.g1, EX.c)]


def test_a_literal_subject_matches_nothing(ds):
    ds.add((EX.a, EX.p, Literal("x")))
    assert list(ds.triples((Literal("x"), None, None))) == []


def test_xsd_string_literals(ds):
    # Oxigraph (RDF 1.1) holds "x" and "x"^^xsd:string as one term, rdflib 7 as two: the view
    # returns rdflib's plain form (what its parsers produce), and the typed form is still found.
    typed = Literal("x", datatype=XSD.string)
    ds.add((EX.a, EX.p, typed))
    assert (EX.a, EX.p, typed) in ds and (EX.a, EX.p, Literal("x")) in ds
    [(_, _, back)] = list(ds.triples((EX.a, EX.p, None)))
    assert back.eq(typed) and back == Literal("x")
    ds.add((EX.b, EX.p, Literal("7", datatype=XSD.integer)))
    assert ds.value(EX.b, EX.p) == Literal("7", datatype=XSD.integer)  # other datatypes stay


def test_len_counts_distinct_triples_by_a_count_not_a_walk(ds, store, monkeypatch):
    ds.graph(EX.g1).add((EX.a, EX.p, EX.b))
    ds.graph(EX.g2).add((EX.a, EX.p, EX.b))  # one triple in two graphs
    ds.add((EX.c, EX.p, EX.d))
    monkeypatch.setattr(type(ds.store), "triples", lambda *a, **k: pytest.fail("len walked the triples"))
    assert len(ds) == 2
    assert len(ds.graph(EX.g1)) == 1
    store.add([(EX.e, EX.p, EX.f)], graph=EX.g1)  # a kgn write: the cached count must not go stale
    assert len(ds) == 3 and len(ds.graph(EX.g1)) == 2


def test_empty_named_graphs_are_kept(ds, store):
    ds.graph(EX.empty)
    assert EX.empty in {g.identifier for g in ds.graphs()}
    assert EX.empty in store.graphs()


def test_remove_graph_of_the_default_graph_empties_it(ds):
    ds.add((EX.a, EX.p, EX.b))
    ds.graph(EX.g1).add((EX.c, EX.p, EX.d))
    ds.remove_graph(DATASET_DEFAULT_GRAPH_ID)
    assert set(ds.triples((None, None, None))) == {(EX.c, EX.p, EX.d)}


def test_prefix_bindings_belong_to_the_store_not_one_view(store):
    first, second = dataset_for(store), dataset_for(store)
    first.bind("kgnex", EX)
    assert second.namespace_manager.store.namespace("kgnex") == URIRef(EX)
    assert ("kgnex", URIRef(EX)) in set(second.namespaces())


def test_init_ns_adds_to_the_bound_prefixes(ds):
    ds.add((EX.a, RDF.type, EX.Thing))
    rows = ds.query("SELECT ?s WHERE { ?s rdf:type ex2:Thing }", initNs={"ex2": EX})
    assert [row.s for row in rows] == [EX.a]


def test_init_bindings_and_rdflib_only_queries_still_answer(ds):
    ds.add((EX.a, EX.p, EX.b))
    ds.add((EX.c, EX.p, EX.d))
    rows = ds.query("SELECT ?o WHERE { ?s ?p ?o }", initBindings={"s": EX.c})
    assert [row.o for row in rows] == [EX.d]
    # ?s is not projected: Oxigraph refuses the substitution, rdflib's evaluator answers instead.
    rows = ds.query("SELECT ?o WHERE { ?s ?p ?o }", initBindings={"s": EX.a})
    assert [row.o for row in rows] == [EX.b]


def test_writes_through_either_side_are_one_store_and_move_the_change_counter(ds, store):
    store.add([(EX.a, EX.p, EX.b)], graph=EX.g1)
    assert (EX.a, EX.p, EX.b) in ds
    steps = [
        lambda: ds.add((EX.c, EX.p, EX.d)),
        lambda: ds.addN([(EX.e, EX.p, EX.f, ds.graph(EX.g2))]),
        lambda: ds.remove((EX.c, None, None)),
        lambda: ds.update(f"INSERT DATA {{ GRAPH <{EX.g3}> {{ <{EX.x}> <{EX.p}> <{EX.y}> }} }}"),
        lambda: ds.remove_graph(EX.g3),
    ]
    for step in steps:
        before = store.generation
        step()
        assert store.generation > before
    assert set(store.triples()) == {(EX.a, EX.p, EX.b), (EX.e, EX.p, EX.f)}


def test_remote_view_reads_writes_and_counts(oxigraph_server):
    store = RemoteStore(oxigraph_server + "/query")
    store.update("DROP SILENT ALL")
    ds = dataset_for(store)
    store.add([(EX.a, EX.p, EX.b)], graph=EX.g1)
    before = store.generation
    ds.graph(EX.g2).add((EX.c, EX.p, Literal("c")))
    ds.addN([(EX.d, EX.p, EX.e, ds.default_graph)])
    assert store.generation > before
    assert set(store.triples(graph=EX.g2)) == {(EX.c, EX.p, Literal("c"))}
    assert set(store.triples(graph=None)) == {(EX.d, EX.p, EX.e)}  # the real default graph
    assert len(ds) == 3
    ds.remove((EX.a, None, None))  # from every graph, not only the endpoint's default graph
    assert (EX.a, EX.p, EX.b) not in set(store.triples())
    store.close()


@pytest.mark.parametrize("query, names_dataset", [
    ("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }", True),
    ("select * from named <http://x/g> where { graph ?g { ?s ?p ?o } }", True),
    ("CONSTRUCT { ?s ?p ?o } FROM <http://x/g> WHERE { ?s ?p ?o }", True),
    ('SELECT * WHERE { ?s ?p "FROM <http://x/g>" } # FROM <http://x/g>', False),
    ("SELECT ?from WHERE { ?from ex:from <http://x/FROM> }", False),
])
def test_dataset_clauses_are_told_from_the_word_in_strings_iris_and_names(query, names_dataset):
    assert declares_dataset(query) is names_dataset
