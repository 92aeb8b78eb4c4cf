"""A document's RDF follows kg.vocab's contract: labels, types, relations, PROV-O provenance."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.extract import content_hash
from kg.vocab import KGN, Vocab

V = Vocab()


def test_rdf_shape(extractor):
    text = "Alan Turing, a professor at Harvard, was born in London."
    result = extractor.extract(text, doc_id="d1")
    g = set(result.to_triples(V))
    turing, london = V.entity("Alan Turing"), V.entity("London")
    born = V.relation("born in")
    assert (turing, RDFS.label, Literal("Alan Turing")) in g
    assert (turing, RDF.type, V.type("Person")) in g  # NER label PERSON -> class Person
    assert (turing, born, london) in g
    assert (born, RDFS.label, Literal("born in")) in g
    assert (turing, RDF.type, V.type("professor")) in g  # "a professor": typing
    assert (V.type("professor"), RDF.type, RDFS.Class) in g
    doc = V.document("d1")
    assert (doc, KGN.contentHash, Literal(content_hash(text))) in g
    assert (V.doc_graph("d1"), PROV.wasDerivedFrom, doc) in g
    agent = V.agent(result.extractor, result.version)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g
    stmts = {s for s, p, o in g if p == RDF.predicate and o == born}
    assert len(stmts) == 1
    (stmt,) = stmts
    assert (stmt, RDF.subject, turing) in g and (stmt, RDF.object, london) in g
    assert (stmt, PROV.wasDerivedFrom, doc) in g and (stmt, PROV.wasAttributedTo, agent) in g
    start = next(int(o) for s, p, o in g if s == stmt and p == KGN.start)
    end = next(int(o) for s, p, o in g if s == stmt and p == KGN.end)
    assert text[start:end].endswith("born in London")
    assert any(s == stmt and p == KGN.confidence for s, p, o in g)


def test_subclass_goes_between_classes(extractor):
    g = set(extractor.extract("Dogs are mammals.", doc_id="d2").to_triples(V))
    assert (V.type("dog"), RDFS.subClassOf, V.type("mammal")) in g


def test_same_text_gives_same_graph(extractor):
    a = extractor.extract("Bob lives in Berlin.", doc_id="x").to_triples(V)
    b = extractor.extract("Bob lives in Berlin.", doc_id="x").to_triples(V)
    assert set(a) == set(b)


def test_aliases_become_alt_labels(extractor):
    g = set(extractor.extract("The convolutional neural network (CNN) is popular.", "d3").to_triples(V))
    assert (V.entity("convolutional neural network"), SKOS.altLabel, Literal("CNN")) in g
    assert not any(s == V.entity("CNN") for s, _, _ in g)
    assert isinstance(V.entity("CNN"), URIRef)
