"""Conversion between rdflib terms (kgn's public term type) and pyoxigraph terms (its engine)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import KgnError


class InvalidTermError(KgnError, ValueError):
    """A term (an IRI from user input, usually) the engine cannot represent."""

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


def to_ox(term: Any):
    """An rdflib term (or a plain str/int/float/bool, taken as a literal) as a pyoxigraph term."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return ox.NamedNode(str(term))
        except ValueError as exc:  # user text that is not an IRI never reaches the engine
            raise InvalidTermError(f"not a valid IRI: {str(term)!r} ({exc})") from None
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph)):
        return term
    if isinstance(term, (str, int, float, bool)):
        return to_ox(Literal(term))
    raise TypeError(f"not an RDF term: {term!r} ({type(term).__name__})")


def iri(text: str) -> URIRef:
    """``text`` as an IRI, checked by the engine first (so rdflib never warns about it)."""
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise InvalidTermError(f"not a valid IRI: {text!r} ({exc})") from None
    return URIRef(text)


def from_ox(term: Any):
    """A pyoxigraph term as an rdflib term; ``None`` (unbound) stays ``None``."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported pyoxigraph term: {term!r}")


def graph_to_ox(graph):
    """A graph name (URIRef, BNode or None for the default graph) as a pyoxigraph graph name."""
    return ox.DefaultGraph() if graph is None else to_ox(graph)


def nt(term: Any) -> str:
    """N-Triples syntax of a term, escaped by the engine: safe to embed in SPARQL text."""
    return str(to_ox(term))
