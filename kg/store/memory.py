"""In-memory backend for tests and scratch work: the same engine as the default, no files."""

from __future__ import annotations

from kg.store.oxigraph import OxigraphStore


class MemoryStore(OxigraphStore):
    """An Oxigraph store held in memory; everything is lost on close."""

    kind = "memory"

    def __init__(self) -> None:
        super().__init__(path=None)
