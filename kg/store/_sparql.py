"""A small SPARQL lexer: enough to pre-bind variables with a ``VALUES`` block, safely.

Used where the engine offers no substitution API (remote endpoints). Terms are written by the
engine's N-Triples serialiser, so user text can never change the shape of the query.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from kg.errors import QuerySyntaxError
from kg.store._terms import nt

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_]+")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _braces(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Positions of ``{``/``}`` and of bare keywords, outside strings, IRIs and comments."""
    braces, words = [], []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise QuerySyntaxError("invalid SPARQL query: unterminated string")
            i = j + len(quote)
        elif c == "<" and (m := _IRI.match(text, i)):
            i = m.end()
        elif c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
        elif c in "{}":
            braces.append((i, c))
            i += 1
        elif c.isalpha():
            m = re.compile(r"[A-Za-z0-9_:\-.]+").match(text, i)
            words.append((i, m.group(0).upper()))
            i = m.end()
        else:
            i += 1
    return braces, words


def inject_values(query: str, bindings: Mapping[str, Any]) -> str:
    """``query`` with ``VALUES (?a ?b) { (t1 t2) }`` at the start of its WHERE group."""
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VAR.match(name):
            raise QuerySyntaxError(f"invalid SPARQL variable name for a binding: {name!r}")
    braces, words = _braces(query)
    forms = [(pos, w) for pos, w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")]
    if not forms or not braces:
        raise QuerySyntaxError("invalid SPARQL query: no query form with a WHERE group")
    form_pos, form = forms[0]
    opens = [(p, b) for p, b in braces if p > form_pos]
    index = 0
    if form == "CONSTRUCT":
        between = query[form_pos + len("CONSTRUCT"): opens[0][0]] if opens else ""
        if between.strip() == "" and not any(w == "WHERE" for p, w in words
                                             if form_pos < p < opens[0][0]):
            # CONSTRUCT { template } WHERE { ... }: skip the balanced template group.
            depth = 0
            for k, (_, b) in enumerate(opens):
                depth += 1 if b == "{" else -1
                if depth == 0:
                    index = k + 1
                    break
            if index >= len(opens):  # short form "CONSTRUCT WHERE" handled above; malformed here
                raise QuerySyntaxError("invalid SPARQL query: CONSTRUCT without WHERE group")
    pos, brace = opens[index]
    if brace != "{":
        raise QuerySyntaxError("invalid SPARQL query: unbalanced braces")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(nt(bindings[n]) for n in names)
    block = f"\n  VALUES ({head}) {{ ({row}) }}\n"
    return query[: pos + 1] + block + query[pos + 1:]


def declares_dataset(query: str) -> bool:
    """Whether ``query`` names its own dataset with ``FROM`` / ``FROM NAMED``.

    ``FROM`` is only a keyword in dataset clauses (strings, IRIs, comments, variables and prefixed
    names are skipped by the lexer). Engines' "union default graph" options override such
    clauses, so callers drop the option for these queries.
    """
    return any(w == "FROM" for _, w in _braces(query)[1])


# Update operations (SPARQL 1.1 Update, section 3); a statement starting with one is an update.
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                          "WITH"})
_PROLOGUE = frozenset({"PREFIX", "BASE"})


def statement_kind(text: str) -> str | None:
    """``"update"`` or ``"query"`` by the first keyword after the prologue; ``None`` if unknown."""
    try:
        _, words = _braces(text)
    except QuerySyntaxError:
        return None
    skip_next = False
    for _, word in words:
        if skip_next:  # the prefix name after PREFIX ("E:")
            skip_next = False
            continue
        if word in _PROLOGUE:
            skip_next = word == "PREFIX"
            continue
        if word in UPDATE_WORDS:
            return "update"
        return "query" if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") else None
    return None


def federated_keywords(text: str) -> set[str]:
    """The keywords in ``text`` that make the engine fetch URLs: ``SERVICE`` and ``LOAD``.

    Found by the lexer above, so the words inside strings, IRIs, comments and variable names do
    not count.
    """
    try:
        _, words = _braces(text)
    except QuerySyntaxError:
        return set()  # the engine reports the syntax error itself
    return {w for _, w in words if w in ("SERVICE", "LOAD")}
