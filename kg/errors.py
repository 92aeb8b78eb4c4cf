"""Errors that kgn raises on purpose: each names the input and what is wrong with it."""

from __future__ import annotations


class KgnError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero, without a traceback."""


class StoreInUseError(KgnError):
    """Another process holds the embedded store open."""


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


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was abandoned."""


class StoreLocationError(KgnError):
    """A store spec names something that cannot be a store (a file, a missing store, a bad URL)."""
