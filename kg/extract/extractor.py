"""The extractor: spaCy parse -> mentions -> relations -> one :class:`DocResult` per document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Iterator

from kg.extract.linking import DocEntities
from kg.extract.mentions import SPAN_KEY, find_mentions
from kg.extract.model import DocResult, ExtractedTriple, dedupe
from kg.extract.nlp import load_nlp, model_id
from kg.extract.relations import RelationMethod, relation_method


@dataclass(frozen=True)
class ExtractorSettings:
    """What to run. ``relations``: a name in :data:`kg.extract.relations.RELATION_METHODS`;
    ``model``: a spaCy package name (default: the first small English model installed)."""

    relations: str = "rules"
    model: str | None = None


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Words as whitespace-separated tokens (the unit of every words/s figure kgn prints)."""
    return len(text.split())


class Extractor:
    """Turns text into entities and triples with provenance.

    Pass ``relation_method`` to use a method object directly (e.g. a neural one built elsewhere);
    otherwise ``settings.relations`` is looked up by name.
    """

    def __init__(self, settings: ExtractorSettings | None = None, nlp=None,
                 relation_method: RelationMethod | None = None):
        self.settings = settings or ExtractorSettings()
        self.method = relation_method or relation_method_for(self.settings)
        self.nlp = nlp if nlp is not None else load_nlp(self.settings.model)
        # Saved in provenance: the method's own name and version plus the parser's.
        self.name = self.method.name
        self.version = f"{self.method.version}+{model_id(self.nlp)}"

    # -- one document ---------------------------------------------------------------------------
    def extract(self, text: str, doc_id: str = "doc", source: str | None = None) -> DocResult:
        from kg.extract.guard import parse_long

        return self.from_doc(parse_long(self.nlp, text), doc_id, source)

    def extract_many(self, docs: Iterable[tuple[str, str]], n_process: int = 1,
                     batch_size: int = 64) -> Iterator[DocResult]:
        """Results for ``(doc_id, text)`` pairs, in input order (``nlp.pipe`` underneath).

        With ``n_process > 1`` a pool of worker processes each loads the model once, parses and
        extracts, and sends back only the small results (see :mod:`kg.extract.parallel`).
        """
        if n_process > 1:
            from kg.extract.parallel import ProcessPoolRunner

            with ProcessPoolRunner(self.settings, n_process) as runner:
                yield from runner.map(docs, batch_size)
            return
        from kg.extract.guard import pipe_any_length

        pairs = ((text, doc_id) for doc_id, text in docs)
        for doc, doc_id in pipe_any_length(self.nlp, pairs, batch_size):
            yield self.from_doc(doc, doc_id)

    def from_doc(self, doc, doc_id: str, source: str | None = None) -> DocResult:
        """Entities and triples of an already parsed document."""
        if SPAN_KEY not in doc.spans:
            find_mentions(doc)
        spans = list(doc.spans[SPAN_KEY])
        ents = DocEntities(spans)
        triples: list[ExtractedTriple] = []
        negated: list[ExtractedTriple] = []
        for rel in self.method(doc):
            s, o = ents.add(rel.subject), ents.add(rel.object)
            if s is o:
                continue
            ev = rel.evidence if rel.evidence is not None else rel.subject
            sent = ev.sent if ev is not None else None
            t = ExtractedTriple(
                subject=s.name, predicate=rel.predicate, object=o.name, subject_type=s.label,
                object_type=o.label, confidence=rel.confidence,
                sentence=sent.text.strip() if sent is not None else "",
                start=ev.start_char, end=ev.end_char, method=self.name, negated=rel.negated,
                kind=rel.kind)
            (negated if rel.negated else triples).append(t)
        entities = ents.entities()
        # Names may have changed after an acronym's long form arrived; re-read them from entities.
        final = {}
        for e in entities:
            final[e.name.casefold()] = e.name
            for a in e.aliases:
                final.setdefault(a.casefold(), e.name)
        for t in triples + negated:
            t.subject = final.get(t.subject.casefold(), t.subject)
            t.object = final.get(t.object.casefold(), t.object)
        text = doc.text
        return DocResult(doc_id=doc_id, entities=entities, triples=dedupe(triples),
                         negated=dedupe(negated), words=len(text.split()), extractor=self.name,
                         version=self.version, source=source or doc_id, content_hash=content_hash(text))


def relation_method_for(settings: ExtractorSettings) -> RelationMethod:
    return relation_method(settings.relations)
