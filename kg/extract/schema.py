"""A user schema: extracted relations mapped onto the user's own properties (``--schema FILE``).

Each property lists the canonical relation labels (or surface forms) it stands for; a pattern
under ``inverse`` states the property with subject and object swapped. Relations no property
claims stay open kgn relations. Two formats:

YAML (``.yaml``/``.yml``)::

    prefixes:
      wdt: http://www.wikidata.org/prop/direct/
    properties:
      wdt:P108:
        label: employer
        patterns: [work at, work for, employed by]
        inverse: [employ]          # "Acme employs Bob" -> (Bob, employer, Acme)
      wdt:P19:
        label: place of birth
        patterns: [born in]

Turtle (any other suffix), with kgn's schema terms::

    @prefix kgn: <https://kgn.example/ns#> .
    @prefix wdt: <http://www.wikidata.org/prop/direct/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    wdt:P108 rdfs:label "employer" ; kgn:pattern "work at", "work for" ; kgn:inversePattern "employ" .

A mapped statement is written with the property's IRI as predicate (no kgn relation is minted for
it); its provenance is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgnError
from kg.vocab import KGN, relation_name


class SchemaError(KgnError):
    """A schema file that cannot be read."""


@dataclass
class Schema:
    """Pattern (canonical relation label) -> (property IRI, property label, inverse?)."""

    patterns: dict[str, tuple[str, str, bool]] = field(default_factory=dict)

    def add(self, iri: str, label: str, pattern: str, inverse: bool = False) -> None:
        self.patterns[relation_name(pattern)] = (iri, label, inverse)

    def apply(self, t) -> bool:
        """Map one :class:`~kg.extract.model.ExtractedTriple` in place; True if mapped."""
        hit = self.patterns.get(relation_name(t.predicate))
        if hit is None and t.surface:
            hit = self.patterns.get(relation_name(t.surface))
        if hit is None:
            return False
        iri, label, inverse = hit
        if inverse:
            if t.literal:
                return False  # a value cannot be a subject
            t.subject, t.object = t.object, t.subject
            t.subject_type, t.object_type = t.object_type, t.subject_type
        t.predicate, t.property_iri = label, iri
        return True


def load_schema(path: str) -> Schema:
    p = Path(path)
    if not p.is_file():
        raise SchemaError(f"schema {path}: no such file")
    if p.suffix.lower() in (".yaml", ".yml"):
        return _from_yaml(p)
    return _from_turtle(p)


def _from_yaml(p: Path) -> Schema:
    import yaml

    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SchemaError(f"schema {p}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise SchemaError(f"schema {p}: expected a mapping with a 'properties' mapping")
    prefixes = data.get("prefixes") or {}
    schema = Schema()
    for name, spec in data["properties"].items():
        iri = _expand(str(name), prefixes, p)
        spec = spec or {}
        if not isinstance(spec, dict):
            raise SchemaError(f"schema {p}: property {name}: expected a mapping")
        label = str(spec.get("label") or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        for pat in spec.get("patterns") or []:
            schema.add(iri, label, str(pat))
        for pat in spec.get("inverse") or []:
            schema.add(iri, label, str(pat), inverse=True)
    return schema


def _expand(name: str, prefixes: dict, p: Path) -> str:
    if "://" in name or name.startswith("urn:"):
        return name
    prefix, _, local = name.partition(":")
    if prefix in prefixes and local:
        return str(prefixes[prefix]) + local
    raise SchemaError(f"schema {p}: property {name!r} is neither an IRI nor prefix:name "
                      f"with a declared prefix")


def _from_turtle(p: Path) -> Schema:
    from rdflib import Graph
    from rdflib.namespace import RDFS

    g = Graph()
    try:
        g.parse(str(p), format="turtle")
    except Exception as exc:  # rdflib raises several parser error types
        raise SchemaError(f"schema {p}: not valid Turtle ({str(exc).splitlines()[0]})") from None
    schema = Schema()
    for prop in set(g.subjects(KGN.pattern, None)) | set(g.subjects(KGN.inversePattern, None)):
        label = str(g.value(prop, RDFS.label) or str(prop).rsplit("/", 1)[-1])
        for pat in g.objects(prop, KGN.pattern):
            schema.add(str(prop), label, str(pat))
        for pat in g.objects(prop, KGN.inversePattern):
            schema.add(str(prop), label, str(pat), inverse=True)
    return schema
