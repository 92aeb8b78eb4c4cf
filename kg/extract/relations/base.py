"""The interface every relation method implements, and the picklable description that builds one.

A method is built in every process that extracts (the parent, each ``--jobs`` worker, each Dask
worker) from a :class:`MethodSpec`: a name looked up in :mod:`kg.extract.relations`' registry
plus plain options (a checkpoint path, a confidence threshold). The spec, not the method object,
crosses process boundaries, so a worker runs exactly what the parent was asked to run.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from spacy.tokens import Doc, Span

from kg.errors import KgnError


@dataclass
class Relation:
    """A relation between two mention spans of a parsed document.

    ``evidence`` is the span of text that states it (used for offsets in provenance);
    ``predicate`` is already normalised (lemma + particle/preposition, lower case);
    ``method`` names the method that produced it when several run together (``rules+neural``).
    """

    subject: Span
    predicate: str
    object: Span
    confidence: float
    kind: str = ""
    negated: bool = False
    evidence: Span | None = None
    method: str = ""


class MethodSpecError(KgnError):
    """A relation method description (``--relations``) cannot be read."""


_NAME = re.compile(r"^[A-Za-z][\w-]*$")


@dataclass(frozen=True)
class MethodSpec:
    """A picklable, hashable description of one relation method: ``name`` + plain ``options``.

    ``options`` is a sorted tuple of ``(key, value)`` pairs (values: str, int, float, bool, None)
    so that the spec can key a per-process cache and give a stable :meth:`digest`.
    """

    name: str
    options: tuple[tuple[str, Any], ...] = field(default=())

    @classmethod
    def of(cls, name: str, **options: Any) -> "MethodSpec":
        return cls(name, tuple(sorted((k, v) for k, v in options.items() if v is not None)))

    @classmethod
    def parse(cls, text: str, **options: Any) -> "MethodSpec":
        """``"rules"`` or ``"neural:PATH"`` (the part after the first colon is option ``path``)."""
        name, sep, arg = text.strip().partition(":")
        if not _NAME.match(name):
            raise MethodSpecError(f"relation method {text!r}: a method is NAME or NAME:ARGUMENT")
        if sep:
            if not arg:
                raise MethodSpecError(f"relation method {text!r}: nothing after ':'")
            options = {"path": arg, **options}
        return cls.of(name, **options)

    def with_options(self, **more: Any) -> "MethodSpec":
        return MethodSpec.of(self.name, **{**dict(self.options), **more})

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.options)

    def digest(self) -> str:
        """A short hash of the options ("" without options): part of the ledger key."""
        if not self.options:
            return ""
        text = json.dumps([self.name, [list(kv) for kv in self.options]], sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def __str__(self) -> str:
        opts = dict(self.options)
        path = opts.pop("path", None)
        extra = "".join(f" {k}={v}" for k, v in opts.items())
        return f"{self.name}{':' + str(path) if path is not None else ''}{extra}"


def parse_methods(text: str, **options: Any) -> tuple[MethodSpec, ...]:
    """``"rules+neural:runs/x/best.ckpt"`` -> one spec per method, in order.

    A ``+`` inside an argument (a path) stays there: a piece joins the previous one unless it
    starts like a method name followed by ``:`` or the end.
    """
    pieces: list[str] = []
    for piece in text.split("+"):
        if pieces and not re.match(r"^[A-Za-z][\w-]*(:|$)", piece.strip()):
            pieces[-1] += "+" + piece
        else:
            pieces.append(piece)
    specs = tuple(MethodSpec.parse(p, **options) for p in pieces)
    if not specs:
        raise MethodSpecError(f"relation method {text!r} names no method")
    return specs


class RelationMethod:
    """A callable ``Doc -> list[Relation]``; ``doc.spans["kgn_mentions"]`` holds the mentions.

    ``name`` and ``version`` are saved in provenance (the PROV-O software agent), so a method that
    changes what it extracts must bump ``version`` (a learned method puts a digest of its weights
    there). ``pipe`` is the batch hook: a method that runs a model overrides it to handle many
    documents (many candidate pairs) per forward pass; the extractor always calls ``pipe``.
    ``spec`` is the description it was built from (None for an object made by hand).
    """

    name: str = "abstract"
    version: str = "0"
    spec: MethodSpec | None = None

    def __call__(self, doc: Doc) -> list[Relation]:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc]) -> Iterator[list[Relation]]:
        """Relations of each document, in order (default: one call per document)."""
        for doc in docs:
            yield self(doc)

    def key(self) -> str:
        """What ran, for the ledger: name/version, plus a digest of the options if any."""
        digest = self.spec.digest() if self.spec is not None else ""
        return f"{self.name}/{self.version}" + (f"/{digest}" if digest else "")


class CombinedMethod(RelationMethod):
    """Several methods over the same documents (``rules+neural``); each relation keeps the name
    of the method that produced it in ``Relation.method``."""

    def __init__(self, parts: list[RelationMethod]):
        self.parts = list(parts)
        self.name = "+".join(p.name for p in self.parts)
        self.version = "+".join(p.version for p in self.parts)

    def __call__(self, doc: Doc) -> list[Relation]:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[list[Relation]]:
        docs = list(docs)  # every part reads the same batch
        outputs = [list(p.pipe(docs)) for p in self.parts]
        for i in range(len(docs)):
            merged: list[Relation] = []
            for part, out in zip(self.parts, outputs):
                for rel in out[i]:
                    rel.method = rel.method or part.name
                    merged.append(rel)
            yield merged

    def key(self) -> str:
        return "+".join(p.key() for p in self.parts)
