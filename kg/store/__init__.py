"""kgn's triple store: one interface (:class:`Store`), one module per backend.

``open_store(spec)`` picks the backend from the spec:

- a directory path: embedded Oxigraph on disk (the default, ``./kgn-data/store``);
- ``memory``: Oxigraph in memory, for tests and scratch work;
- ``http(s)://...``: a remote SPARQL 1.1 endpoint (its query URL).
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import UnknownNameError
from kg.store.base import QueryResult, Store
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import RemoteStore

DEFAULT_STORE = "./kgn-data/store"

# One explicit name -> class table; ``open_store`` also infers the name from the spec.
BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
    "remote": RemoteStore,
}


def open_store(spec: str | os.PathLike | None = None, *, backend: str | None = None,
               update_url: str | None = None) -> Store:
    """Open the store named by ``spec`` (default: ``$KGN_STORE`` or ``./kgn-data/store``)."""
    spec = str(spec if spec is not None else os.environ.get("KGN_STORE", DEFAULT_STORE))
    if backend is None:
        if spec == "memory":
            backend = "memory"
        elif spec.startswith(("http://", "https://")):
            backend = "remote"
        else:
            backend = "oxigraph"
    if backend not in BACKENDS:
        raise UnknownNameError("store backend", backend, BACKENDS)
    if backend == "memory":
        return MemoryStore()
    if backend == "remote":
        return RemoteStore(spec, update_url)
    return OxigraphStore(Path(spec))


__all__ = ["BACKENDS", "DEFAULT_STORE", "MemoryStore", "OxigraphStore", "QueryResult", "RemoteStore",
           "Store", "open_store"]
