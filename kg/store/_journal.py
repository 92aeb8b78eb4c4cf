"""The change stamp and change log of an embedded or in-memory store, kept beside its data.

For Oxigraph on disk the journal is a small JSON file in the store's own directory
(``kgn.journal``), written atomically by the one writer the store's lock admits; in memory it is a
dict. (A remote endpoint keeps the same records in its meta graph instead: see
:mod:`kg.store.base`.) Keeping them out of the RDF data means users' SPARQL and the rdflib view
never see kgn's bookkeeping.

Every write first marks the journal *pending* under a new stamp, then writes the data, then
records which named graphs it touched. A process killed in between leaves a moved stamp marked
pending: readers then know something changed, but not what, and rebuild their caches.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

EMPTY_STAMP = "empty"
CHANGE_LOG = 512  # changes remembered, so that a reader this far behind can still update


class Journal:
    """Stamp, change log and store-wide settings; ``path=None`` keeps them in memory."""

    def __init__(self, path: Path | None = None, writer: bool = False):
        self.path = path
        self._state: dict | None = None if path is not None else self._empty()
        # The one writer (it holds the store's exclusive lock) keeps the state in memory after the
        # first read: nobody else changes the file, and re-parsing it twice per write was most of
        # the cost of writing many small documents.
        self._writer = writer

    @staticmethod
    def _empty() -> dict:
        return {"stamp": EMPTY_STAMP, "pending": False, "log": [], "settings": {}}

    def _read(self) -> dict:
        if self.path is None or (self._writer and self._state is not None):
            return self._state
        try:
            state = {**self._empty(), **json.loads(self.path.read_text(encoding="utf-8"))}
        except FileNotFoundError:
            state = self._empty()
        except (OSError, ValueError):
            # Unreadable: treat as "changed, unknown how", so readers rebuild rather than trust it.
            state = {**self._empty(), "stamp": "unreadable", "pending": True}
        if self._writer:
            self._state = state
        return state

    def _write(self, state: dict) -> None:
        if self.path is None:
            self._state = state
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.path)
        if self._writer:
            self._state = state

    # -- readers ------------------------------------------------------------------------------
    def stamp(self) -> str:
        return self._read()["stamp"]

    def changes_since(self, stamp: str) -> set[str] | None:
        state = self._read()
        if state["stamp"] == stamp:
            return set()
        if state["pending"]:
            return None
        out: set[str] = set()
        for entry in reversed(state["log"]):
            if entry["touched"] is None:
                return None
            out.update(entry["touched"])
            if entry["previous"] == stamp:
                return out
        return None  # older than the log remembers

    def settings(self) -> dict[str, str]:
        return dict(self._read()["settings"])

    # -- the writer ---------------------------------------------------------------------------
    def begin(self) -> None:
        """Mark a write under way (before the data is written)."""
        if self._read()["pending"]:
            self.commit(None)  # a writer was killed mid-write: what it changed is unknown
        state = self._read()
        self._write({**state, "previous": state["stamp"], "stamp": uuid.uuid4().hex, "pending": True})

    def commit(self, touched) -> None:
        """Record the write that :meth:`begin` announced: its new stamp and the graphs it touched."""
        state = self._read()
        previous = state.pop("previous", state["stamp"]) if state["pending"] else state["stamp"]
        stamp = state["stamp"] if state["pending"] else uuid.uuid4().hex
        entry = {"stamp": stamp, "previous": previous,
                 "touched": None if touched is None else sorted({getattr(g, "value", str(g)) for g in touched})}
        log = [*state["log"], entry][-CHANGE_LOG:]
        self._write({**state, "stamp": stamp, "pending": False, "log": log})

    def save_setting(self, key: str, value: str) -> None:
        state = self._read()
        self._write({**state, "settings": {**state["settings"], key: value}})
