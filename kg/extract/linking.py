"""Canonicalisation and linking: one entity per thing, within a document and across the graph.

Within a document (:class:`DocEntities`): the mention groups of :mod:`kg.extract.grouping` (same
name, short names, acronyms, descriptions, pronouns) are one entity each; amounts are literals.

Across documents (:class:`GraphLinker`): an entity whose name or alias equals, case-insensitively,
the label or an alias of an entity already in the graph, with a compatible type and (for one-word
names) a co-occurring entity, takes that entity's label and IRI, so repeated runs grow one graph;
each decision is recorded. The linker reads all entity labels and types with one SPARQL query at
the start of a job and then learns from each document it links, instead of querying per mention.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal
from spacy.tokens import Span

from kg.extract.grouping import MentionGroups, acronym_matches, is_literal_span  # noqa: F401 (re-exported)
from kg.extract.literals import LiteralValue, literal_value
from kg.extract.mentions import CONCEPT, canonical_name, is_acronym
from kg.extract.model import DocResult, Entity
from kg.extract.roles import ONTONOTES_ROLES, LabelRoles, doc_roles
from kg.vocab import KGN, Vocab

LINK_THRESHOLD = 1.0  # a label match alone links; an alias match needs the type or context

class DocEntities:
    """The entities of one document: its mention groups (:mod:`kg.extract.grouping`) as
    :class:`Entity` objects, and its amounts as :class:`LiteralValue` objects."""

    def __init__(self, spans: list[Span], doc=None):
        doc = doc if doc is not None else (spans[0].doc if spans else None)
        self.by_span: dict[tuple[int, int], Entity | LiteralValue] = {}
        self.by_key: dict[str, Entity] = {}
        self._entities: list[Entity] = []
        self.roles = doc_roles(doc) if doc is not None else ONTONOTES_ROLES
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

    def _literal(self, span: Span) -> LiteralValue:
        label = span.label_ if span.label_ and span.label_ != CONCEPT else None
        # literal_value's table is in OntoNotes labels: a custom label is read by its role
        value, datatype = literal_value(span.text, self.roles.ontonotes(label))
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
        if is_literal_span(span, self.roles):
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
    """Links a document's entities to entities already in the graph, by name AND type AND context.

    A candidate is a graph entity whose label or alias equals one of the entity's names
    (case-insensitively). Its score: 1.0 for the label (0.8 for an alias) of the entity's own
    name (less for an alias of it), +0.5 when the types agree, +0.25 per co-occurring entity (an
    entity of this document whose name is also stated in a graph that states the candidate, up
    to +0.5). A candidate whose type differs is rejected. A one-word name of a person or
    organisation ("Howard") is never linked by name and type alone: it needs a co-occurring
    entity. Concepts (untyped noun phrases) link by name. The best candidate scoring at least
    :data:`LINK_THRESHOLD` wins.

    Every decision is recorded on the entity (``Entity.link``) and written into the document's
    graph (:func:`kg.extract.model.link_triples`: mention, candidate, score, reason, and the IRI
    the entity has unlinked), so it can be audited and undone; a rejected candidate gives the
    entity an IRI qualified by its type (``Howard_(Organization)``) or, for a one-word name
    without context, by its type and document, so that the graph does not merge them by IRI.
    """

    def __init__(self, vocab: Vocab | None = None):
        self.vocab = vocab or Vocab()
        # casefolded name -> {(label, iri, is_label): set of graphs that state it}
        self.index: dict[str, dict[tuple[str, str, bool], set[str]]] = defaultdict(lambda: defaultdict(set))
        self.types: dict[str, set[str]] = defaultdict(set)       # entity IRI -> class IRIs
        self.in_graph: dict[str, set[str]] = defaultdict(set)    # graph -> entity IRIs
        self.graphs_of: dict[str, set[str]] = defaultdict(set)   # entity IRI -> graphs

    @classmethod
    def from_store(cls, store, vocab: Vocab | None = None) -> "GraphLinker":
        linker = cls(vocab)
        prefix = linker.vocab.base + "entity/"
        # Each graph's own statements of names: a document's records (kg.documents) or an
        # imported file's labels; the shared descriptions graph is their merge, not a source.
        res = store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX kgn: <https://kgn.example/ns#>\n"
            "SELECT ?s ?label ?alias ?g ?t WHERE { GRAPH ?g { ?s rdfs:label|kgn:docLabel ?label "
            "OPTIONAL { ?s skos:altLabel|kgn:docAltLabel ?alias } "
            "OPTIONAL { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>|kgn:docType ?t } } "
            "FILTER(STRSTARTS(STR(?s), ?prefix) && ?g != ?shared) }",
            bindings={"prefix": Literal(prefix), "shared": linker.vocab.descriptions_graph})
        for s, label, alias, g, t in res.rows:
            linker._remember(str(label), str(s), str(label), True, str(g))
            if alias is not None:
                linker._remember(str(alias), str(s), str(label), False, str(g))
            if t is not None:
                linker.types[str(s)].add(str(t))
        return linker

    def _remember(self, name: str, iri: str, label: str, is_label: bool, graph: str) -> None:
        self.index[name.casefold()][(label, iri, is_label)].add(graph)
        self.in_graph[graph].add(iri)
        self.graphs_of[iri].add(graph)

    def candidates(self, name: str, exclude_graph: str | None = None) -> list[tuple[str, str, bool]]:
        found = self.index.get(name.casefold())
        if not found:
            return []
        return [k for k, graphs in found.items() if graphs - {exclude_graph}]

    def _class_of(self, e: Entity, roles: LabelRoles) -> str:
        return str(self.vocab.type(roles.class_of(e.label))) if e.label else str(KGN.Concept)

    def link(self, result: DocResult) -> DocResult:
        """Give ``result``'s entities the labels/IRIs of matching graph entities (in place).

        Entries stated only by this document's own graph are ignored, so re-extracting a document
        (a resumed or repeated job) links it exactly as the first time.
        """
        own = str(self.vocab.doc_graph(result.doc_id))
        # context: graph entities named like this document's entities (exact label matches)
        named_here = {iri for e in result.entities
                      for _, iri, is_label in self.candidates(e.name, own) if is_label}
        renames: dict[str, str] = {}
        merged: dict[str, Entity] = {}
        for e in result.entities:
            decision = self._decide(e, own, named_here, result.roles)
            if decision is not None:
                e.link = decision
                if decision["decision"] == "linked":
                    label, iri = decision["label"], decision["candidate"]
                    if label != e.name:
                        renames[e.name] = label
                        if e.name.casefold() != label.casefold():
                            e.aliases.append(e.name)
                        e.name = label
                    e.iri = iri if iri != str(self.vocab.entity(label)) else None
                else:
                    e.iri = decision["own"]
                    if decision["reason"] != "type differs":
                        # a one-word person name is document-local by rule, whatever other
                        # documents hold: nothing that depends on them is written
                        e.link = None
                e.aliases = sorted({a for a in e.aliases if a.casefold() != e.name.casefold()})
            # Two document entities linked to one graph entity become one.
            key = e.iri or e.name
            if key in merged:
                first = merged[key]
                first.aliases = sorted(set(first.aliases) | set(e.aliases))
                first.mentions = sorted(set(first.mentions) | set(e.mentions))
                first.label = first.label or e.label
                continue
            merged[key] = e
        result.entities = list(merged.values())
        result.rename(renames)
        return result

    def _decide(self, e: Entity, own: str, named_here: set[str], roles: LabelRoles) -> dict | None:
        """The link decision for one entity, or None when nothing is to be decided."""
        cls = self._class_of(e, roles)
        cls_name = roles.class_of(e.label) if e.label else "Concept"
        # "Howard": a one-word person name is never linked on name and type alone; without a
        # link it keeps an IRI of its own document, whatever other documents hold
        one_word = roles.role(e.label) == "person" and len(e.name.split()) == 1
        best, rejected = None, None
        for rank, name in enumerate([e.name, *e.aliases]):
            for label, iri, is_label in self.candidates(name, own):
                types = self.types.get(iri, set())
                score = (1.0 if is_label else 0.8) * (1.0 if rank == 0 else 0.8)
                reasons = [f"{'label' if is_label else 'alias'} {name!r}"]
                # an acronym the small model typed ORG may name an untyped concept ("CNN")
                acronym_of_concept = is_acronym(name) and types == {str(KGN.Concept)}
                if types and e.label and cls not in types and not acronym_of_concept:
                    rejected = rejected or (0.0, label, iri, "type differs")
                    continue
                if cls in types:
                    score += 0.5
                    reasons.append("same type")
                shared = sum(1 for g in self.graphs_of.get(iri, ()) if g != own
                             and (self.in_graph[g] - {iri}) & named_here)
                if shared:
                    score += min(0.5, 0.25 * shared)
                    reasons.append(f"{shared} graph(s) with co-occurring entities")
                if one_word and not shared:
                    rejected = rejected or (score, label, iri, "one-word name without context")
                    continue
                if best is None or score > best[0]:
                    best = (score, label, iri, "; ".join(reasons))
        if best is not None and best[0] >= LINK_THRESHOLD:
            score, label, iri, reason = best
            return {"name": e.name, "label": label, "candidate": iri, "decision": "linked",
                    "score": score, "reason": reason}
        if one_word:
            qualifier = f"{cls_name} in {own.rsplit('/', 1)[-1]}"
        elif rejected is not None:
            qualifier = cls_name
        else:
            return None
        score, label, iri, reason = rejected or (0.0, None, None, "no candidate")
        return {"name": e.name, "label": label, "candidate": iri, "decision": "rejected",
                "score": score, "reason": reason, "own": str(self.vocab.entity(e.name, qualifier))}

    def learn(self, result: DocResult) -> None:
        """Remember ``result``'s entities (call after the document is written)."""
        graph = str(self.vocab.doc_graph(result.doc_id))
        for e in result.entities:
            iri = e.iri or str(self.vocab.entity(e.name))
            self._remember(e.name, iri, e.name, True, graph)
            for a in e.aliases:
                self._remember(a, iri, e.name, False, graph)
            if e.label or not (e.link and e.link["decision"] == "linked"):
                self.types[iri].add(self._class_of(e, result.roles))
