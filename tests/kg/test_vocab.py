from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.vocab import KGN, InvalidBaseError, Vocab, canonical, is_meta

v = Vocab()


def test_entity_iris_are_deterministic_and_readable():
    assert v.entity("Barack Obama") == URIRef("https://kgn.example/entity/Barack_Obama")
    assert v.entity("  Barack   Obama ") == v.entity("Barack Obama")
    assert v.relation("Located In") == URIRef("https://kgn.example/rel/located_in")
    assert v.type("Person") == URIRef("https://kgn.example/type/Person")


@pytest.mark.parametrize("a,b", [("a_b", "a b"), ("C++", "C"), ("Paris (city)", "Paris_(city)"), ("x/y", "x y")])
def test_distinct_names_never_collide(a, b):
    assert v.entity(a) != v.entity(b)


def test_homonyms_are_told_apart_by_a_qualifier():
    assert v.entity("Paris", "Person") != v.entity("Paris")
    assert v.name_of(v.entity("Paris", "Person")) == "Paris"


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.text(min_size=1, max_size=30).filter(lambda t: canonical(t)))
def test_names_round_trip_through_iris(name):
    iri = v.entity(name)
    assert v.name_of(iri) == canonical(name)
    assert " " not in iri and "\n" not in iri


def test_base_namespace_is_configurable():
    assert Vocab("http://my.org/kg").entity("A") == URIRef("http://my.org/kg/entity/A")
    for bad in ("not an iri", "http://x> } ; DROP ALL ; #", "", "http://a b/"):
        with pytest.raises(InvalidBaseError, match="absolute IRI"):
            Vocab(bad)


def test_entity_triples_label_aliases_and_types():
    e = v.entity("Convolutional neural network")
    triples = set(v.entity_triples(e, "Convolutional neural network", aliases=["CNN"], types=["Concept"]))
    assert (e, RDFS.label, Literal("Convolutional neural network")) in triples
    assert (e, SKOS.altLabel, Literal("CNN")) in triples
    assert (e, RDF.type, v.type("Concept")) in triples
    assert (v.type("Concept"), RDF.type, RDFS.Class) in triples


def test_provenance_is_a_reified_statement_with_prov_o():
    s, p, o = v.entity("A"), v.relation("knows"), v.entity("B")
    prov = v.provenance_triples("doc1", (s, p, o), extractor="rules", version="1",
                                sentence="A knows B.", start=0, end=10, confidence=0.9)
    stmt = prov[0][0]
    assert set(prov) >= {(stmt, RDF.type, RDF.Statement), (stmt, RDF.subject, s), (stmt, RDF.predicate, p),
                         (stmt, RDF.object, o), (stmt, PROV.wasDerivedFrom, v.document("doc1")),
                         (stmt, PROV.wasAttributedTo, v.agent("rules", "1")), (stmt, KGN.start, Literal(0)),
                         (stmt, KGN.end, Literal(10))}
    # the same extraction gives the same statement IRI: re-runs write identical graphs
    assert v.provenance_triples("doc1", (s, p, o), extractor="rules", version="1", start=0, end=10)[0][0] == stmt


def test_meta_predicates():
    assert is_meta(RDFS.label) and is_meta(PROV.wasDerivedFrom) and is_meta(KGN.confidence)
    assert not is_meta(v.relation("located in"))
