"""What the extractor returns for one document, and how that becomes RDF (see :mod:`kg.vocab`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg.vocab import Vocab

# Predicates with a fixed RDF meaning instead of a kgn relation IRI.
# "X is a Y" with a named X types X (rdf:type); with a generic X ("dogs are mammals") it is a
# subclass statement (rdfs:subClassOf between the two classes).
TYPE_PREDICATE = "type"
SUBCLASS_PREDICATE = "subclass of"

# spaCy NER labels -> kgn class names (the raw label stays on Entity.label).
NER_CLASSES = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Location", "FAC": "Facility",
    "NORP": "Group", "PRODUCT": "Product", "EVENT": "Event", "WORK_OF_ART": "Work", "LAW": "Law",
    "LANGUAGE": "Language", "DATE": "Date", "TIME": "Time", "PERCENT": "Percent", "MONEY": "Money",
    "QUANTITY": "Quantity", "ORDINAL": "Ordinal", "CARDINAL": "Number",
}


@dataclass
class Entity:
    """One entity of a document: canonical name, NER label (None for concepts), aliases, mentions.

    ``mentions`` are ``(start, end, text)`` character spans in the document. ``iri`` is set by
    linking when the entity already exists in the graph under an IRI kgn would not mint.
    """

    name: str
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    iri: str | None = None

    @property
    def type(self) -> str | None:
        return self.label


@dataclass
class ExtractedTriple:
    """One statement read from a sentence; ``subject``/``object`` are canonical entity names.

    ``start``/``end`` are character offsets in the document of the text that states it;
    ``kind`` names the pattern that produced it (``svo``, ``passive``, ``prep``, ``copula``, ...).
    """

    subject: str
    predicate: str
    object: str
    subject_type: str | None
    object_type: str | None
    confidence: float
    sentence: str
    start: int
    end: int
    method: str
    negated: bool = False
    kind: str = ""

    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


@dataclass
class DocResult:
    """Entities and triples of one document, plus what provenance needs.

    ``triples`` holds asserted statements only; statements read under a negation are kept in
    ``negated`` (flag set) and never written to the graph.
    """

    doc_id: str
    entities: list[Entity]
    triples: list[ExtractedTriple]
    negated: list[ExtractedTriple] = field(default_factory=list)
    words: int = 0
    extractor: str = "rules"
    version: str = "1"
    source: str | None = None
    content_hash: str | None = None

    def entity(self, name: str) -> Entity | None:
        for e in self.entities:
            if e.name == name:
                return e
        return None

    def rename(self, mapping: dict[str, str]) -> None:
        """Rename entities (used by graph linking); triples follow their entities."""
        if not mapping:
            return
        for t in self.triples + self.negated:
            t.subject = mapping.get(t.subject, t.subject)
            t.object = mapping.get(t.object, t.object)
        self.triples = dedupe([t for t in self.triples if t.subject != t.object])
        self.negated = dedupe([t for t in self.negated if t.subject != t.object])

    # -- RDF ------------------------------------------------------------------------------------
    def iri_of(self, vocab: Vocab, name: str) -> URIRef:
        e = self.entity(name)
        return URIRef(e.iri) if e is not None and e.iri else vocab.entity(name)

    def _iris(self, vocab: Vocab) -> dict[str, URIRef]:
        return {e.name: URIRef(e.iri) if e.iri else vocab.entity(e.name) for e in self.entities}

    def to_triples(self, vocab: Vocab | None = None) -> list[tuple]:
        """The RDF triples of this document's named graph, in the shape :mod:`kg.vocab` fixes."""
        v = vocab or Vocab()
        iris = self._iris(v)  # one IRI per entity, minted once

        def iri(name: str) -> URIRef:
            return iris[name] if name in iris else v.entity(name)

        out: list[tuple] = []
        out += v.document_triples(self.doc_id, self.source or self.doc_id, self.content_hash)
        out += v.agent_triples(self.extractor, self.version)
        for e in self.entities:
            types = [NER_CLASSES.get(e.label, e.label)] if e.label else []
            out += v.entity_triples(iris[e.name], e.name, aliases=e.aliases, types=types)
        for t in self.triples:
            s = iri(t.subject)
            if t.predicate == TYPE_PREDICATE:
                p, o = RDF.type, v.type(t.object)
                out += v.type_triples(o, t.object)
            elif t.predicate == SUBCLASS_PREDICATE:
                s, p, o = v.type(t.subject), RDFS.subClassOf, v.type(t.object)
                out += v.type_triples(s, t.subject) + v.type_triples(o, t.object)
            else:
                p, o = v.relation(t.predicate), iri(t.object)
                out += v.relation_triples(p, t.predicate)
            out.append((s, p, o))
            out += v.provenance_triples(self.doc_id, (s, p, o), extractor=self.extractor,
                                        version=self.version, sentence=t.sentence, start=t.start,
                                        end=t.end, confidence=t.confidence)
        # Templates repeat class/relation/agent triples; a graph is a set.
        return list(dict.fromkeys(out))


def dedupe(triples: list[ExtractedTriple]) -> list[ExtractedTriple]:
    """One triple per (subject, predicate, object, offsets); the most confident one wins."""
    best: dict[tuple, ExtractedTriple] = {}
    for t in triples:
        k = (t.subject, t.predicate, t.object, t.start, t.end)
        if k not in best or t.confidence > best[k].confidence:
            best[k] = t
    return list(best.values())
