"""One contract, three backends: embedded Oxigraph on disk, in memory, and a real remote server."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.errors import QuerySyntaxError, RdfSyntaxError, UnknownNameError
from kg.store import MemoryStore, OxigraphStore, RemoteStore, open_store
from kg.store.rdflib_view import dataset_for

EX = "http://example.org/"
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")
A, B, C = URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")
KNOWS, NAME = URIRef(EX + "knows"), URIRef(EX + "name")


@pytest.fixture(params=["oxigraph", "memory", "remote"])
def store(request, tmp_path):
    if request.param == "oxigraph":
        s = OxigraphStore(tmp_path / "store")
    elif request.param == "memory":
        s = MemoryStore()
    else:
        s = RemoteStore(request.getfixturevalue("oxigraph_server") + "/query")
        s.update("DROP SILENT ALL")  # the server lives for the session; each test starts empty
    yield s
    s.close()


def test_add_and_read_back_terms(store):
    triples = [
        (A, NAME, Literal("Ünïcode \"quoted\" \n newline")),
        (A, NAME, Literal("bonjour", lang="fr")),
        (A, URIRef(EX + "age"), Literal("42", datatype=XSD.integer)),
        (A, KNOWS, B),
    ]
    store.add(triples, graph=G1)
    got = set(store.triples(s=A))
    assert got == set(triples)
    assert len(store) == 4
    assert store.graphs() == [G1]


def test_blank_nodes_round_trip_as_blank_nodes(store):
    store.add([(A, KNOWS, BNode("x1"))], graph=G1)
    [(s, p, o)] = list(store.triples(p=KNOWS))
    assert (s, p) == (A, KNOWS) and isinstance(o, BNode)


def test_queries_see_the_union_of_named_graphs(store):
    store.add([(A, KNOWS, B)], graph=G1)
    store.add([(B, KNOWS, C)], graph=G2)
    res = store.query(f"SELECT ?x ?z WHERE {{ ?x <{KNOWS}> ?y . ?y <{KNOWS}> ?z }}")
    assert res.form == "SELECT" and res.vars == ["x", "z"]
    assert res.rows == [(A, C)]
    assert store.query(f"ASK {{ <{A}> <{KNOWS}> <{B}> }}").boolean is True
    assert store.query(f"ASK {{ <{A}> <{KNOWS}> <{C}> }}").boolean is False
    built = store.query(f"CONSTRUCT {{ ?s <{EX}rev> ?o }} WHERE {{ ?o <{KNOWS}> ?s }}")
    assert set(built.triples) == {(B, URIRef(EX + "rev"), A), (C, URIRef(EX + "rev"), B)}


def test_replace_graph_is_idempotent_and_replaces(store):
    first = [(A, KNOWS, B), (A, NAME, Literal("a"))]
    store.replace_graph(G1, first)
    store.replace_graph(G1, first)
    assert set(store.triples()) == set(first) and len(store) == 2
    store.add([(C, KNOWS, A)], graph=G2)
    store.replace_graph(G1, [(A, KNOWS, C)])
    assert set(store.triples(graph=G1)) == {(A, KNOWS, C)}
    assert set(store.triples(graph=G2)) == {(C, KNOWS, A)}


def test_remove_graph(store):
    store.add([(A, KNOWS, B)], graph=G1)
    store.add([(B, KNOWS, C)], graph=G2)
    store.remove_graph(G1)
    assert set(store.triples()) == {(B, KNOWS, C)}


def test_generation_moves_on_every_write(store):
    g0 = store.generation
    store.add([(A, KNOWS, B)], graph=G1)
    g1 = store.generation
    store.replace_graph(G1, [(A, KNOWS, C)])
    assert g0 < g1 < store.generation


def test_bindings_bind_terms_not_text(store):
    store.add([(A, NAME, Literal("x")), (B, NAME, Literal("y"))], graph=G1)
    q = f"SELECT ?who WHERE {{ ?who <{NAME}> ?n }}"
    assert store.query(q, {"n": Literal("y")}).rows == [(B,)]
    assert store.query(q, {"who": A}).rows == [(A,)]


def test_query_syntax_error_is_clear(store):
    with pytest.raises(QuerySyntaxError, match="invalid SPARQL"):
        store.query("SELEC ?x WHERE { ?x ?y ?z }")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_dump_and_load_round_trip(store, tmp_path, fmt):
    data = [(A, KNOWS, B), (A, NAME, Literal("Alice \"A\"", lang="en")),
            (B, URIRef(EX + "age"), Literal("7", datatype=XSD.integer))]
    store.add(data[:2], graph=G1)
    store.add(data[2:], graph=G2)
    out = tmp_path / f"dump.{fmt}"
    store.dump(out, fmt)
    again = MemoryStore()
    again.load(out, graph=URIRef(EX + "loaded"))
    assert set(again.triples()) == set(data)
    if fmt in ("nq", "trig", "jsonld"):
        assert set(again.graphs()) == {G1, G2}  # quad formats keep graph names


def test_dump_to_a_binary_stream(store):
    store.add([(A, KNOWS, B)], graph=G1)
    buf = io.BytesIO()
    store.dump(buf, "nt")
    assert buf.getvalue().decode().strip() == f"<{A}> <{KNOWS}> <{B}> ."


def test_load_turtle_into_its_graph(store, tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text(f"@prefix ex: <{EX}> .\nex:a ex:knows ex:b, ex:c .\n", encoding="utf-8")
    store.load(f, graph=G1)
    assert set(store.triples(graph=G1)) == {(A, KNOWS, B), (A, KNOWS, C)}


def test_malformed_rdf_names_file_and_line_and_loads_nothing(store, tmp_path):
    store.add([(A, KNOWS, B)], graph=G1)
    bad = tmp_path / "bad.ttl"
    lines = [f"<{EX}s{i}> <{EX}p> <{EX}o{i}> ." for i in range(50)]
    lines.insert(30, f"<{EX}broken> <{EX}p> \"unterminated .")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RdfSyntaxError) as err:
        store.load(bad, graph=G2)
    assert "bad.ttl" in str(err.value) and "line 31" in str(err.value)
    assert set(store.triples()) == {(A, KNOWS, B)}  # nothing half-loaded


def test_stats(store):
    store.add([(A, KNOWS, B), (A, NAME, Literal("a"))], graph=G1)
    store.add([(A, KNOWS, B)], graph=G2)
    assert store.stats() == {"quads": 3, "triples": 2, "graphs": 2, "subjects": 1, "predicates": 2}


def test_rdflib_view_reads_writes_and_queries(store):
    store.add([(A, NAME, Literal("a"))], graph=G1)
    ds = dataset_for(store)
    assert set(ds.triples((None, NAME, None))) == {(A, NAME, Literal("a"))}
    ds.graph(G2).add((B, NAME, Literal("b")))
    assert set(store.triples(graph=G2)) == {(B, NAME, Literal("b"))}
    rows = list(ds.query(f"SELECT ?s WHERE {{ ?s <{NAME}> ?n }} ORDER BY ?s"))
    assert [r[0] for r in rows] == [A, B]
    ds.remove((B, None, None))
    assert set(store.triples()) == {(A, NAME, Literal("a"))}


# Names with quotes, braces, newlines, triple quotes and unicode must never change a query's shape.
_TOKENS = list("ab \"'{}\\\n\r\t#<>?$.;()") + ['"""', "'''", "é", "日本", "\U0001F600", "} ; DROP ALL ; #"]
hostile_text = st.one_of(
    st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12).map("".join),
    st.text(min_size=1, max_size=15).filter(lambda t: "\x00" not in t),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text)
def test_user_text_never_changes_query_shape(store, name):
    store.update("DROP SILENT ALL")
    store.add([(A, RDFS.label, Literal(name)), (B, RDFS.label, Literal(name + "~"))], graph=G1)
    q = f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ ?e <{RDFS.label}> ?label }} GROUP BY ?e"
    assert store.query(q, {"label": Literal(name)}).rows == [(A, Literal("1", datatype=XSD.integer))]
    assert store.query(f"ASK {{ ?e <{RDFS.label}> ?label }}", {"label": Literal(name + "!")}).boolean is False
    assert len(store) == 2  # and nothing was written or deleted


def test_open_store_picks_backend_from_spec(tmp_path):
    with open_store("memory") as s:
        assert isinstance(s, MemoryStore)
    with open_store(tmp_path / "s") as s:
        assert isinstance(s, OxigraphStore)
    assert isinstance(open_store("http://127.0.0.1:9/query"), RemoteStore)
    with pytest.raises(UnknownNameError, match="memory, oxigraph, remote"):
        open_store("x", backend="nope")


def test_loading_a_file_again_replaces_its_graph(store, tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text(f"@prefix ex: <{EX}> .\nex:a ex:knows ex:b .\n")
    store.load(f, graph=G1)
    store.load(f, graph=G1)
    assert len(store) == 1
    f.write_text(f"@prefix ex: <{EX}> .\nex:a ex:knows ex:c .\n")  # a new version of the file
    store.load(f, graph=G1)
    assert set(store.triples()) == {(A, KNOWS, C)}


def test_loading_quads_replaces_the_graphs_they_fill(store, tmp_path):
    store.add([(A, KNOWS, B)], graph=G1)
    store.add([(B, KNOWS, C)], graph=G2)
    f = tmp_path / "x.nq"
    f.write_text(f"<{C}> <{KNOWS}> <{A}> <{G1}> .\n")
    store.load(f)
    assert set(store.triples(graph=G1)) == {(C, KNOWS, A)}
    assert set(store.triples(graph=G2)) == {(B, KNOWS, C)}  # untouched


def test_select_values_gives_plain_strings(store):
    store.add([(A, NAME, Literal("x", lang="en")), (A, KNOWS, B)], graph=G1)
    rows = store.select_values(f"SELECT ?s ?o ?missing WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} ORDER BY ?o")
    assert sorted(rows, key=str) == sorted([(str(A), "x", None), (str(A), str(B), None)], key=str)
