"""The default backend: Oxigraph embedded on disk (RocksDB), one process at a time."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import KgnError, QueryError, ReadOnlyStoreError, StoreInUseError
from kg.store._formats import guess_format, is_dataset_format, rdf_format
from kg.store._sparql import inject_values
from kg.store._terms import from_ox, graph_to_ox, to_ox
from kg.store._journal import Journal
from kg.store.base import QueryResult, Quad, Store, query_syntax_error, rdf_errors, to_ox_quads

JOURNAL = "kgn.journal"

# Files over this size are validated in a first streaming pass, then bulk-loaded; smaller ones
# are loaded in one transaction. Both load nothing from a file with a syntax error.
BULK_THRESHOLD_BYTES = 1024 * 1024


class OxigraphStore(Store):
    """pyoxigraph ``Store`` on a directory (``path``) or in memory (``path=None``).

    ``read_only=True`` opens an existing store without write access (read-only media, readers
    beside a dashboard); it shares the lock with other readers and excludes a writer, because
    RocksDB gives no guarantee to a reader while another process writes.
    """

    kind = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float = 0.0):
        super().__init__()
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock_file = None
        # Stamp, change log and settings: beside the data, not in it (see kg.store._journal).
        self._journal = Journal(self.path / JOURNAL if self.path is not None else None)
        if self.path is None:
            self._ox = ox.Store()
            return
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)
        self._lock_file = _acquire_lock(self.path, shared=read_only, timeout=lock_timeout)
        try:
            self._ox = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
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
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              prefixes: Mapping[str, str] | None = None) -> QueryResult:
        # Oxigraph's own substitution API only binds projected variables, so bindings use the
        # same VALUES injection as the remote backend: one behaviour for every backend.
        text = inject_values(sparql, bindings) if bindings else sparql
        with _query_errors():
            result = self._ox.query(text, use_default_graph_as_union=True,
                                    prefixes=dict(prefixes) if prefixes else None)
            return QueryResult.from_ox(result)

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
        self._writable()
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
    def update(self, sparql: str, *, touched=None) -> None:
        self._writable()
        self._journal.begin()
        self._update(sparql)
        self._changed(touched=touched)

    def _update(self, sparql: str) -> None:
        self._writable()
        try:
            self._ox.update(sparql)
        except SyntaxError as exc:
            raise query_syntax_error(exc, "update") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"SPARQL update failed: {exc}") from None

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(f"store {self.path} is open read-only; this command cannot write to it")

    def _insert(self, quads: list) -> None:
        self._writable()
        self._journal.begin()
        self._ox.extend(quads)  # one transaction

    def replace_graph(self, graph, triples) -> None:
        g = to_ox(graph)
        if self._ox.contains_named_graph(g):
            return super().replace_graph(graph, triples)  # DROP + INSERT in one update
        # A new graph (the common case in batch extraction): one insert transaction is already
        # atomic, and skips the cost of writing and parsing SPARQL text.
        self._writable()
        self._journal.begin()
        self._ox.extend(to_ox_quads((s, p, o, graph) for s, p, o in triples))
        self._changed(touched=[graph])

    def load(self, path, format: str | None = None, graph=None) -> None:
        path = Path(path)
        self._writable()
        if not path.is_file():
            raise KgnError(f"{path}: no such file")
        if path.stat().st_size < BULK_THRESHOLD_BYTES:
            return super().load(path, format, graph)  # one transaction
        # Big file: a validating pass first (nothing written; it also finds the graphs the file
        # fills), then those graphs are emptied and the fast bulk loader runs. A syntax error
        # therefore loads nothing; a crash during the bulk load can leave the graph partly
        # loaded, and loading the file again repairs it.
        fmt = rdf_format(format) if format else guess_format(path)
        to_graph = graph_to_ox(graph) if graph is not None else None
        base = path.resolve().as_uri()
        names = set()
        with rdf_errors(path, fmt):
            for q in ox.parse(path=str(path), format=fmt, base_iri=base):
                if not isinstance(q.graph_name, ox.DefaultGraph):
                    names.add(q.graph_name)
        if to_graph is not None and not is_dataset_format(fmt):
            names = {to_graph}
        self._journal.begin()
        for name in names:
            self._ox.remove_graph(name)
        # lenient: the strict pass above already validated every IRI and literal.
        self._ox.bulk_load(path=str(path), format=fmt, base_iri=base, to_graph=to_graph, lenient=True)
        self._changed(touched=names)

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

    Writers hold it exclusively; read-only openers share it (and leave the pid of the last writer
    in the file). A lock file that cannot be created (read-only media) is no lock: then nobody
    can write there either. ``timeout``: seconds to wait for the other holders to let go (a
    dashboard's brief reads, a writer's transaction) before "in use" is reported.
    """
    lock_path = directory / "kgn.lock"
    try:
        fh = open(lock_path, "a+" if not shared else "r")
    except FileNotFoundError:
        if shared:
            return None
        raise
    except PermissionError:
        if shared:
            return None
        raise KgnError(f"store {directory} is not writable (permission denied on {lock_path})") from None
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
