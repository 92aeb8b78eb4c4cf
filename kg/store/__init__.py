"""kgn's triple store: one interface (:class:`Store`), one module per backend.

``open_store(spec)`` picks the backend from the spec:

- a directory path: embedded Oxigraph on disk (the default, ``./kgn-data/store``);
- ``memory``: Oxigraph in memory, for tests and scratch work;
- ``http(s)://...``: a remote SPARQL 1.1 endpoint (its query URL).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kg.errors import NoStoreError, StoreLocationError, UnknownNameError
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


def is_store_dir(path: Path) -> bool:
    """True when ``path`` holds an embedded store (RocksDB's CURRENT file is there)."""
    return (path / "CURRENT").is_file()


def check_store_dir(path: Path, *, create: bool) -> None:
    """A clear error for a directory spec that cannot be a store (file, device, missing)."""
    if not str(path).strip():
        raise StoreLocationError("store path is empty")
    for parent in [path, *path.parents]:
        if parent.exists() or parent.is_symlink():
            break
    else:
        parent = None
    if parent is not None and parent.exists() and not parent.is_dir():
        mode = parent.stat().st_mode
        what = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a file"
        where = "is" if parent == path else f"is under {parent}, which is"
        raise StoreLocationError(f"store {path} {where} {what}, not a directory")
    if not create and not is_store_dir(path):
        hint = "" if path.exists() else " (the path does not exist)"
        raise NoStoreError(f"no store at {path}{hint}; create one with `kgn import` or `kgn extract`")


def open_store(spec: str | os.PathLike = DEFAULT_STORE, *, backend: str | None = None,
               update_url: str | None = None, read_only: bool = False, lock_timeout: float = 0.0,
               remote: RemoteSettings | None = None) -> Store:
    """Open the store named by ``spec`` (a directory, ``memory``, or an endpoint URL).

    ``read_only``: open an embedded store without write access; a missing one is an error
    (:class:`~kg.errors.NoStoreError`) instead of being created. ``lock_timeout``: seconds to wait
    for another process that holds an embedded store (a writer, or readers when writing);
    ``remote``: time limits and request sizes for an endpoint. Most code opens a
    :func:`kg.workspace.open_workspace`, which calls this.
    """
    spec = str(spec)
    backend = backend or backend_for(spec)
    if backend not in BACKENDS:
        raise UnknownNameError("store backend", backend, BACKENDS)
    if backend == "memory":
        return MemoryStore()
    if backend == "remote":
        return RemoteStore(spec, update_url, settings=remote)
    path = Path(spec).expanduser()
    check_store_dir(path, create=not read_only)
    return OxigraphStore(path, read_only=read_only, lock_timeout=lock_timeout)


__all__ = ["BACKENDS", "DEFAULT_STORE", "MemoryStore", "OxigraphStore", "QueryResult", "RemoteSettings",
           "RemoteStore", "Store", "backend_for", "is_store_dir", "open_store"]
