"""The workspace: one opened knowledge graph for every face (CLI, Python API, dashboard).

A :class:`Workspace` holds the store, the vocabulary, the store-wide settings (saved *with the
store*, in its meta graph, on first write), the folder for side files, and the caches that depend
on the store's change stamp: the graph index (saved to disk, shared by processes), the entity
resolver and the NetworkX view. Open one with :func:`open_workspace`::

    from kg.workspace import open_workspace

    with open_workspace("./kgn-data/store", read_only=True) as ws:
        idx = ws.index()                  # integer ids, CSR adjacency, labels, aliases, types
        iri = ws.resolve("hinton")        # the one entity resolver
        g = ws.graph()                    # networkx.MultiDiGraph, derived from the index

Side files (:meth:`Workspace.path`) live in ``<store>/kgn/`` for an embedded store (deleting the
store deletes them), in ``./kgn-data/remote-<hash>/`` for an endpoint, and in a temporary folder
for the memory store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgnError, UnknownNameError
from kg.indexing import StoredIndex, build_index, load_index, save_index, update_index
from kg.store import DEFAULT_STORE, backend_for, open_store
from kg.store.base import Store
from kg.vocab import DEFAULT_BASE, Vocab

# Side files by kind: what each face may ask the workspace for.
SIDE_FILES = {
    "ledger": "extract-ledger.jsonl",   # finished documents of extraction jobs (resume)
    "report": "extract-report.jsonl",   # documents skipped by the last extraction job, and why
    "rules": "rules.json",              # mined rules
    "index": "index",                   # saved graph indexes, by change stamp
    "models": "models",                 # trained neural models
    "embeddings": "models/embeddings.ckpt",  # the graph embedding model (kgn embed)
}


@dataclass(frozen=True)
class WorkspaceSettings:
    """Store-wide settings: the one place for them. Saved in the store's meta graph on first
    write and read from there afterwards, so every process and face agrees."""

    base: str = DEFAULT_BASE  # namespace of the IRIs kgn mints (see :mod:`kg.vocab`)

    def __post_init__(self):
        Vocab(self.base)  # validates: an absolute IRI


class SettingsMismatchError(KgnError):
    """A setting given on open disagrees with the one saved in the store."""


class Workspace:
    """An opened knowledge graph: store, vocabulary, settings, side files and cached index."""

    def __init__(self, store: Store, settings: WorkspaceSettings, side_dir: Path, *, spec: str,
                 temporary_side_dir: bool = False):
        self.store = store
        self.settings = settings
        self.vocab = Vocab(settings.base)
        self.spec = spec
        self.side_dir = side_dir
        self._temporary = temporary_side_dir
        self._stored: StoredIndex | None = None
        self._stored_stamp: str | None = None
        self._graph = None
        self._graph_key = None

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    # -- side files ---------------------------------------------------------------------------
    def path(self, kind: str) -> Path:
        """Where side files of ``kind`` (see :data:`SIDE_FILES`) live; folders are created."""
        if kind not in SIDE_FILES:
            raise UnknownNameError("side-file kind", kind, SIDE_FILES)
        target = self.side_dir / SIDE_FILES[kind]
        folder = target if "." not in SIDE_FILES[kind] else target.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # read-only media: readers still get the path; writers get a clear error later
        return target

    # -- change stamp and caches ---------------------------------------------------------------
    def stamp(self) -> str:
        """The store's change stamp: it moves with every write by any kgn process."""
        return self.store.stamp()

    def _stored_index(self) -> StoredIndex:
        stamp = self.store.stamp()  # before reading any data (see kg.store.base)
        if self._stored is not None and self._stored_stamp == stamp:
            return self._stored
        folder = self.path("index")
        loaded = None
        if self._stored is not None:
            loaded = (self._stored_stamp, self._stored)
        else:
            loaded = load_index(folder, stamp) or load_index(folder)
        stored = None
        if loaded is not None:
            old_stamp, old = loaded
            if old_stamp == stamp:
                stored = old
            else:
                touched = self.store.changes_since(old_stamp)
                if touched is not None:
                    stored = update_index(old, self.store, self.vocab, touched)
                if stored is not None:
                    save_index(stored, folder, stamp)
        if stored is None:
            stored = build_index(self.store, self.vocab)
            save_index(stored, folder, stamp)
        self._stored, self._stored_stamp = stored, stamp
        return stored

    def index(self, include_inferred: bool = True):
        """The graph index (:class:`~kg.reason.index.TripleIndex`) of the store as it is now:
        loaded from the saved copy when the stamp has not moved, updated from the change log when
        documents were only added, rebuilt otherwise. ``include_inferred=False`` leaves out the
        triples that only ``kgn infer`` stated."""
        return self._stored_index().view(include_inferred)

    def resolver(self):
        from kg.resolve import resolver_for

        return resolver_for(self.index())

    def resolve(self, name: str) -> str:
        """The IRI of the one entity ``name`` (label, alias, any case, or IRI) denotes."""
        return self.resolver().resolve_iri(name)

    def graph(self, include_inferred: bool = True):
        """The NetworkX view (``MultiDiGraph``), derived from the index on demand and cached."""
        from kg.view import graph_from_index

        stored = self._stored_index()
        key = (self._stored_stamp, include_inferred)
        if self._graph is None or self._graph_key != key:
            self._graph = graph_from_index(stored.index, stored.inferred, include_inferred)
            self._graph_key = key
        return self._graph

    # -- life cycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()
        if self._temporary:
            shutil.rmtree(self.side_dir, ignore_errors=True)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.spec!r}, read_only={self.read_only})"


def side_dir_for(spec: str) -> Path | None:
    """The side-file folder of a store spec (``None`` for the memory store: a temporary one)."""
    kind = backend_for(spec)
    if kind == "memory":
        return None
    if kind == "remote":
        tag = hashlib.sha1(spec.encode("utf-8")).hexdigest()[:10]
        return Path("kgn-data") / f"remote-{tag}"
    return Path(spec).expanduser() / "kgn"


def open_workspace(spec: str | os.PathLike = DEFAULT_STORE, *, read_only: bool = False,
                   update_url: str | None = None, base: str | None = None,
                   side_dir: str | os.PathLike | None = None, lock_timeout: float = 0.0) -> Workspace:
    """Open the knowledge graph at ``spec``: a directory (embedded store), ``memory``, or a
    SPARQL endpoint URL. This is the one way every face opens a graph.

    ``read_only``: never write (a missing embedded store is an error, not created).
    ``base``: the namespace for a *new* store; an existing store keeps the one saved with it,
    and a different ``base`` is refused rather than silently mixing namespaces.
    ``lock_timeout``: seconds to wait while another process holds an embedded store.
    """
    spec = str(spec)
    if base is not None:
        WorkspaceSettings(base)  # a clear error for a bad value before anything is created
    store = open_store(spec, update_url=update_url, read_only=read_only, lock_timeout=lock_timeout)
    try:
        saved = store.settings()
        settings = WorkspaceSettings(Vocab(saved.get("base", base or DEFAULT_BASE)).base)
        if base is not None and settings.base != Vocab(base).base:
            raise SettingsMismatchError(
                f"store {spec} uses base namespace {settings.base!r}; --base {base!r} differs "
                "(a store keeps the base it was created with)")
        if "base" not in saved and not store.read_only:
            store.save_setting("base", settings.base)
    except BaseException:
        store.close()
        raise
    folder = side_dir if side_dir is not None else side_dir_for(spec)
    temporary = folder is None
    if temporary:
        folder = tempfile.mkdtemp(prefix="kgn-workspace-")
    return Workspace(store, settings, Path(folder), spec=spec, temporary_side_dir=temporary)


__all__ = ["SIDE_FILES", "SettingsMismatchError", "Workspace", "WorkspaceSettings", "open_workspace",
           "side_dir_for"]
