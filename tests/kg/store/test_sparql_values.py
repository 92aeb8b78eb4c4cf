"""The VALUES injection that carries bindings: right group, right escaping."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.errors import QuerySyntaxError
from kg.store import MemoryStore
from kg.store._sparql import inject_values


def test_values_go_into_the_where_group_not_the_construct_template():
    q = "CONSTRUCT { ?s <http://x/p> ?o } WHERE { ?s ?p ?o }"
    out = inject_values(q, {"s": URIRef("http://x/a")})
    assert out.index("VALUES") > out.index("WHERE")


def test_braces_and_keywords_inside_strings_iris_and_comments_are_ignored():
    q = 'SELECT ?x # { CONSTRUCT\nWHERE { ?x <http://x/{a}> "}{ SELECT" }'
    out = inject_values(q, {"x": URIRef("http://x/a")})
    assert out.startswith('SELECT ?x # { CONSTRUCT\nWHERE {\n  VALUES (?x) { (<http://x/a>) }')


def test_unprojected_variables_are_bound():
    s = MemoryStore()
    s.add([(URIRef("http://x/a"), URIRef("http://x/p"), Literal("v")),
           (URIRef("http://x/b"), URIRef("http://x/p"), Literal("w"))], graph=URIRef("http://x/g"))
    rows = s.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("w")}).rows
    assert rows == [(URIRef("http://x/b"),)]


def test_bad_variable_names_are_refused():
    with pytest.raises(QuerySyntaxError, match="variable name"):
        inject_values("SELECT * WHERE { ?s ?p ?o }", {"o) } DROP ALL #": Literal("x")})
