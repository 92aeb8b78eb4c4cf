"""kgn's triple store: one interface (:class:`Store`), one module per backend.

``open_store(spec)`` picks the backend from the spec:

- a directory path: embedded Oxigraph on disk (the default, ``./kgn-data/store``);
- ``memory``: Oxigraph in memory, for tests and scratch work;
- ``http(s)://...``: a remote SPARQL 1.1 endpoint (its query URL).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.errors import StoreLocationError, UnknownNameError
from kg.store.base import QueryResult, Store
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import RemoteSettings, RemoteStore

DEFAULT_STORE = "./kgn-data/store"

# One explicit name -> class table; ``open_store`` also infers the name from the spec.
BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
    "remote": RemoteStore,
}


def open_store(spec: str | os.PathLike | None = None, *, backend: str | None = None,
               update_url: str | None = None, read_only: bool = False,
               remote: RemoteSettings | None = None) -> Store:
    """Open the store named by ``spec`` (default: ``$KGN_STORE`` or ``./kgn-data/store``).

    ``read_only``: open an existing embedded store for reading only (never creates one; "no
    store at PATH" when there is none). A spec that looks like a URL must be ``http(s)://``.
    """
    spec = str(spec if spec is not None else os.environ.get("KGN_STORE", DEFAULT_STORE))
    if backend is None:
        backend = backend_for(spec)
    if backend not in BACKENDS:
        raise UnknownNameError("store backend", backend, BACKENDS)
    if backend == "memory":
        return MemoryStore()
    if backend == "remote":
        return RemoteStore(spec, update_url, settings=remote)
    return OxigraphStore(Path(spec), read_only=read_only)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def backend_for(spec: str) -> str:
    """The backend a spec names; a URL of another scheme, or a mistyped one, is refused."""
    if not spec.strip():
        raise StoreLocationError("empty store spec; give a directory, 'memory' or an http(s):// URL")
    if spec == "memory":
        return "memory"
    if re.match(r"^https?://[^/\s]", spec):
        return "remote"
    m = _SCHEME.match(spec)
    if m:
        # "ftp://x", "htp://x", "http:/x", "http:x" would otherwise become directories.
        raise StoreLocationError(f"store {spec!r}: unsupported URL (scheme {m.group(1)!r}); a remote store "
                                 "is http://host:port/query or https://...; a directory needs no scheme "
                                 "(write ./name for a relative path containing ':')")
    return "oxigraph"


__all__ = ["BACKENDS", "DEFAULT_STORE", "backend_for", "MemoryStore", "OxigraphStore", "QueryResult", "RemoteSettings", "RemoteStore",
           "Store", "open_store"]
