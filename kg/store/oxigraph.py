"""The default backend: Oxigraph embedded on disk (RocksDB), one process at a time."""

from __future__ import annotations

import fcntl
import os
import time
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

import numpy as np
import pyoxigraph as ox

from kg.errors import KgnError, QueryError, ReadOnlyStoreError, StoreInUseError, StoreLocationError
from kg.store._formats import guess_format, is_dataset_format, rdf_format
from kg.store._run import call as run_with_limit
from kg.store._run import stream as stream_with_limit
from kg.store._sparql import inject_values
from kg.store._terms import from_ox, graph_to_ox, to_ox
from kg.store._journal import Journal
from kg.store.base import (
    Quad,
    QueryResult,
    QueryStream,
    Store,
    check_rdf_file,
    check_statement,
    query_syntax_error,
    rdf_errors,
    rdf_input,
    to_ox_quads,
)

JOURNAL = "kgn.journal"
# Keys of the quads each big load wrote (see _LoadRecords), beside the data.
LOAD_RECORDS = "kgn.loads"

# Files over this size are validated in a first streaming pass, then bulk-loaded; smaller ones
# are loaded in one transaction. Both load nothing from a file with a syntax error.
BULK_THRESHOLD_BYTES = 1024 * 1024


class OxigraphStore(Store):
    """pyoxigraph ``Store`` on a directory (``path``) or in memory (``path=None``).

    ``read_only=True`` opens an existing store without write access (read-only media, readers
    beside a dashboard; it never creates one: "no store at PATH"); it shares the lock with other
    readers and excludes a writer, because RocksDB gives no guarantee to a reader while another
    process writes. ``lock_timeout``: seconds to wait for the other holders.
    """

    kind = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float = 0.0):
        super().__init__()
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock_file = None
        # Stamp, change log and settings: beside the data, not in it (see kg.store._journal).
        self._journal = Journal(self.path / JOURNAL if self.path is not None else None, writer=not read_only)
        self._loads = _LoadRecords(self.path / LOAD_RECORDS if self.path is not None else None)
        if self.path is None:
            self._ox = ox.Store()
            return
        _check_location(self.path, read_only)
        self._lock_file = _acquire_lock(self.path, shared=read_only, timeout=lock_timeout)
        try:
            if read_only:
                self._ox = ox.Store.read_only(str(self.path))
            else:
                remove_bulk_leftovers(self.path)
                self._ox = ox.Store(str(self.path))
        except OSError as exc:
            self._release()
            if "lock" in str(exc).lower():
                raise StoreInUseError(f"store {self.path} is in use by another process") from None
            raise KgnError(f"cannot open store {self.path}: {exc}") from None

    @property
    def engine(self) -> ox.Store:
        """The live pyoxigraph store (for adapters such as the rdflib view; write through the
        kgn store, or call ``_changed()`` after writing here)."""
        if self._ox is None:
            raise KgnError("store is closed")
        return self._ox

    # -- reads ---------------------------------------------------------------------------------
    def _engine_query(self, sparql, bindings, prefixes):
        # Oxigraph's own substitution API only binds projected variables, so bindings use the
        # same VALUES injection as the remote backend: one behaviour for every backend.
        text = inject_values(sparql, bindings) if bindings else sparql
        return self._ox.query(text, use_default_graph_as_union=True,
                              prefixes=dict(prefixes) if prefixes else None)

    def _query(self, sparql, bindings, prefixes, timeout) -> QueryResult:
        def run():
            with _query_errors():
                return QueryResult.from_ox(self._engine_query(sparql, bindings, prefixes))

        return run() if timeout is None else run_with_limit(run, timeout)

    def query_stream(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
                     prefixes: Mapping[str, str] | None = None, timeout: float | None = None,
                     federated: bool = False) -> QueryStream:
        """Rows as the engine makes them, from a worker thread: bounded memory, a time limit
        over the whole answer, and Ctrl-C works while the engine is busy."""
        check_statement(sparql, "query", federated)

        def produce():
            with _query_errors():
                result = self._engine_query(sparql, bindings, prefixes)
            if isinstance(result, ox.QueryBoolean):
                return ("ASK", [], bool(result)), ()
            if isinstance(result, ox.QuerySolutions):
                width = len(result.variables)
                rows = (tuple(from_ox(sol[i]) for i in range(width)) for sol in result)
                return ("SELECT", [v.value for v in result.variables], None), _mapped_errors(rows)
            rows = ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result)
            return ("CONSTRUCT", [], None), _mapped_errors(rows)

        (form, names, boolean), items = stream_with_limit(produce, timeout)
        return QueryStream(form, names, boolean, items)

    def select_values(self, sparql: str) -> list[tuple]:
        with _query_errors():  # evaluation is lazy: errors can come while iterating too
            solutions = self._ox.query(sparql, use_default_graph_as_union=True)
            width = len(solutions.variables)
            return [tuple(None if (t := sol[i]) is None else t.value for i in range(width))
                    for sol in solutions]

    def stamp(self) -> str:
        return self._journal.stamp()

    def changes_since(self, stamp: str) -> set[str] | None:
        return self._journal.changes_since(stamp)

    def settings(self) -> dict[str, str]:
        return self._journal.settings()

    def save_setting(self, name: str, value: str) -> None:
        with self._write_errors():
            self._journal.save_setting(name, value)

    def _changed(self, stamped: bool = False, touched=None) -> None:
        self._generation += 1
        self._journal.commit(touched)

    def quads(self, s=None, p=None, o=None, graph: Any = ...) -> Iterator[Quad]:
        g = None if graph is ... else graph_to_ox(graph)
        for q in self._ox.quads_for_pattern(to_ox(s), to_ox(p), to_ox(o), g):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)

    def __len__(self) -> int:
        in_default = sum(1 for _ in self._ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(self._ox) - in_default

    def has_graph(self, graph) -> bool:
        return self._ox.contains_named_graph(to_ox(graph))

    def graphs(self):
        return sorted(from_ox(g) for g in self._ox.named_graphs())

    # -- writes --------------------------------------------------------------------------------
    def _apply_update(self, sparql: str, touched=None) -> None:
        with self._write_errors():
            self._journal.begin()
        self._update(sparql)
        self._changed(touched=touched)

    def _update(self, sparql: str) -> None:
        with self._write_errors():
            try:
                self._ox.update(sparql)
            except SyntaxError as exc:
                raise query_syntax_error(exc, "update") from None
            except (RuntimeError, ValueError) as exc:
                raise QueryError(f"SPARQL update failed: {exc}") from None

    def _insert(self, quads: list) -> None:
        with self._write_errors():
            self._journal.begin()
            self._ox.extend(quads)  # one transaction

    def replace_graph(self, graph, triples) -> None:
        g = to_ox(graph)
        if self._ox.contains_named_graph(g):
            return super().replace_graph(graph, triples)  # DROP + INSERT in one update
        # A new graph (the common case in batch extraction): one insert transaction is already
        # atomic, and skips the cost of writing and parsing SPARQL text.
        self._insert(to_ox_quads((s, p, o, graph) for s, p, o in triples))
        self._changed(touched=[graph])

    def load(self, path, format: str | None = None, graph=None) -> None:
        path = check_rdf_file(path)
        if self.read_only:
            raise ReadOnlyStoreError(f"store {self.path} is open read-only: {path} not loaded")
        if path.stat().st_size < BULK_THRESHOLD_BYTES:
            return super().load(path, format, graph)  # one transaction
        # Big file: a validating pass first (nothing written; it also finds the graphs the file
        # fills), then only the difference to what those graphs hold is written, with the fast
        # bulk loader when the graphs are new. A syntax error therefore loads nothing; a crash
        # while writing can leave the graphs partly loaded, and loading the file again repairs it.
        fmt = rdf_format(format) if format else guess_format(path)
        to_graph = graph_to_ox(graph) if graph is not None else None
        retarget = to_graph is not None and not is_dataset_format(fmt)
        scan = _scan_file(path, fmt, to_graph if retarget else None)
        names = {to_graph} if retarget else scan.names
        existing = [g for g in names if self._ox.contains_named_graph(g)]
        new_keys = np.unique(np.frombuffer(scan.keys, dtype=np.int64))
        record = self._loads.lookup(names, self._journal) if existing else None  # before the stamp moves
        with self._write_errors():
            self._journal.begin()
            if not existing:
                self._bulk_load(path, fmt, to_graph)
            else:
                self._reload(path, fmt, to_graph if retarget else None, scan, new_keys, existing, record)
        self._changed(touched=names)
        if not scan.default:  # the default graph is outside the change log's named graphs
            self._loads.save(names, new_keys, scan.blank, self.stamp())

    def _bulk_load(self, path: Path, fmt, to_graph) -> None:
        if self.path is not None:
            remove_bulk_leftovers(self.path)
        with rdf_input(path) as source:
            # lenient: the strict pass before this one already validated every IRI and literal.
            self._ox.bulk_load(**source, format=fmt, base_iri=path.resolve().as_uri(), to_graph=to_graph,
                               lenient=True)

    def _reload(self, path: Path, fmt, to_graph, scan: _FileScan, new_keys, existing: list, record) -> None:
        """Make ``existing`` graphs hold what the file holds, writing only the difference.

        Deleting from the engine costs far more than bulk loading (several times the first load
        for a whole graph), so loading the same file again must not delete and re-add it all.
        Quads are compared by a 64-bit hash; quads with blank nodes never match (a parse gives
        blank nodes fresh names) and are always replaced.

        Reading the stored quads back costs about as much as the first load (the engine decodes
        every term), so when the last big load into exactly these graphs is still what they hold
        (no write has touched them since, by the change log) its saved keys stand in for them; a
        file that only adds quads then costs one parse. The stored graphs are read only when
        some quad must go.
        """
        def old_quads():
            return (q for g in existing for q in self._ox.quads_for_pattern(None, None, None, g))

        trusted = record is not None and not record[1] and not scan.blank
        old_keys = record[0] if trusted else None
        if not trusted or np.setdiff1d(old_keys, new_keys, assume_unique=True).size:
            # One pass over the stored graphs, a chunk at a time: each chunk's keys are looked up
            # in the file's (sorted) keys, and only the quads that must go are kept; memory holds
            # 8 bytes per stored quad for the keys, one chunk, and the doomed quads.
            stored_keys, doomed, chunk = [], [], []

            def sift(chunk):
                keys = np.fromiter((_key(q) for q in chunk), dtype=np.int64, count=len(chunk))
                pos = np.minimum(np.searchsorted(new_keys, keys), max(len(new_keys) - 1, 0))
                keep = (new_keys[pos] == keys) if len(new_keys) else np.zeros(len(keys), dtype=bool)
                doomed.extend(q for q, k in zip(chunk, keep.tolist()) if not k or _has_bnode(q))
                stored_keys.append(keys)

            for q in old_quads():
                chunk.append(q)
                if len(chunk) >= _WRITE_BATCH:
                    sift(chunk)
                    chunk = []
            if chunk:
                sift(chunk)
            # One small write per quad: the engine's big delete transactions are what make
            # dropping a whole graph slow, and DELETE DATA cannot name blank nodes.
            for q in doomed:
                self._ox.remove(q)
            old_keys = np.unique(np.concatenate(stored_keys)) if stored_keys else np.zeros(0, np.int64)
        missing = set(np.setdiff1d(new_keys, old_keys, assume_unique=True).tolist())
        if not missing and not scan.blank:
            return
        batch = []
        with rdf_input(path) as source:
            for q in ox.parse(**source, format=fmt, base_iri=path.resolve().as_uri(), lenient=True):
                if to_graph is not None:
                    q = ox.Quad(q.subject, q.predicate, q.object, to_graph)
                if _has_bnode(q) or _key(q) in missing:
                    batch.append(q)
                    if len(batch) >= _WRITE_BATCH:
                        self._ox.bulk_extend(batch)
                        batch = []
        if batch:
            self._ox.bulk_extend(batch)

    @contextmanager
    def _write_errors(self):
        """File-system failures while writing (disk full, read-only media) as one clear line."""
        if self.read_only:
            raise ReadOnlyStoreError(f"store {self.path} is open read-only: nothing can be written to it")
        try:
            yield
        except OSError as exc:
            raise KgnError(f"cannot write to store {self.path or '(memory)'}: "
                           f"{exc.strerror or exc}") from None
        except RuntimeError as exc:
            if "read-write" in str(exc):
                raise KgnError(f"store {self.path} is open read-only") from None
            raise

    def dump(self, out: IO[bytes] | str | Path, format: str = "nq") -> None:
        fmt = rdf_format(format)
        if is_dataset_format(fmt):
            self._ox.dump(output=_output(out), format=fmt)
            return
        union = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        ox.serialize(union, output=_output(out), format=fmt)

    def flush(self) -> None:
        if not self.read_only:
            self._ox.flush()

    def close(self) -> None:
        if getattr(self, "_ox", None) is not None:
            if self.path is not None and not self.read_only:
                self._ox.flush()
            del self._ox
            self._ox = None
        self._release()

    def _release(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None


@contextmanager
def _query_errors():
    """Engine failures of a query as kgn errors: syntax, or evaluation."""
    try:
        yield
    except SyntaxError as exc:
        raise query_syntax_error(exc) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"SPARQL query failed: {exc}") from None


def _output(out):
    return str(out) if isinstance(out, (str, Path)) else out


def _acquire_lock(directory: Path, shared: bool = False, timeout: float = 0.0):
    """An advisory lock beside RocksDB's own, so a second process gets a clear message.

    Writers take it exclusively; read-only opens take it shared (the engine's read-only mode is
    undefined while another process writes). On read-only media where no lock file exists and
    none can be made, nobody can write either, so a reader goes on without one. ``timeout``:
    seconds to wait for the other holders to let go (a dashboard's brief reads, a writer's
    transaction) before "in use" is reported.
    """
    lock_path = directory / "kgn.lock"
    try:
        fh = open(lock_path, "r" if shared and not os.access(lock_path, os.W_OK) else "a+")
    except OSError as exc:
        if shared:
            return None
        raise StoreLocationError(f"cannot open store {directory}: {exc.strerror or exc}") from None
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
        fh.seek(0)
        holder = fh.read().strip() or "unknown"
        fh.close()
        raise StoreInUseError(
            f"store {directory} is in use by another process (pid {holder}); "
            "close it or use another --store"
        ) from None
    if shared:
        return fh
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh


def _mapped_errors(rows):
    """Engine errors raised while rows are produced (evaluation is lazy) as kgn errors."""
    with _query_errors():
        yield from rows


_WRITE_BATCH = 100_000  # quads per delete update / bulk insert while re-loading a big file


def _key(q) -> int:
    # The engine's own hash of the quad (computed in Rust: several times faster than hashing its
    # text). Keys are only compared within one process, so a per-process hash is enough.
    return hash(q)


def _has_bnode(q) -> bool:
    return (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
            or isinstance(q.graph_name, ox.BlankNode))


class _LoadRecords:
    """What the last big load into a set of named graphs wrote: the sorted keys of its quads,
    whether it had blank nodes, and the store stamp right after it. Valid while the change log
    shows no write to those graphs since that stamp (any other write, a killed writer or an
    unreadable journal makes it stale), and only for the pyoxigraph version that hashed it.
    ``folder=None`` keeps them in memory."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._memory: dict[str, tuple] = {}

    @staticmethod
    def _name(graphs) -> str:
        import hashlib

        text = "\n".join(sorted(getattr(g, "value", str(g)) for g in graphs))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

    def save(self, graphs, keys, blank: bool, stamp: str) -> None:
        import json

        meta = {"stamp": stamp, "blank": bool(blank), "pyoxigraph": ox.__version__}
        name = self._name(graphs)
        if self.folder is None:
            self._memory[name] = (meta, keys)
            return
        try:
            self.folder.mkdir(exist_ok=True)
            for old in self.folder.glob("*"):
                if old.name.startswith(name) or old.name.startswith(".tmp"):
                    old.unlink()
            # Keys first, meta last: a record without its meta file is never read.
            np.save(self.folder / f"{name}.npy", np.asarray(keys, dtype=np.int64))
            tmp = self.folder / f".tmp-{name}.json"
            tmp.write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp, self.folder / f"{name}.json")
        except OSError:
            pass  # only an optimisation: the next load reads the stored graphs instead

    def lookup(self, graphs, journal: Journal):
        """(keys, blank) of the record for ``graphs`` if it still describes them, else None."""
        import json

        name = self._name(graphs)
        try:
            if self.folder is None:
                meta, keys = self._memory[name]
            else:
                meta = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
                keys = None
        except (KeyError, OSError, ValueError):
            return None
        if meta.get("pyoxigraph") != ox.__version__:
            return None
        since = journal.changes_since(meta.get("stamp", ""))
        if since is None or since & {getattr(g, "value", str(g)) for g in graphs}:
            return None
        if keys is None:
            try:
                keys = np.load(self.folder / f"{name}.npy")
            except (OSError, ValueError):
                return None
        return keys, bool(meta.get("blank"))


@dataclass
class _FileScan:
    names: set = field(default_factory=set)     # named graphs the file fills (quad formats)
    keys: array = field(default_factory=lambda: array("q"))  # keys of quads without blank nodes
    blank: bool = False                          # the file has quads with blank nodes
    default: bool = False                        # the file has quads in the default graph


def _scan_file(path: Path, fmt, to_graph) -> _FileScan:
    """The strict validating pass over a file: graph names, and the keys of its quads."""
    scan = _FileScan()
    with rdf_errors(path, fmt), rdf_input(path) as source:
        for q in ox.parse(**source, format=fmt, base_iri=path.resolve().as_uri()):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                scan.names.add(q.graph_name)
            elif to_graph is None:
                scan.default = True
            if to_graph is not None:
                q = ox.Quad(q.subject, q.predicate, q.object, to_graph)
            if _has_bnode(q):
                scan.blank = True
            else:
                scan.keys.append(_key(q))
    return scan


def remove_bulk_leftovers(directory: Path) -> list[Path]:
    """Delete ``bulk-*.sst`` files a killed bulk load left in the store folder.

    The bulk loader writes these files and hands them to RocksDB at the end; a killed load leaves
    them behind, unused, for ever. Only called while this process holds the store's exclusive
    lock, so no other loader can be writing them.
    """
    removed = []
    for leftover in directory.glob("bulk-*.sst"):
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass  # not ours to fail on: the next open tries again
    return removed


def _check_location(path: Path, read_only: bool) -> None:
    """A store directory, or a place one can be made; otherwise one line saying what is wrong."""
    if path.exists() and not path.is_dir():
        raise StoreLocationError(f"store path {path} is not a directory (it is a file)")
    if read_only:
        if not (path / "CURRENT").is_file():
            raise StoreLocationError(f"no store at {path}")
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreLocationError(f"cannot create a store at {path}: a part of the path is a file") from None
    except OSError as exc:
        raise StoreLocationError(f"cannot create a store at {path}: {exc.strerror or exc}") from None
