"""The ledger of finished documents: what lets a killed job resume.

One JSON line per document whose named graph is committed to the store, appended *after* that
commit and fsynced, keyed by (document id, content hash, extractor version). On restart, documents
whose key is in the ledger are skipped; a document written but not yet in the ledger is simply
extracted and written again (``replace_graph`` makes that idempotent). A torn last line (a kill in
mid-write) is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Ledger:
    """Append-only JSONL file of finished documents (``path=None``: kept in memory only)."""

    def __init__(self, path: str | os.PathLike | None, extractor: str):
        self.path = Path(path) if path is not None else None
        self.extractor = extractor
        self.done: set[tuple[str, str]] = set()
        self._fh = None
        if self.path is not None and self.path.exists():
            with open(self.path, "r", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # torn line from a killed writer
                    if isinstance(rec, dict) and rec.get("extractor") == extractor:
                        self.done.add((rec.get("doc"), rec.get("hash")))

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self.done

    def add(self, doc_id: str, content_hash: str, **info) -> None:
        """Record a committed document (buffered; :meth:`sync` makes it durable)."""
        self.done.add((doc_id, content_hash))
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")
            # A torn last line from a killed run must not swallow our first record.
            if self._fh.tell() > 0:
                with open(self.path, "rb") as fh:
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":
                        self._fh.write("\n")
        rec = {"doc": doc_id, "hash": content_hash, "extractor": self.extractor, **info}
        self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def sync(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None
