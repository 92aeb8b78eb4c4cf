"""Errors that kgn raises on purpose: each names the input and what is wrong with it."""

from __future__ import annotations


class KgnError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero, without a traceback."""


class StoreInUseError(KgnError):
    """Another process holds the embedded store open."""


class ReadOnlyStoreError(KgnError):
    """A write was attempted on a store opened read-only."""


class StoreLocationError(KgnError):
    """A store spec names something that cannot be a store (a file, a missing store, a bad URL)."""


class NoStoreError(StoreLocationError):
    """A command that only reads found no store where it was told to look."""


class RdfSyntaxError(KgnError):
    """An RDF file could not be parsed; nothing from it was loaded."""


class QuerySyntaxError(KgnError):
    """A SPARQL query or update is not valid SPARQL."""


class QueryError(KgnError):
    """A valid SPARQL query or update failed while running."""


class EndpointError(KgnError):
    """A remote SPARQL endpoint refused a request or could not be reached."""


class UnknownNameError(KgnError, KeyError):
    """A name looked up in a table of choices (backend, model, method, format) does not exist."""

    def __init__(self, kind: str, name: str, choices):
        self.kind, self.name, self.choices = kind, name, sorted(choices)
        super().__init__(f"unknown {kind} {name!r}; choose one of: {', '.join(self.choices)}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class UnknownEntityError(KgnError, LookupError):
    """No entity has this name (label, alias or IRI); ``suggestions`` holds the closest names."""

    def __init__(self, name: str, suggestions=()):
        self.name, self.suggestions = name, list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")


class AmbiguousEntityError(KgnError, LookupError):
    """Several entities share this name; ``candidates`` lists them as (IRI, description)."""

    def __init__(self, name: str, candidates):
        self.name = name
        self.candidates = [c if isinstance(c, tuple) else (c, c) for c in candidates]
        shown = "; ".join(f"{desc} <{iri}>" if desc != iri else f"<{iri}>" for iri, desc in self.candidates[:10])
        more = f" (and {len(self.candidates) - 10} more)" if len(self.candidates) > 10 else ""
        super().__init__(f"entity name {name!r} is ambiguous; use one of: {shown}{more}")


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was abandoned."""


