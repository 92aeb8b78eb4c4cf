from __future__ import annotations

from rdflib import URIRef

from kg.view import GraphView, build_graph, local_name
from kg.vocab import Vocab

v = Vocab()


def test_projection_nodes_and_keyed_edges(sample_store):
    g = GraphView(sample_store).graph
    hinton = str(v.entity("Geoffrey Hinton"))
    assert g.nodes[hinton]["label"] == "Geoffrey Hinton"
    assert g.nodes[hinton]["types"] == (str(v.type("Person")),)
    assert set(g.nodes[hinton]["aliases"]) == {"Hinton", "Geoff Hinton"}
    edges = g.get_edge_data(hinton, str(v.entity("University of Toronto")))
    assert list(edges) == [str(v.relation("worked at"))]
    assert edges[str(v.relation("worked at"))]["label"] == "worked at"
    # labels, types and provenance are attributes, never edges
    assert not any(str(k).startswith("http://www.w3.org/") for _, _, k in g.edges(keys=True))
    assert str(v.type("Person")) not in g


def test_view_is_cached_and_refreshed_on_writes(sample_store):
    view = GraphView(sample_store)
    g1 = view.graph
    assert view.graph is g1  # not rebuilt per call
    a, b = v.entity("Geoffrey Hinton"), v.entity("Mila")
    sample_store.add([(a, v.relation("founded"), b)], graph=URIRef("https://kgn.example/graph/x"))
    g2 = view.graph
    assert g2 is not g1 and g2.has_edge(str(a), str(b), key=str(v.relation("founded")))


def test_inferred_edges_are_flagged_and_can_be_left_out(sample_store):
    a, b = v.entity("Yann LeCun"), v.entity("Canada")
    sample_store.add([(a, v.relation("lived in"), b)], graph=v.inferred_graph)
    key = str(v.relation("lived in"))
    assert GraphView(sample_store).graph.edges[str(a), str(b), key]["inferred"] is True
    assert not GraphView(sample_store, include_inferred=False).graph.has_edge(str(a), str(b), key)


def test_lookup_is_case_insensitive_over_labels_and_aliases(sample_store):
    view = GraphView(sample_store)
    assert view.lookup("HINTON") == [str(v.entity("Geoffrey Hinton"))]
    assert view.lookup("nyu") == [str(v.entity("New York University"))]
    assert view.lookup("nobody") == []
    assert "Geoff Hinton" in view.names()


def test_build_graph_from_plain_edges():
    g = build_graph([("a", "r", "b"), ("a", "r", "b"), ("b", "s", "c")], labels={"a": "A"}, isolated=["z"])
    assert g.number_of_edges() == 2 and "z" in g
    assert g.nodes["a"]["label"] == "A" and g.nodes["b"]["label"] == "b"
    assert local_name("http://x.org/ns#located_in") == "located in"
