"""Errors raised by path search, rule mining and prediction; each names the bad input."""

from __future__ import annotations

import difflib

from kg.errors import AmbiguousEntityError, KgnError, UnknownEntityError

__all__ = ["AmbiguousEntityError", "NoPathError", "RulesFileError", "UnknownEntityError",
           "UnknownRelationError", "close_names"]


def close_names(name: str, choices, n: int = 5) -> list[str]:
    """The known names closest to ``name`` (case-insensitive), best first."""
    choices = sorted(set(choices))
    by_fold: dict[str, str] = {}
    for c in choices:
        by_fold.setdefault(c.casefold(), c)
    hits = difflib.get_close_matches(name.casefold(), list(by_fold), n=n, cutoff=0.5)
    return [by_fold[h] for h in hits]


class UnknownRelationError(KgnError):
    """No relation has this label or IRI."""

    def __init__(self, name: str, choices=()):
        self.name, self.suggestions = name, close_names(name, choices)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown relation {name!r}{hint}")


class NoPathError(KgnError):
    """No path within the hop limit (and filters) joins the two entities."""

    def __init__(self, source: str, target: str, max_len: int):
        self.source, self.target, self.max_len = source, target, max_len
        super().__init__(f"no path within {max_len} hops between {source} and {target}")


class RulesFileError(KgnError):
    """A rules file is missing, unreadable or of an unknown format."""
