"""What the extractor returns for one document, and how that becomes RDF (see :mod:`kg.vocab`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.extract.roles import ONTONOTES, ONTONOTES_ROLES, ROLE_CLASSES, LabelRoles
from kg.vocab import KGN, Vocab, relation_name

# Predicates with a fixed RDF meaning instead of a kgn relation IRI.
# "X is a Y" with a named X types X (rdf:type); with a generic X ("dogs are mammals") it is a
# subclass statement (rdfs:subClassOf between the two classes).
TYPE_PREDICATE = "type"
SUBCLASS_PREDICATE = "subclass of"

# OntoNotes (en_core_web_sm) NER labels -> kgn class names (the raw label stays on Entity.label);
# other labels go through their role (kg.extract.roles: DocResult.label_roles).
NER_CLASSES = {label: ROLE_CLASSES[role] for label, role in ONTONOTES}


@dataclass
class Entity:
    """One entity of a document: canonical name, NER label (None for concepts), aliases, mentions.

    ``mentions`` are ``(start, end, text)`` character spans in the document (pronouns and
    definite descriptions that stand for it included). ``iri`` is set by linking when the entity
    already exists in the graph under an IRI kgn would not mint. ``label`` is the winner of a vote
    over the mentions' NER labels; ``type_confidence`` its share of the vote and ``type_votes``
    every label's weight when the mentions disagree. ``link`` records a cross-document link
    decision (:class:`kg.extract.linking.GraphLinker`).
    """

    name: str
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    iri: str | None = None
    type_votes: dict[str, float] = field(default_factory=dict)
    type_confidence: float | None = None
    link: dict | None = None

    @property
    def type(self) -> str | None:
        return self.label


@dataclass
class ExtractedTriple:
    """One statement read from a sentence; ``subject``/``object`` are canonical entity names.

    ``start``/``end`` are character offsets in the document of the text that states it;
    ``kind`` names the pattern that produced it (``svo``, ``passive``, ``prep``, ``copula``, ...).
    An amount object is a literal: ``object`` is its text, ``object_value`` / ``object_datatype``
    its XSD value (datatype None: a plain string) and ``object_span`` its character span.
    ``surface`` is the predicate as written ("worked at" for ``work at``); ``property_iri`` a user
    schema property the predicate was mapped onto (:mod:`kg.extract.schema`).
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
    object_value: str | None = None
    object_datatype: str | None = None
    object_span: tuple[int, int] | None = None
    surface: str = ""
    property_iri: str | None = None

    @property
    def literal(self) -> bool:
        return self.object_span is not None

    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)


@dataclass
class DocResult:
    """Entities and triples of one document, plus what provenance needs.

    ``triples`` holds asserted statements only; statements read under a negation are kept in
    ``negated`` (flag set) and never written to the graph. ``literals`` lists the amounts found
    (as entity-like records: name, NER label, mentions); they are values, never nodes. The RDF
    class of a label comes from its role in ``label_roles`` (a ``Peop`` entity is a Person).
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
    literals: list[Entity] = field(default_factory=list)
    label_roles: LabelRoles | None = None  # what the labels mean (kg.extract.roles); None: OntoNotes'

    @property
    def roles(self) -> LabelRoles:
        return self.label_roles or ONTONOTES_ROLES

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
            if not t.literal:
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
        class_of = self.roles.class_of

        def iri(name: str) -> URIRef:
            return iris[name] if name in iris else v.entity(name)

        out: list[tuple] = []
        out += v.document_triples(self.doc_id, self.source or self.doc_id, self.content_hash)
        out += v.agent_triples(self.extractor, self.version)
        for e in self.entities:
            linked = bool(e.link and e.link["decision"] == "linked")
            # an untyped phrase linked to a graph entity takes that entity's types
            types = [class_of(e.label)] if e.label else [] if linked else [KGN.Concept]
            out += v.entity_triples(iris[e.name], e.name, aliases=e.aliases, types=types)
            if e.type_confidence is not None and e.type_votes:
                out.append((iris[e.name], KGN.typeConfidence,
                            Literal(f"{e.type_confidence:.3f}", datatype=XSD.decimal)))
                for other in sorted(e.type_votes):
                    if other != e.label:
                        out.append((iris[e.name], KGN.conflictingType,
                                    v.type(class_of(other))))
            if e.link:
                out += link_triples(v, self.doc_id, iris[e.name], e.link)
        for t in self.triples:
            s = iri(t.subject)
            if t.predicate == TYPE_PREDICATE:
                if t.literal:
                    continue
                p, o = RDF.type, v.type(t.object)
                out += v.type_triples(o, t.object)
            elif t.predicate == SUBCLASS_PREDICATE:
                if t.literal:
                    continue
                s, p, o = v.type(t.subject), RDFS.subClassOf, v.type(t.object)
                out += v.type_triples(s, t.subject) + v.type_triples(o, t.object)
            else:
                if t.property_iri:
                    p = URIRef(t.property_iri)
                else:
                    p = v.relation(t.predicate)
                    out += v.relation_triples(p, t.predicate)
                if t.surface and relation_name(t.surface) != relation_name(t.predicate):
                    out.append((p, SKOS.altLabel, Literal(relation_name(t.surface))))
                o = literal_object(t) if t.literal else iri(t.object)
            out.append((s, p, o))
            out += v.provenance_triples(self.doc_id, (s, p, o), extractor=self.extractor,
                                        version=self.version, sentence=t.sentence, start=t.start,
                                        end=t.end, confidence=t.confidence)
        # Templates repeat class/relation/agent triples; a graph is a set.
        return list(dict.fromkeys(out))


def literal_object(t: ExtractedTriple) -> Literal:
    """The RDF literal of an amount object (a plain string when its text was not read)."""
    if t.object_datatype:
        return Literal(t.object_value, datatype=URIRef(t.object_datatype))
    return Literal(t.object_value if t.object_value is not None else t.object)


def link_triples(v: Vocab, doc_id: str, iri: URIRef, link: dict) -> list[tuple]:
    """A cross-document link decision, recorded in the document's graph (see kg.vocab)."""
    node = URIRef(v.base + "link/" + _link_hash(doc_id, link))
    out = [(node, RDF.type, KGN.LinkDecision), (node, KGN.entity, iri),
           (node, KGN.mention, Literal(link["name"])),
           (node, KGN.decision, Literal(link["decision"])),
           (node, KGN.score, Literal(f"{link['score']:.3f}", datatype=XSD.decimal)),
           (node, KGN.reason, Literal(link["reason"])),
           (node, KGN.unlinked, v.entity(link["name"]))]
    if link.get("candidate"):
        out.append((node, KGN.candidate, URIRef(link["candidate"])))
    return out


def _link_hash(doc_id: str, link: dict) -> str:
    key = "\x1f".join(map(str, (doc_id, link["name"], link.get("candidate"), link["decision"])))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def dedupe(triples: list[ExtractedTriple]) -> list[ExtractedTriple]:
    """One triple per (subject, predicate, object, offsets); the most confident one wins."""
    best: dict[tuple, ExtractedTriple] = {}
    for t in triples:
        k = (t.subject, t.predicate, t.object, t.start, t.end, t.object_span)
        if k not in best or t.confidence > best[k].confidence:
            best[k] = t
    return list(best.values())
