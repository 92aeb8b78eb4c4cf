"""The interface every relation method implements (rules now; a neural method plugs in later)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span


@dataclass
class Relation:
    """A relation between two mention spans of a parsed document.

    ``evidence`` is the span of text that states it (used for offsets in provenance);
    ``predicate`` is already normalised (lemma + particle/preposition, lower case).
    """

    subject: Span
    predicate: str
    object: Span
    confidence: float
    kind: str = ""
    negated: bool = False
    evidence: Span | None = None


class RelationMethod:
    """A callable ``Doc -> list[Relation]``; ``doc.spans["kgn_mentions"]`` holds the mentions.

    ``name`` and ``version`` are saved in provenance (the PROV-O software agent), so a method that
    changes what it extracts must bump ``version``.
    """

    name: str = "abstract"
    version: str = "0"

    def __call__(self, doc: Doc) -> list[Relation]:
        raise NotImplementedError
