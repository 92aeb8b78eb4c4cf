"""The query layer over any :class:`~kg.store.Store`: entity look-up and description.

Every query that carries user text passes it as a binding, never pasted into the SPARQL.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.errors import KgnError
from kg.store._terms import iri, nt
from kg.store.base import Store
from kg.view import local_name
from kg.vocab import KGN, is_meta


class EntityNotFoundError(KgnError):
    """No entity has that label or alias."""


@dataclass(frozen=True)
class Neighbour:
    direction: str  # "out" (entity -> other) or "in" (other -> entity)
    relation: str
    relation_label: str
    other: str
    other_label: str


@dataclass(frozen=True)
class Provenance:
    statement: str
    triple: tuple[str, str, str]
    triple_labels: tuple[str, str, str]
    document: str | None
    source: str | None
    sentence: str | None
    start: int | None
    end: int | None
    confidence: float | None
    extractor: str | None


@dataclass
class EntityInfo:
    iri: str
    label: str
    aliases: list[str] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)  # (type IRI, label)
    neighbours: list[Neighbour] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)


_FIND = f"""
SELECT DISTINCT ?e WHERE {{
  {{ ?e <{RDFS.label}> ?l }} UNION {{ ?e <{SKOS.altLabel}> ?l }}
  FILTER(LCASE(STR(?l)) = LCASE(STR(?q)))
}} ORDER BY ?e
"""


def find_entities(store: Store, name: str) -> list[URIRef]:
    """Entities whose label or alias equals ``name``, ignoring case."""
    return [row[0] for row in store.query(_FIND, {"q": name.strip()}).rows
            if not is_meta(str(row[0]))]


def all_labels(store: Store) -> list[str]:
    res = store.query(f"SELECT DISTINCT ?l WHERE {{ {{ ?e <{RDFS.label}> ?l }} UNION "
                      f"{{ ?e <{SKOS.altLabel}> ?l }} }}")
    return [str(r[0]) for r in res.rows]


def suggest(name: str, choices, n: int = 5) -> list[str]:
    """Closest known names, for 'did you mean' messages."""
    lowered = {c.casefold(): c for c in choices}
    hits = difflib.get_close_matches(name.casefold(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def resolve_entity(store: Store, name: str) -> URIRef:
    """One entity IRI for a name or IRI; a clear error with suggestions when there is none."""
    if name.startswith(("http://", "https://", "urn:")):
        return iri(name)  # checked: user text that is not an IRI is an error, not a term
    hits = find_entities(store, name)
    if not hits:
        close = suggest(name, all_labels(store))
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise EntityNotFoundError(f"no entity named {name!r}{hint}")
    return hits[0]


def _labels(store: Store, terms) -> dict[str, str]:
    """Display names for terms: an IRI's rdfs:label (or local name), a literal's text."""
    out = {str(t): str(t) for t in terms if not isinstance(t, URIRef)}
    iris = sorted({str(i) for i in terms if isinstance(i, URIRef)})
    if not iris:
        return out
    values = " ".join(nt(URIRef(i)) for i in iris)  # engine-escaped terms, not user text
    res = store.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x <{RDFS.label}> ?l }}")
    found = {}
    for x, l in res.rows:
        found.setdefault(str(x), str(l))
    return {**out, **{i: found.get(i) or local_name(i) for i in iris}}


def describe_entity(store: Store, iri: URIRef, limit: int = 200) -> EntityInfo:
    """Label, aliases, types, neighbours and provenance of one entity."""
    b = {"e": URIRef(iri)}
    label_rows = store.query(f"SELECT ?l WHERE {{ ?e <{RDFS.label}> ?l }}", b).rows
    aliases = sorted({str(r[0]) for r in store.query(f"SELECT ?a WHERE {{ ?e <{SKOS.altLabel}> ?a }}", b).rows})
    types = sorted({str(r[0]) for r in store.query(f"SELECT ?t WHERE {{ ?e <{RDF.type}> ?t }}", b).rows})
    out_rows = [r for r in store.query(f"SELECT DISTINCT ?p ?o WHERE {{ ?e ?p ?o FILTER(isIRI(?o)) }} LIMIT {limit}", b).rows
                if not is_meta(str(r[0]))]
    in_rows = [r for r in store.query(f"SELECT DISTINCT ?p ?s WHERE {{ ?s ?p ?e }} LIMIT {limit}", b).rows
               if not is_meta(str(r[0]))]
    prov = store.query(f"""
        SELECT DISTINCT ?st ?s ?p ?o ?doc ?src ?sent ?start ?end ?conf ?agentLabel WHERE {{
          ?st a <{RDF.Statement}> ; <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o .
          FILTER(?s = ?e || ?o = ?e)
          OPTIONAL {{ ?st <{PROV.wasDerivedFrom}> ?doc OPTIONAL {{ ?doc <{KGN.source}> ?src }} }}
          OPTIONAL {{ ?st <{KGN.sentence}> ?sent }}
          OPTIONAL {{ ?st <{KGN.start}> ?start }}
          OPTIONAL {{ ?st <{KGN.end}> ?end }}
          OPTIONAL {{ ?st <{KGN.confidence}> ?conf }}
          OPTIONAL {{ ?st <{PROV.wasAttributedTo}> ?agent OPTIONAL {{ ?agent <{RDFS.label}> ?agentLabel }} }}
        }} ORDER BY ?doc ?start LIMIT {limit}""", b)
    names = _labels(store, [*map(URIRef, types), *(t for r in out_rows + in_rows for t in r),
                            *(t for r in prov.rows for t in r[1:4])])
    neighbours = [Neighbour("out", str(p), names[str(p)], str(o), names[str(o)]) for p, o in out_rows]
    neighbours += [Neighbour("in", str(p), names[str(p)], str(s), names[str(s)]) for p, s in in_rows]
    provenance = [
        Provenance(str(st), (str(s), str(p), str(o)), (names[str(s)], names[str(p)], names[str(o)]),
                   _s(doc), _s(src), _s(sent), _i(start), _i(end),
                   float(conf) if conf is not None else None, _s(agent))
        for st, s, p, o, doc, src, sent, start, end, conf, agent in prov.rows
    ]
    return EntityInfo(
        iri=str(iri),
        label=str(label_rows[0][0]) if label_rows else local_name(str(iri)),
        aliases=aliases,
        types=[(t, names[t]) for t in types],
        neighbours=neighbours,
        provenance=provenance,
    )


def _s(term):
    return None if term is None else str(term)


def _i(term):
    return None if term is None else int(term)
