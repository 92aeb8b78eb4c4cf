"""Amounts become typed literals, never entity nodes."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.extract.literals import literal_value
from kg.vocab import KGN, Vocab


@pytest.mark.parametrize("text,label,expected", [
    ("13 March 1963", "DATE", ("1963-03-13", XSD.date)),
    ("March 13, 1963", "DATE", ("1963-03-13", XSD.date)),
    ("March 1963", "DATE", ("1963-03", XSD.gYearMonth)),
    ("1998", "DATE", ("1998", XSD.gYear)),
    ("last week", "DATE", ("last week", None)),
    ("10:30 pm", "TIME", ("22:30:00", XSD.time)),
    ("25", "CARDINAL", ("25", XSD.integer)),
    ("2.8 million", "CARDINAL", ("2800000", XSD.decimal)),
    ("two", "CARDINAL", ("2", XSD.integer)),
    ("third", "ORDINAL", ("3", XSD.integer)),
    ("25%", "PERCENT", ("0.25", XSD.decimal)),
    ("$5 million", "MONEY", ("$5 million", None)),
    ("2000 metres", "QUANTITY", ("2000 metres", None)),
])
def test_literal_value(text, label, expected):
    value, datatype = literal_value(text, label)
    assert (value, URIRef(datatype) if datatype else None) == expected


def test_amounts_are_literal_objects_not_entities(extractor):
    result = extractor.extract("Acme was founded in 1998. Acme hired 25 engineers.", "lit")
    assert {e.name for e in result.entities} == {"Acme", "engineer"}
    (t,) = [t for t in result.triples if t.predicate == "founded in"]
    assert (t.object, t.object_value, t.object_datatype) == ("1998", "1998", str(XSD.gYear))
    v = Vocab()
    rdf = set(result.to_triples(v))
    assert (v.entity("Acme"), v.relation("founded in"), Literal("1998", datatype=XSD.gYear)) in rdf
    assert not any(o == v.entity("1998") for _, _, o in rdf)
    # a generic noun is a concept node
    assert (v.entity("engineer"), RDF.type, KGN.Concept) in rdf
    assert {lit.name for lit in result.literals} == {"1998", "25"}


def test_relation_surface_form_is_an_alt_label(extractor):
    from rdflib.namespace import SKOS

    v = Vocab()
    rdf = set(extractor.extract("Ann worked at Acme.", "a").to_triples(v))
    assert (v.relation("work at"), SKOS.altLabel, Literal("worked at")) in rdf
