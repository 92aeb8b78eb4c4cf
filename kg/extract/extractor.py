"""The extractor: spaCy parse -> mentions -> relations -> one :class:`DocResult` per document."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from kg.errors import KgnError
from kg.extract.linking import DocEntities
from kg.extract.literals import LiteralValue
from kg.extract.mentions import SPAN_KEY, find_mentions
from kg.extract.model import DocResult, ExtractedTriple, dedupe
from kg.extract.nlp import load_nlp, model_id
from kg.extract.relations import (CombinedMethod, MethodSpec, Relation, RelationMethod, build_resolved,
                                  method_factory, method_specs, resolve)
from kg.extract.roles import ROLES_KEY, LabelRoles, pipeline_roles
from kg.extract.schema import load_schema


@dataclass(frozen=True)
class ExtractorSettings:
    """What to run. ``relations``: a method description (``"rules"``, ``"neural:CKPT"``,
    ``"rules+neural:CKPT"``) or :class:`~kg.extract.relations.MethodSpec` objects, names from
    :mod:`kg.extract.relations`' registry; ``model``: a spaCy package name or folder (default: the
    first small English model installed); ``label_roles``: what the model's NER labels mean to the
    extractor's rules (:class:`kg.extract.roles.LabelRoles`; a mapping such as ``{"Peop":
    "person"}`` or ``"Peop=person,Loc=place"`` is turned into one), default: the map a
    ``kgn train ner`` pipeline saved, else OntoNotes' (en_core_web_sm's)."""

    relations: str | MethodSpec | tuple[MethodSpec, ...] = "rules"
    model: str | None = None
    label_roles: LabelRoles | None = None
    schema: str | None = None  # a user schema file (kg.extract.schema), read once per process

    def __post_init__(self):
        if isinstance(self.label_roles, (str, Mapping)):
            object.__setattr__(self, "label_roles", LabelRoles.of(self.label_roles))


def _recipe_key(methods: str, settings: "ExtractorSettings") -> str:
    """What a worker builds: the methods, the model and a label-role map given by hand."""
    roles = f"+roles:{settings.label_roles.digest()}" if settings.label_roles is not None else ""
    return f"{methods}@{settings.model}{roles}"


@dataclass(frozen=True)
class ExtractorRecipe:
    """What a worker process needs to build the same extractor as the parent: picklable.

    ``methods`` holds ``(spec, factory)`` pairs resolved in the parent (factories travel by
    reference); ``method`` is a method object handed to the parent without a spec, sent pickled.
    ``key`` names what will run and keys each worker's cache of built extractors.
    """

    model: str | None
    methods: tuple[tuple[MethodSpec, Any], ...] = ()
    method: RelationMethod | None = None
    key: str = ""
    schema: str | None = None
    label_roles: LabelRoles | None = None

    @classmethod
    def for_settings(cls, settings: "ExtractorSettings") -> "ExtractorRecipe":
        parts = resolve(method_specs(settings.relations))
        key = _recipe_key("+".join(f"{s}" for s, _ in parts), settings)
        return cls(model=settings.model, methods=parts, key=key, schema=settings.schema,
                   label_roles=settings.label_roles)

    def build(self) -> "Extractor":
        method = self.method if self.method is not None else build_resolved(self.methods)
        return Extractor(ExtractorSettings(model=self.model, schema=self.schema, label_roles=self.label_roles),
                         relation_method=method, _recipe=self)


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    """Words as whitespace-separated tokens (the unit of every words/s figure kgn prints)."""
    return len(text.split())


class Extractor:
    """Turns text into entities and triples with provenance.

    Pass ``relation_method`` to use a method object directly (e.g. one built with
    :func:`kg.extract.relations.build_method`); otherwise ``settings.relations`` is built from
    the registry. Worker processes rebuild the same extractor from :meth:`recipe`.
    """

    def __init__(self, settings: ExtractorSettings | None = None, nlp=None,
                 relation_method: RelationMethod | None = None, _recipe: ExtractorRecipe | None = None):
        self.settings = settings or ExtractorSettings()
        if _recipe is None and relation_method is None:
            _recipe = ExtractorRecipe.for_settings(self.settings)
            relation_method = build_resolved(_recipe.methods)
        self.method = relation_method
        self._recipe = _recipe
        self.nlp = nlp if nlp is not None else load_nlp(self.settings.model)
        # what the NER's labels mean to the rules: given, saved with the pipeline, or OntoNotes'
        self.roles = pipeline_roles(self.nlp, self.settings.label_roles)
        self.schema = load_schema(self.settings.schema) if self.settings.schema else None
        # Saved in provenance: the method's own name and version plus the parser's.
        self.name = self.method.name
        self.version = f"{self.method.version}+{model_id(self.nlp)}"

    @property
    def key(self) -> str:
        """What runs, for the ledger: method name/version(/options digest), the parser and (when
        not OntoNotes') the label-role map."""
        roles = "" if self.roles.default else f"+roles:{self.roles.digest()}"
        return f"{self.method.key()}+{model_id(self.nlp)}{roles}"

    def recipe(self) -> ExtractorRecipe:
        """The picklable description workers build this extractor from.

        A method built from specs travels as its specs; a method object made by hand travels
        pickled (it must be picklable: a module-level class).
        """
        if self._recipe is not None:
            return self._recipe
        parts = _spec_parts(self.method)
        if parts is not None:
            self._recipe = ExtractorRecipe(self.settings.model, methods=parts,
                                           key=_recipe_key("+".join(str(s) for s, _ in parts), self.settings),
                                           schema=self.settings.schema, label_roles=self.settings.label_roles)
            return self._recipe
        try:
            blob = pickle.dumps(self.method)
        except Exception as exc:
            raise KgnError(f"relation method {self.method.name!r} cannot be sent to worker processes "
                           f"({type(exc).__name__}: {exc}); register it with "
                           f"kg.extract.relations.register_method and pass its name") from None
        digest = hashlib.sha256(blob).hexdigest()[:16]
        self._recipe = ExtractorRecipe(self.settings.model, method=self.method,
                                       key=_recipe_key(f"object:{self.method.key()}:{digest}", self.settings),
                                       schema=self.settings.schema, label_roles=self.settings.label_roles)
        return self._recipe

    # -- one document ---------------------------------------------------------------------------
    def extract(self, text: str, doc_id: str = "doc", source: str | None = None) -> DocResult:
        from kg.extract.guard import parse_long

        return self.from_doc(parse_long(self.nlp, text), doc_id, source)

    def extract_many(self, docs: Iterable[tuple[str, str]], n_process: int = 1,
                     batch_size: int = 64) -> Iterator[DocResult]:
        """Results for ``(doc_id, text)`` pairs, in input order (``nlp.pipe`` underneath).

        With ``n_process > 1`` a pool of worker processes each builds this extractor once from
        :meth:`recipe`, parses and extracts, and sends back only the small results (see
        :mod:`kg.extract.parallel`).
        """
        from kg.extract.parallel import LocalRunner, ProcessPoolRunner, chunked

        chunks = chunked(((d, t, d) for d, t in docs), batch_size)
        runner = ProcessPoolRunner(self.recipe(), n_process) if n_process > 1 else LocalRunner(self)
        with runner:
            for results in runner.map(chunks, batch_size):
                yield from results

    def from_docs(self, docs: list, ids: list[tuple[str, str | None]]) -> list[DocResult]:
        """Results of already parsed documents; ``ids``: ``(doc_id, source)`` of each. The
        relation method sees the whole batch at once (its ``pipe`` hook)."""
        for doc in docs:
            doc.user_data[ROLES_KEY] = self.roles  # every rule reads the labels through it
            if SPAN_KEY not in doc.spans:
                find_mentions(doc)
        return [self._result(doc, doc_id, source, rels)
                for doc, (doc_id, source), rels in zip(docs, ids, self.method.pipe(docs))]

    def from_doc(self, doc, doc_id: str, source: str | None = None) -> DocResult:
        """Entities and triples of an already parsed document."""
        return self.from_docs([doc], [(doc_id, source)])[0]

    def _result(self, doc, doc_id: str, source: str | None, relations: list[Relation]) -> DocResult:
        spans = list(doc.spans[SPAN_KEY])
        ents = DocEntities(spans, doc)  # groups mentions; pronoun links go to doc.user_data
        triples: list[ExtractedTriple] = []
        negated: list[ExtractedTriple] = []
        for rel in relations:
            s, o = ents.add(rel.subject), ents.add(rel.object)
            if s is o or isinstance(s, LiteralValue):
                continue  # an amount is a value, never a subject
            ev = rel.evidence if rel.evidence is not None else rel.subject
            sent = ev.sent if ev is not None else None
            t = ExtractedTriple(
                subject=s.name, predicate=rel.predicate, object=o.text if isinstance(
                    o, LiteralValue) else o.name, subject_type=s.label,
                object_type=o.label, confidence=rel.confidence,
                sentence=sent.text.strip() if sent is not None else "",
                start=ev.start_char, end=ev.end_char, method=rel.method or self.name, negated=rel.negated,
                kind=rel.kind, surface=getattr(rel, "surface", ""))
            if isinstance(o, LiteralValue):
                t.object_value, t.object_datatype = o.value, o.datatype
                t.object_span = (o.start, o.end)
            if self.schema is not None:
                self.schema.apply(t)
            (negated if rel.negated else triples).append(t)
        entities = ents.entities()
        literals = ents.literal_records()
        text = doc.text
        return DocResult(doc_id=doc_id, entities=entities, triples=dedupe(triples),
                         negated=dedupe(negated), words=len(text.split()), extractor=self.name,
                         version=self.version, source=source or doc_id, content_hash=content_hash(text),
                         literals=literals, label_roles=None if self.roles.default else self.roles)


def _spec_parts(method: RelationMethod):
    """``(spec, factory)`` pairs that rebuild ``method``, or None if it was made by hand."""
    parts = method.parts if isinstance(method, CombinedMethod) else [method]
    if any(p.spec is None for p in parts):
        return None
    return tuple((p.spec, method_factory(p.spec.name)) for p in parts)
