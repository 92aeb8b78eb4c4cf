"""A user schema maps extracted relations onto the user's properties."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from kg.extract import Extractor, ExtractorSettings
from kg.extract.schema import SchemaError, load_schema
from kg.vocab import Vocab

YAML = """
prefixes:
  wdt: http://www.wikidata.org/prop/direct/
properties:
  wdt:P108:
    label: employer
    patterns: [work at, work for]
    inverse: [employ]
"""

TTL = """
@prefix kgn: <https://kgn.example/ns#> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wdt:P108 rdfs:label "employer" ; kgn:pattern "work at", "work for" ; kgn:inversePattern "employ" .
"""


@pytest.mark.parametrize("suffix,text", [(".yaml", YAML), (".ttl", TTL)])
def test_schema_maps_patterns_and_inverse_patterns(nlp, tmp_path, suffix, text):
    path = tmp_path / f"schema{suffix}"
    path.write_text(text)
    ex = Extractor(ExtractorSettings(schema=str(path)), nlp=nlp)
    result = ex.extract("Ann worked at Acme. Initech employs Bob. Bob lives in Ohio.", "s")
    got = {(t.subject, t.predicate, t.object, t.property_iri) for t in result.triples}
    p108 = "http://www.wikidata.org/prop/direct/P108"
    assert got == {("Ann", "employer", "Acme", p108), ("Bob", "employer", "Initech", p108),
                   ("Bob", "live in", "Ohio", None)}
    v = Vocab()
    rdf = set(result.to_triples(v))
    assert (v.entity("Ann"), URIRef(p108), v.entity("Acme")) in rdf
    assert not any(s == v.relation("employer") for s, _, _ in rdf)


def test_bad_schema_is_one_error(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("properties: [1, 2]\n")
    with pytest.raises(SchemaError, match="s.yaml"):
        load_schema(str(path))
    with pytest.raises(SchemaError, match="no such file"):
        load_schema(str(tmp_path / "missing.yaml"))
