"""kgn's RDF vocabulary: how entities, types, relations and provenance are written.

Every other part of kgn writes the graph through this module, so the shape below is the contract.

IRIs (``B`` is the base namespace, default ``https://kgn.example/``, chosen when a store is created
and saved with it (:mod:`kg.workspace`); the ``.example`` top-level domain is reserved, so kgn's
IRIs never collide with real ones)::

    B entity/{name}          an entity; {name} is its canonical name, spaces as "_", and every
                             character outside [A-Za-z0-9-.~] percent-encoded ("_" too), so two
                             different names never share an IRI. A homonym of another type gets a
                             qualifier: B entity/Paris_(Person).
    B type/{Name}            an entity type, an ``rdfs:Class`` with an ``rdfs:label``
    B rel/{name}             a relation, an ``rdf:Property`` with an ``rdfs:label`` ("located in")
    B doc/{id}               a source document, a ``prov:Entity`` and ``kgn:Document``
    B graph/{id}             the named graph that holds everything read from document {id}
    B graph/inferred         predictions accepted by ``kgn infer``
    B graph/descriptions     labels, aliases and types of entities, types, relations and agents
                             from extracted documents, each once (see :mod:`kg.documents`); a
                             document graph keeps its own contribution as kgn:docLabel,
                             kgn:docAltLabel, kgn:docType and kgn:docVersion
    B stmt/{hash}            one extracted triple, reified (``rdf:Statement``), with provenance

Labels: ``rdfs:label`` holds the canonical name, ``skos:altLabel`` each alias; entity typing is
``rdf:type`` to a class. Provenance of a triple (PROV-O on its ``rdf:Statement``)::

    <stmt> a rdf:Statement ; rdf:subject <s> ; rdf:predicate <p> ; rdf:object <o> ;
        prov:wasDerivedFrom <doc> ;                 # the source document
        prov:wasAttributedTo <agent> ;              # extractor, a prov:SoftwareAgent
        kgn:sentence "..." ; kgn:start 10 ; kgn:end 42 ;   # character offsets in the document
        kgn:confidence 0.87 .
    <agent> a prov:SoftwareAgent ; rdfs:label "rules" ; kgn:version "1" .
    <doc> a prov:Entity, kgn:Document ; kgn:source "path or id" ; kgn:contentHash "sha256:..." .

Extracted documents (:mod:`kg.extract`) also write, in the document's named graph:

* **literal objects**: an amount (date, time, number, ordinal, percentage, money, quantity) is
  the literal object of its statement, never an entity node: ``<s> <rel> "1963-03-13"^^xsd:date``
  (xsd:date / gYearMonth / gYear / time / integer / decimal where the text reads unambiguously,
  a percentage as a fraction, money and quantities as plain strings with their unit); the
  reified statement's ``rdf:object`` is the same literal;
* **relation surface forms**: ``<rel> skos:altLabel "worked at"`` beside ``rdfs:label "work at"``
  (one relation per verb lemma + particle/preposition);
* **user schema properties**: a statement mapped by ``--schema`` uses the user's property IRI as
  predicate (no ``B rel/`` property is minted for it);
* **concepts**: an entity no named-entity label types (a generic noun phrase) is
  ``a kgn:Concept``; look-up suggestions leave concepts out;
* **type votes**: an entity's one ``rdf:type`` is the vote of its mentions; when they disagree,
  ``kgn:typeConfidence`` (xsd:decimal, the winner's share) and ``kgn:conflictingType`` (each
  losing class) are stated too;
* **link decisions** across documents::

      B link/{hash} a kgn:LinkDecision ; kgn:entity <e> ; kgn:mention "name" ;
          kgn:decision "linked"|"rejected" ; kgn:score 1.5 ; kgn:reason "label; same type" ;
          kgn:candidate <graph entity> ; kgn:unlinked <the IRI the entity would have alone> .

  Undo a link by replacing ``kgn:entity`` with ``kgn:unlinked`` in that document's graph.

Inferred facts (``kgn infer``, :mod:`kg.reason.writeback`) go to ``B graph/inferred`` with the same
reified shape, plus ``prov:wasGeneratedBy`` an inference activity, ``kgn:rule`` (each supporting
rule, as text), ``kgn:evidence`` (grounding paths) and, on the activity, ``kgn:minConfidence``.

kgn's own schema terms live in the fixed namespace ``https://kgn.example/ns#`` (prefix ``kgn:``).
Statement IRIs are hashes of (document, triple, offsets), so extracting the same document twice
writes the same graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.errors import KgnError

KGN = Namespace("https://kgn.example/ns#")
DEFAULT_BASE = "https://kgn.example/"

# Namespaces whose predicates describe the graph rather than relate entities; the NetworkX view
# and reasoning skip them.
META_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SKOS), str(PROV), str(KGN), str(XSD))

_SAFE = "-.~"
_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|\\^`]')

# The workspace's own records (base namespace, change stamp) live in one named graph under kgn's
# fixed schema namespace, so they never depend on the base they record.
META_GRAPH = KGN.meta
WORKSPACE = KGN.workspace


class InvalidBaseError(KgnError, ValueError):
    """A base namespace that is not an absolute IRI."""
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # names repeat across mentions, documents and triples
def canonical(name: str) -> str:
    """The canonical form of a name: Unicode NFC, whitespace collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


@lru_cache(maxsize=1 << 16)  # a batch job mints the same few thousand names over and over
def _encode(name: str) -> str:
    if not name:
        raise ValueError("an IRI cannot be minted from an empty name")
    parts = canonical(name).split(" ")
    # quote() never escapes "_", which kgn reserves for spaces.
    return "_".join(quote(p, safe=_SAFE).replace("_", "%5F") for p in parts)


def _decode(slug: str) -> str:
    return " ".join(unquote(p) for p in slug.split("_"))


def slug(name: str) -> str:
    """Reversible IRI segment for a name ("New York" -> "New_York", "a_b" -> "a%5Fb")."""
    return _encode(name)


def relation_name(label: str) -> str:
    """Relation labels are lower-case words: "Located In" -> "located in"."""
    return canonical(label).lower()


@dataclass(frozen=True)
class Vocab:
    """IRI minting and triple templates under one base namespace."""

    base: str = DEFAULT_BASE

    def __post_init__(self):
        if not _ABSOLUTE_IRI.match(self.base) or _BAD_IRI_CHARS.search(self.base):
            raise InvalidBaseError(f"base namespace must be an absolute IRI such as {DEFAULT_BASE!r}, "
                                   f"got {self.base!r}")
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    # -- IRIs ---------------------------------------------------------------------------------
    def entity(self, name: str, qualifier: str | None = None) -> URIRef:
        iri = self.base + "entity/" + _encode(name)
        if qualifier:
            iri += "_(" + _encode(qualifier) + ")"
        return URIRef(iri)

    def type(self, name: str) -> URIRef:
        return URIRef(self.base + "type/" + _encode(name))

    def relation(self, label: str) -> URIRef:
        return URIRef(self.base + "rel/" + _encode(relation_name(label)))

    def document(self, doc_id: str) -> URIRef:
        return URIRef(self.base + "doc/" + _encode(doc_id))

    def doc_graph(self, doc_id: str) -> URIRef:
        return URIRef(self.base + "graph/" + _encode(doc_id))

    def file_graph(self, path: str) -> URIRef:
        """Named graph for an imported RDF file (by its path as given)."""
        return URIRef(self.base + "graph/file/" + _encode(path))

    @property
    def descriptions_graph(self) -> URIRef:
        """The one graph of entity, type and relation descriptions (see :mod:`kg.documents`)."""
        return URIRef(self.base + "graph/descriptions")

    @property
    def inferred_graph(self) -> URIRef:
        return URIRef(self.base + "graph/inferred")

    def agent(self, extractor: str, version: str) -> URIRef:
        return URIRef(self.base + "agent/" + _encode(extractor) + "/" + _encode(version))

    def statement(self, doc_id: str, s, p, o, start: int | None = None, end: int | None = None) -> URIRef:
        key = "\x1f".join(map(str, (doc_id, s, p, o, start, end)))
        return URIRef(self.base + "stmt/" + hashlib.sha1(key.encode("utf-8")).hexdigest())

    def name_of(self, iri: str) -> str:
        """The name an entity/type/relation IRI was minted from (inverse of the methods above)."""
        tail = str(iri)[len(self.base):] if str(iri).startswith(self.base) else str(iri).rsplit("/", 1)[-1]
        tail = tail.split("/", 1)[1] if "/" in tail else tail
        tail = re.sub(r"_\([^()]*\)$", "", tail)
        return _decode(tail)

    # -- triple templates ---------------------------------------------------------------------
    def entity_triples(self, iri: URIRef, label: str, aliases=(), types=()) -> list[tuple]:
        out = [(iri, RDFS.label, Literal(canonical(label)))]
        out += [(iri, SKOS.altLabel, Literal(canonical(a))) for a in aliases if canonical(a) != canonical(label)]
        for t in types:
            t_iri = t if isinstance(t, URIRef) else self.type(t)
            out.append((iri, RDF.type, t_iri))
            if not isinstance(t, URIRef):
                out += self.type_triples(t_iri, t)
        return out

    def type_triples(self, iri: URIRef, label: str) -> list[tuple]:
        return [(iri, RDF.type, RDFS.Class), (iri, RDFS.label, Literal(canonical(label)))]

    def relation_triples(self, iri: URIRef, label: str) -> list[tuple]:
        return [(iri, RDF.type, RDF.Property), (iri, RDFS.label, Literal(relation_name(label)))]

    def document_triples(self, doc_id: str, source: str | None = None,
                         content_hash: str | None = None) -> list[tuple]:
        doc = self.document(doc_id)
        out = [(doc, RDF.type, PROV.Entity), (doc, RDF.type, KGN.Document),
               (self.doc_graph(doc_id), PROV.wasDerivedFrom, doc)]
        if source:
            out.append((doc, KGN.source, Literal(source)))
        if content_hash:
            out.append((doc, KGN.contentHash, Literal(content_hash)))
        return out

    def agent_triples(self, extractor: str, version: str) -> list[tuple]:
        agent = self.agent(extractor, version)
        return [(agent, RDF.type, PROV.SoftwareAgent), (agent, RDFS.label, Literal(extractor)),
                (agent, KGN.version, Literal(version))]

    def provenance_triples(self, doc_id: str, triple: tuple, *, extractor: str, version: str,
                           sentence: str | None = None, start: int | None = None,
                           end: int | None = None, confidence: float | None = None) -> list[tuple]:
        """The reified statement with PROV-O provenance for one extracted triple."""
        s, p, o = triple
        stmt = self.statement(doc_id, s, p, o, start, end)
        out = [(stmt, RDF.type, RDF.Statement), (stmt, RDF.subject, s), (stmt, RDF.predicate, p),
               (stmt, RDF.object, o), (stmt, PROV.wasDerivedFrom, self.document(doc_id)),
               (stmt, PROV.wasAttributedTo, self.agent(extractor, version))]
        if sentence is not None:
            out.append((stmt, KGN.sentence, Literal(sentence)))
        if start is not None:
            out.append((stmt, KGN.start, Literal(int(start))))
        if end is not None:
            out.append((stmt, KGN.end, Literal(int(end))))
        if confidence is not None:
            out.append((stmt, KGN.confidence, Literal(round(float(confidence), 6), datatype=XSD.double)))
        return out


@lru_cache(maxsize=1 << 16)  # called once per edge for its relation: few distinct values
def local_name(iri: str) -> str:
    """A readable fallback name for an IRI: its last path segment or fragment, decoded."""
    tail = str(iri).rstrip("/#")
    tail = tail.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return unquote(tail).replace("_", " ")


def is_meta(predicate: str) -> bool:
    """True for predicates that describe the graph (labels, types, provenance), not relations."""
    return str(predicate).startswith(META_NAMESPACES)


PREFIXES = {"kgn": str(KGN), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "prov": str(PROV),
            "xsd": str(XSD), "owl": str(OWL)}


def prefixes(vocab: Vocab | None = None) -> dict[str, str]:
    """kgn's prefixes (plus ``e:``, ``t:``, ``r:`` for entities, types, relations under the base)."""
    v = vocab or Vocab()
    return {**PREFIXES, "e": v.base + "entity/", "t": v.base + "type/", "r": v.base + "rel/"}


def sparql_prefixes(vocab: Vocab | None = None) -> str:
    """The same prefixes as PREFIX lines."""
    return "".join(f"PREFIX {k}: <{ns}>\n" for k, ns in prefixes(vocab).items())
