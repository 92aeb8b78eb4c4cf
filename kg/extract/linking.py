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

from kg.extract.mentions import CONCEPT, canonical_name
from kg.extract.model import DocResult, Entity
from kg.vocab import Vocab

_SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "&"}


def looks_like_acronym(text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", text)
    return 2 <= len(letters) <= 10 and sum(c.isupper() for c in letters) >= 2 and " " not in text


def acronym_matches(acronym: str, name: str) -> bool:
    """True if ``acronym`` spells the initials of ``name`` (small words optional)."""
    letters = re.sub(r"[^a-z]", "", acronym.lower())
    words = [w for w in re.split(r"[\s\-/]+", name.lower()) if w]
    full = "".join(w[0] for w in words if w[0].isalnum())
    content = "".join(w[0] for w in words if w not in _SMALL_WORDS and w[0].isalnum())
    return letters in (full, content)


class DocEntities:
    """The entities of one document, built from its mention spans."""

    def __init__(self, spans: list[Span]):
        self.by_key: dict[str, Entity] = {}
        self.alias_of: dict[str, str] = {}
        self._span_names: dict[tuple[int, int], str] = {}
        self._find_acronyms(spans)
        for span in spans:
            self.add(span)

    def _find_acronyms(self, spans: list[Span]) -> None:
        starts = {s.start: s for s in spans}
        for s in spans:
            doc = s.doc
            if s.end + 2 >= len(doc) + 1 or s.end >= len(doc) or doc[s.end].text != "(":
                continue
            close = next((i for i in range(s.end + 1, min(len(doc), s.end + 12)) if doc[i].text == ")"), None)
            if close is None or close == s.end + 1:
                continue
            inner = doc[s.end + 1:close]
            long_name, short = canonical_name(s), inner.text
            if looks_like_acronym(short) and acronym_matches(short, long_name):
                self.alias_of[short.casefold()] = long_name.casefold()
            elif looks_like_acronym(s.text) and acronym_matches(s.text, inner.text):
                inner_span = starts.get(inner.start)
                long_name = canonical_name(inner_span) if inner_span is not None else inner.text
                self.alias_of[s.text.casefold()] = long_name.casefold()

    def _key(self, name: str) -> str:
        key = name.casefold()
        return self.alias_of.get(key, key)

    def add(self, span: Span) -> Entity:
        """The entity for ``span`` (created if new); records the mention."""
        name = self._span_names.get((span.start, span.end))
        if name is None:
            name = self._span_names[(span.start, span.end)] = canonical_name(span)
        key = self._key(name)
        label = span.label_ if span.label_ and span.label_ != CONCEPT else None
        entity = self.by_key.get(key)
        if entity is None:
            if key != name.casefold():  # an acronym seen before its long form: wait for it
                entity = self.by_key[key] = Entity(name=name, label=label)
                entity.aliases.append(name)
            else:
                entity = self.by_key[key] = Entity(name=name, label=label)
        elif key == name.casefold() and entity.name.casefold() != key:
            # The long form arrives after its acronym: the long form becomes the name.
            entity.name = name
        if entity.label is None and label is not None:
            entity.label = label
        if name.casefold() != entity.name.casefold() and name not in entity.aliases:
            entity.aliases.append(name)
        mention = (span.start_char, span.end_char, span.text)
        if mention not in entity.mentions:
            entity.mentions.append(mention)
        return entity

    def entities(self) -> list[Entity]:
        out = []
        for e in self.by_key.values():
            e.aliases = sorted({a for a in e.aliases if a.casefold() != e.name.casefold()})
            e.mentions.sort()
            out.append(e)
        return out


class GraphLinker:
    """Maps entity names to entities already in the graph, by label or alias (case-insensitive)."""

    def __init__(self, vocab: Vocab | None = None):
        self.vocab = vocab or Vocab()
        # casefolded name -> {(label, iri, is_label): set of graphs that state it}
        self.index: dict[str, dict[tuple[str, str, bool], set[str]]] = defaultdict(lambda: defaultdict(set))

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
            "SELECT ?s ?label ?alias ?g WHERE { GRAPH ?g { ?s rdfs:label|kgn:docLabel ?label "
            "OPTIONAL { ?s skos:altLabel|kgn:docAltLabel ?alias } } "
            "FILTER(STRSTARTS(STR(?s), ?prefix) && ?g != ?shared) }",
            bindings={"prefix": Literal(prefix), "shared": linker.vocab.descriptions_graph})
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

