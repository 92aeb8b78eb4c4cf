"""Canonicalisation and linking: one entity per thing, within a document and across the graph.

Within a document (:class:`DocEntities`): mentions with the same canonical name (compared
case-insensitively) are one entity, and an acronym defined in parentheses ("convolutional neural
network (CNN)", or "CNN (convolutional neural network)") becomes an alias of the long form.

Across documents (:class:`GraphLinker`): an entity whose name or alias equals, case-insensitively,
the label or an alias of an entity already in the graph takes that entity's label and IRI, so
repeated runs grow one graph. The linker reads all entity labels with one SPARQL query at the start
of a job and then learns from each document it links, instead of querying per mention.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal
from spacy.tokens import Span

from kg.extract.grouping import MentionGroups, acronym_matches, is_literal_span
from kg.extract.literals import LiteralValue, literal_value
from kg.extract.mentions import CONCEPT, canonical_name
from kg.extract.model import DocResult, Entity
from kg.vocab import Vocab

def looks_like_acronym(text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return 2 <= len(letters) <= 10 and sum(c.isupper() for c in letters) >= 2 and " " not in text


class DocEntities:
    """The entities of one document: its mention groups (:mod:`kg.extract.grouping`) as
    :class:`Entity` objects, and its amounts as :class:`LiteralValue` objects."""

    def __init__(self, spans: list[Span], doc=None):
        doc = doc if doc is not None else (spans[0].doc if spans else None)
        self.by_span: dict[tuple[int, int], Entity | LiteralValue] = {}
        self.by_key: dict[str, Entity] = {}
        self._entities: list[Entity] = []
        if doc is None:
            return
        groups = MentionGroups(doc, spans)
        for group in sorted(groups.groups.values(), key=lambda g: g.first):
            best = group.best()
            label = group.label
            entity = Entity(name=best.name, label=label)
            if group.votes and len(group.votes) > 1:
                entity.type_votes = {k: round(v, 3) for k, v in sorted(group.votes.items())}
            entity.type_confidence = round(group.confidence, 3) if label else None
            for m in group.mentions:
                if m.kind in ("name", "concept") and m.name.casefold() != best.name.casefold():
                    entity.aliases.append(m.name)
                self._mention(entity, m.span)
                if m.kind != "pronoun":
                    self.by_span[(m.span.start, m.span.end)] = entity
                    self.by_key.setdefault(m.name.casefold(), entity)
            self._entities.append(entity)
        for e in self._entities:
            self.by_key.setdefault(e.name.casefold(), e)
        for span in groups.literals:
            self.by_span[(span.start, span.end)] = self._literal(span)

    @staticmethod
    def _literal(span: Span) -> LiteralValue:
        label = span.label_ if span.label_ and span.label_ != CONCEPT else None
        value, datatype = literal_value(span.text, label)
        return LiteralValue(" ".join(span.text.split()), label, value, datatype,
                            span.start_char, span.end_char)

    @staticmethod
    def _mention(entity: Entity, span: Span) -> None:
        mention = (span.start_char, span.end_char, span.text)
        if mention not in entity.mentions:
            entity.mentions.append(mention)

    def add(self, span: Span) -> Entity | LiteralValue:
        """The entity (or literal) ``span`` stands for, created if new; records the mention."""
        found = self.by_span.get((span.start, span.end))
        if found is not None:
            return found
        if is_literal_span(span):
            lit = self.by_span[(span.start, span.end)] = self._literal(span)
            return lit
        name = canonical_name(span)
        entity = self.by_key.get(name.casefold())
        if entity is None:
            label = span.label_ if span.label_ and span.label_ != CONCEPT else None
            entity = self.by_key[name.casefold()] = Entity(name=name, label=label)
            self._entities.append(entity)
        self._mention(entity, span)
        self.by_span[(span.start, span.end)] = entity
        return entity

    def literal_records(self) -> list[Entity]:
        """The amounts of the document as entity-like records (name, NER label, mentions)."""
        out: dict[str, Entity] = {}
        for lit in self.by_span.values():
            if isinstance(lit, LiteralValue):
                rec = out.setdefault(lit.text, Entity(name=lit.text, label=lit.label))
                rec.mentions.append((lit.start, lit.end, lit.text))
        return list(out.values())

    def entities(self) -> list[Entity]:
        for e in self._entities:
            e.aliases = sorted({a for a in e.aliases if a.casefold() != e.name.casefold()})
            e.mentions.sort()
        return list(self._entities)


class GraphLinker:
    """Maps entity names to entities already in the graph, by label or alias (case-insensitive)."""

    def __init__(self, vocab: Vocab | None = None):
        self.vocab = vocab or Vocab.from_env()
        # casefolded name -> {(label, iri, is_label): set of graphs that state it}
        self.index: dict[str, dict[tuple[str, str, bool], set[str]]] = defaultdict(lambda: defaultdict(set))

    @classmethod
    def from_store(cls, store, vocab: Vocab | None = None) -> "GraphLinker":
        linker = cls(vocab)
        prefix = linker.vocab.base + "entity/"
        res = store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?s ?label ?alias ?g WHERE { GRAPH ?g { ?s rdfs:label ?label "
            "OPTIONAL { ?s skos:altLabel ?alias } } FILTER(STRSTARTS(STR(?s), ?prefix)) }",
            bindings={"prefix": Literal(prefix)})
        for s, label, alias, g in res.rows:
            linker._remember(str(label), str(s), str(label), True, str(g))
            if alias is not None:
                linker._remember(str(alias), str(s), str(label), False, str(g))
        return linker

    def _remember(self, name: str, iri: str, label: str, is_label: bool, graph: str) -> None:
        self.index[name.casefold()][(label, iri, is_label)].add(graph)

    def candidates(self, name: str, exclude_graph: str | None = None) -> list[tuple[str, str, bool]]:
        found = self.index.get(name.casefold())
        if not found:
            return []
        return [k for k, graphs in found.items() if graphs - {exclude_graph}]

    def link(self, result: DocResult) -> DocResult:
        """Give ``result``'s entities the labels/IRIs of matching graph entities (in place).

        Entries stated only by this document's own graph are ignored, so re-extracting a document
        (a resumed or repeated job) links it exactly as the first time.
        """
        own = str(self.vocab.doc_graph(result.doc_id))
        renames: dict[str, str] = {}
        merged: dict[str, Entity] = {}
        for e in result.entities:
            best = None
            for rank, name in enumerate([e.name, *e.aliases]):
                for label, iri, is_label in self.candidates(name, own):
                    key = (rank, not is_label, iri)
                    if best is None or key < best[0]:
                        best = (key, label, iri)
            if best is not None:
                _, label, iri = best
                if label != e.name:
                    renames[e.name] = label
                    if e.name.casefold() != label.casefold():
                        e.aliases.append(e.name)
                    e.name = label
                e.iri = iri if iri != str(self.vocab.entity(label)) else None
                e.aliases = sorted({a for a in e.aliases if a.casefold() != e.name.casefold()})
            # Two document entities linked to one graph entity become one.
            if e.name in merged:
                first = merged[e.name]
                first.aliases = sorted(set(first.aliases) | set(e.aliases))
                first.mentions = sorted(set(first.mentions) | set(e.mentions))
                first.label = first.label or e.label
                continue
            merged[e.name] = e
        result.entities = list(merged.values())
        result.rename(renames)
        return result

    def learn(self, result: DocResult) -> None:
        """Remember ``result``'s entities (call after the document is written)."""
        graph = str(self.vocab.doc_graph(result.doc_id))
        for e in result.entities:
            iri = e.iri or str(self.vocab.entity(e.name))
            self._remember(e.name, iri, e.name, True, graph)
            for a in e.aliases:
                self._remember(a, iri, e.name, False, graph)

