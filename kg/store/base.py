"""The one triple-store interface every backend implements.

Terms in and out are rdflib terms (``URIRef``, ``Literal``, ``BNode``); a graph name of ``None``
means the default graph. Queries see the *union* of all graphs as their default graph, so a user's
``SELECT * { ?s ?p ?o }`` finds every document's triples.
"""

from __future__ import annotations

import abc
import csv
import io
import itertools
import json
import re
import stat
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.errors import KgnError, QueryError, QuerySyntaxError, RdfSyntaxError
from kg.store._formats import guess_format, is_dataset_format, rdf_format
from kg.store._sparql import federated_keywords, statement_kind
from kg.store._terms import from_ox, graph_to_ox, nt, to_ox
from kg.vocab import KGN, META_GRAPH, WORKSPACE

# The change stamp: one literal in the workspace's meta graph, replaced by every write that goes
# through kgn (any process, any backend), so a reader compares one short string to know whether
# its caches (graph index, views, dashboards) are stale. Readers must read it *before* the data.
# Each write also leaves a small change record (its stamp, the previous stamp, the named graphs it
# touched, or "all"), so a reader holding an index of an older stamp can update it from the
# touched graphs alone; only the last CHANGE_LOG records are kept.
STAMP = KGN.stamp
SEQ = KGN.seq
_STAMP_WHERE = f"GRAPH <{META_GRAPH}> {{ <{WORKSPACE}> <{STAMP}> ?stamp }}"
EMPTY_STAMP = "empty"
CHANGE_LOG = 512
CHANGE_NS = "urn:kgn:change:"


def stamp_update(token: str, touched: Iterable | None = None) -> str:
    """The SPARQL update that moves the stamp to ``token`` and records what the write touched.

    ``touched``: the named graphs the write changed, or ``None`` for "unknown: maybe all".
    """
    m, ws = f"<{META_GRAPH}>", f"<{WORKSPACE}>"
    change = f"<{CHANGE_NS}{token}>"
    if touched is None:
        what = f"{change} <{KGN.touchedAll}> true ."
    else:
        graphs = sorted({_graph_nt(g) for g in touched})
        what = " ".join(f"{change} <{KGN.touched}> {g} ." for g in graphs)
    return (
        f"DELETE {{ GRAPH {m} {{ {ws} <{STAMP}> ?old . {ws} <{SEQ}> ?n }} }}\n"
        f"INSERT {{ GRAPH {m} {{ {ws} <{STAMP}> \"{token}\" . {ws} <{SEQ}> ?n1 .\n"
        f"  {change} <{SEQ}> ?n1 ; <{KGN.previous}> ?prev . {what} }} }}\n"
        f"WHERE {{ OPTIONAL {{ GRAPH {m} {{ {ws} <{STAMP}> ?old ; <{SEQ}> ?n }} }}\n"
        f"  BIND(COALESCE(?n, 0) + 1 AS ?n1) BIND(COALESCE(?old, \"{EMPTY_STAMP}\") AS ?prev) }} ;\n"
        f"DELETE {{ GRAPH {m} {{ ?c ?p ?o }} }} WHERE {{ GRAPH {m} {{ {ws} <{SEQ}> ?n . ?c <{SEQ}> ?k ; ?p ?o }}\n"
        f"  FILTER(?c != {ws} && ?k <= ?n - {CHANGE_LOG}) }}"
    )


def _graph_nt(graph) -> str:
    """A graph name (rdflib or pyoxigraph term) in N-Triples syntax."""
    return str(graph if isinstance(graph, ox.NamedNode) else graph_to_ox(graph))


def with_stamp(sparql: str, token: str, touched: Iterable | None = None) -> str:
    """``sparql`` followed, in the same request (one transaction), by the stamp's move."""
    text = sparql.rstrip()
    sep = "\n" if text.endswith(";") else "\n;\n"  # a newline first: the text may end in a comment
    return f"{text}{sep}{stamp_update(token, touched)}"


def new_token() -> str:
    return uuid.uuid4().hex

Triple = tuple[Any, Any, Any]
_META_OX = ox.NamedNode(str(META_GRAPH))
Quad = tuple[Any, Any, Any, Any]


@dataclass
class QueryResult:
    """The answer to a SPARQL query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT."""

    form: str  # "SELECT", "ASK" or "CONSTRUCT"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows if self.form == "SELECT" else self.triples)

    def __len__(self) -> int:
        return len(self.rows if self.form == "SELECT" else self.triples)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def dicts(self) -> list[dict[str, Any]]:
        """SELECT rows as ``{var: term}`` dicts, unbound variables left out."""
        return [{v: t for v, t in zip(self.vars, row) if t is not None} for row in self.rows]

    @classmethod
    def from_ox(cls, result) -> "QueryResult":
        if isinstance(result, ox.QueryBoolean):
            return cls("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = [tuple(from_ox(sol[i]) for i in range(len(names))) for sol in result]
            return cls("SELECT", vars=names, rows=rows)
        return cls("CONSTRUCT", triples=[(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                                         for t in result])

    # -- output -------------------------------------------------------------------------------
    def to_csv(self) -> str:
        buf = io.StringIO()
        write_csv(self, buf)
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON for SELECT/ASK; a list of N-Triples terms for CONSTRUCT."""
        buf = io.StringIO()
        write_json(self, buf)
        return buf.getvalue()

    def to_table(self, max_width: int = 60) -> str:
        buf = io.StringIO()
        write_table(self, buf, max_width=max_width, sample=None)
        return buf.getvalue().rstrip("\n")


@dataclass
class QueryStream:
    """A query answer read as it is produced: SELECT rows or CONSTRUCT triples one by one.

    Iterate it once; the output writers below take it as they take a :class:`QueryResult`.
    """

    form: str
    vars: list[str] = field(default_factory=list)
    boolean: bool | None = None
    items: Iterable = ()

    def __iter__(self):
        return iter(self.items)


def _header(res) -> list[str]:
    return res.vars if res.form == "SELECT" else ["subject", "predicate", "object"]


def write_csv(res, out: IO[str]) -> None:
    """CSV, one line per row as rows come (``res``: a QueryResult or a QueryStream)."""
    writer = csv.writer(out, lineterminator="\n")
    if res.form == "ASK":
        writer.writerows([["boolean"], ["true" if res.boolean else "false"]])
        return
    writer.writerow(_header(res))
    for row in res:
        writer.writerow(["" if t is None else str(t) for t in row])


def write_json(res, out: IO[str]) -> None:
    """SPARQL 1.1 Query Results JSON (SELECT/ASK) or a list of N-Triples terms (CONSTRUCT), streamed."""
    if res.form == "ASK":
        out.write(json.dumps({"head": {}, "boolean": bool(res.boolean)}))
        return
    if res.form == "SELECT":
        out.write(json.dumps({"head": {"vars": res.vars}})[:-1] + ', "results": {"bindings": [')
        rows = ({v: _json_term(t) for v, t in zip(res.vars, row) if t is not None} for row in res)
        close = "]}}"
    else:
        out.write("[")
        rows = ([nt(t) for t in tr] for tr in res)
        close = "]"
    for i, row in enumerate(rows):
        out.write((", " if i else "") + json.dumps(row, ensure_ascii=False))
    out.write(close)


def write_table(res, out: IO[str], max_width: int = 60, sample: int | None = 1000) -> None:
    """An aligned text table. Column widths come from the first ``sample`` rows (``None``: all),
    so a long answer is printed as it comes instead of being held in memory."""
    if res.form == "ASK":
        out.write("true\n" if res.boolean else "false\n")
        return
    header = _header(res)
    rows = iter(res)
    cells = lambda row: ["" if t is None else _short(t, max_width) for t in row]  # noqa: E731
    first = [cells(r) for r in (rows if sample is None else itertools.islice(rows, sample))]
    widths = [max([len(h)] + [len(r[i]) for r in first]) for i, h in enumerate(header)]
    line = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths)) + "\n"  # noqa: E731
    out.write(line(header) + "-+-".join("-" * w for w in widths) + "\n")
    n = 0
    for n, r in enumerate(itertools.chain(first, map(cells, rows)), 1):  # noqa: B007 - n is the row count
        out.write(line(r))
    out.write(f"({n} row{'s' if n != 1 else ''})\n")


def _short(term, width: int) -> str:
    text = str(term).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_term(term) -> dict:
    o = to_ox(term)
    if isinstance(o, ox.NamedNode):
        return {"type": "uri", "value": o.value}
    if isinstance(o, ox.BlankNode):
        return {"type": "bnode", "value": o.value}
    out = {"type": "literal", "value": o.value}
    if o.language:
        out["xml:lang"] = o.language
    elif o.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = o.datatype.value
    return out


def to_ox_quads(quads: Iterable[Quad]) -> list:
    """rdflib-term quads (graph ``None``: the default graph) as pyoxigraph quads."""
    # A document's quads repeat a few IRIs (predicates, its graph, its entities) many times:
    # converting each once halves the cost of a batch job's writes.
    iris: dict[str, Any] = {}

    def term(t):
        if type(t) is URIRef:
            out = iris.get(t)
            if out is None:
                out = iris[t] = to_ox(t)
            return out
        return to_ox(t)

    return [ox.Quad(term(s), term(p), term(o), ox.DefaultGraph() if g is None else term(g)) for s, p, o, g in quads]


def data_update(quads: list, verb: str = "INSERT DATA", drop=()) -> str:
    """One SPARQL update: ``DROP SILENT GRAPH`` for each graph in ``drop``, then ``verb`` quads.

    ``quads`` are pyoxigraph quads; their ``str()`` is the engine's escaped N-Triples syntax, so
    no text from the data can change the update's shape.
    """
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    ops = [f"DROP SILENT GRAPH {g}" for g in sorted({str(graph_to_ox(g)) for g in drop})]
    if by_graph:
        body = "\n".join("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}"
                         for g, lines in by_graph.items())
        ops.append(f"{verb} {{\n{body}\n}}")
    return " ;\n".join(ops)


@contextmanager
def rdf_errors(path: Path, fmt: ox.RdfFormat):
    """Parser failures as :class:`RdfSyntaxError` naming the file and the line."""
    try:
        yield
    except SyntaxError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
        where = f"line {line}, column {col}" if line else "unknown position"
        raise RdfSyntaxError(f"{path}: {where}: {getattr(exc, 'msg', exc)}") from None
    except UnicodeDecodeError as exc:
        raise RdfSyntaxError(f"{path}: not UTF-8 text: {exc}") from None
    except MemoryError:
        # The engine's parser holds one term (or one N-Triples line) in a buffer of at most 16 MB.
        raise RdfSyntaxError(f"{path}: a term or line longer than the parser's 16 MB limit "
                             "(split the literal or keep it out of the graph)") from None
    except (OSError, ValueError) as exc:
        raise RdfSyntaxError(f"{path}: cannot read as {fmt.name}: {exc}") from None


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")
_BOM = b"\xef\xbb\xbf"


def check_rdf_file(path: str | Path) -> Path:
    """``path`` if it is a regular file kgn can read; otherwise a one-line error naming it.

    URLs are refused (kgn never fetches data), and so are FIFOs and devices, which would block
    or never end.
    """
    text = str(path)
    if _URL.match(text):
        raise KgnError(f"{text}: URLs are not fetched; download the file and import the local copy")
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise KgnError(f"{p}: no such file") from None
    except OSError as exc:
        raise KgnError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise KgnError(f"{p}: not a regular file")
    return p


@contextmanager
def rdf_input(path: Path):
    """Keyword arguments that make the engine read ``path``, past a UTF-8 byte order mark.

    The engine's parsers reject a BOM; most files have none and are read by path (fastest).
    """
    with open(path, "rb") as fh:
        if fh.read(3) != _BOM:
            fh.close()
            yield {"path": str(path)}
            return
        yield {"input": fh}


def parse_file(path: str | Path, format: str | None = None, graph=None) -> tuple[ox.RdfFormat, list]:
    """Parse a whole RDF file into pyoxigraph quads; a syntax error names the file and line."""
    path = check_rdf_file(path)
    fmt = rdf_format(format) if format else guess_format(path)
    to_graph = graph_to_ox(graph) if graph is not None else None
    with rdf_errors(path, fmt), rdf_input(path) as source:
        quads = list(ox.parse(**source, format=fmt, base_iri=path.resolve().as_uri()))
    if to_graph is not None and not is_dataset_format(fmt):
        quads = [ox.Quad(q.subject, q.predicate, q.object, to_graph) for q in quads]
    return fmt, quads


def query_syntax_error(exc: Exception, kind: str = "query") -> QuerySyntaxError:
    # The engine's message can span lines and list every expected token: one line, shortened.
    text = " ".join(str(exc).split())
    return QuerySyntaxError(f"invalid SPARQL {kind}: {text if len(text) <= 300 else text[:299] + '…'}")


# Cheap first looks, so the (Python) lexer only runs on text that may hold one of these words.
_UPDATE_HINT = re.compile(r"(?i)\b(insert|delete|load|clear|create|drop|copy|move|add|with)\b")
_FETCH_HINT = re.compile(r"(?i)\b(service|load)\b")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_statement(sparql: str, kind: str, federated: bool = False) -> None:
    """Refuse what a ``kind`` ("query"/"update") call must not run, before the engine sees it.

    An update given as a query is named as such (the engine would only say what it expected);
    ``SERVICE``/``LOAD`` make the store fetch URLs and are refused unless ``federated``.
    """
    if kind == "query" and _UPDATE_HINT.search(sparql) and statement_kind(sparql) == "update":
        raise QuerySyntaxError("this is a SPARQL update, and queries never change the store: "
                               "run it with `kgn update` (Store.update in Python)")
    if "\\u" in sparql or "\\U" in sparql:  # SPARQL lets \uXXXX spell any character, keywords too
        sparql = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    if not federated and _FETCH_HINT.search(sparql) and (words := federated_keywords(sparql)):
        raise QueryError(f"{' and '.join(sorted(words))} (federated {kind}: the store would fetch URLs) "
                         "is turned off; allow it with --federated (federated=True in Python)")


class Store(abc.ABC):
    """A quad store: named graphs of triples, SPARQL 1.1 query/update, bulk import/export.

    Every write moves the *change stamp* (:meth:`stamp`), a token stored with the data, so
    readers in this or any other process know cheaply whether caches are stale, and
    :meth:`changes_since` says which named graphs moved. Store-wide settings
    (:meth:`settings`) are stored the same way. Here, for a remote endpoint, both live in the
    meta graph, the stamp written in the same update request as the data where the write is an
    update (:func:`with_stamp`); the embedded backends keep them in a journal beside the data
    (:mod:`kg.store._journal`). ``generation`` counts the writes made through this object.
    """

    kind: str = "abstract"
    read_only: bool = False

    def __init__(self) -> None:
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def stamp(self) -> str:
        """The store's change stamp: a token that changes with every write through kgn."""
        rows = self.select_values(f"SELECT ?stamp WHERE {{ {_STAMP_WHERE} }}")
        return rows[0][0] if rows else EMPTY_STAMP

    def changes_since(self, stamp: str) -> set[str] | None:
        """Named graphs (IRI strings) written since ``stamp``; ``None`` when that is unknown.

        Unknown means: a write that may have touched anything (a SPARQL update), or ``stamp`` is
        older than the change log keeps. A reader then rebuilds instead of updating.
        """
        if stamp == self.stamp():
            return set()
        rows = self.select_values(
            f"SELECT ?c ?prev ?g ?all WHERE {{ GRAPH <{META_GRAPH}> {{ ?c <{KGN.previous}> ?prev "
            f"OPTIONAL {{ ?c <{KGN.touched}> ?g }} OPTIONAL {{ ?c <{KGN.touchedAll}> ?all }} }} }}")
        previous, touched, unknown = {}, {}, set()
        for c, prev, g, every in rows:
            token = c[len(CHANGE_NS):]
            previous[token] = prev
            touched.setdefault(token, set())
            if g is not None:
                touched[token].add(g)
            if every is not None:
                unknown.add(token)
        out: set[str] = set()
        token = self.stamp()
        while token != stamp:
            if token not in previous or token in unknown:
                return None
            out |= touched[token]
            token = previous[token]
        return out

    def settings(self) -> dict[str, str]:
        """Store-wide settings saved with the store (name -> value), e.g. ``base``."""
        rows = self.select_values(f"SELECT ?p ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{WORKSPACE}> ?p ?v }} }}")
        return {p[len(str(KGN)):]: v for p, v in rows
                if v is not None and p.startswith(str(KGN)) and p not in (str(STAMP), str(SEQ))}

    def save_setting(self, name: str, value: str) -> None:
        """Save one store-wide setting (``value``: plain text, kept as a literal)."""
        pred = f"<{KGN[name]}>"
        self.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{WORKSPACE}> {pred} ?v }} }} ;\n"
                    f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{WORKSPACE}> {pred} {nt(Literal(value))} }} }}",
                    touched=[])

    def _changed(self, stamped: bool = False, touched: Iterable | None = None) -> None:
        """Record a write; ``stamped``: the write's own transaction already moved the stamp.

        ``touched``: the named graphs written (``None``: unknown), kept in the change log.
        """
        self._generation += 1
        if not stamped:
            self._update(stamp_update(new_token(), touched))

    # -- primitives each backend provides -----------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              prefixes: Mapping[str, str] | None = None, timeout: float | None = None,
              federated: bool = False) -> QueryResult:
        """Run a SPARQL query.

        ``bindings`` pre-bind variables to terms: they reach the engine as a ``VALUES`` block
        written by the engine's escaping, so user text never changes the query's shape.
        ``prefixes`` are predeclared prefixes (name -> namespace IRI). ``timeout``: seconds
        (``None``: no limit; with a limit the query can also be stopped with Ctrl-C).
        ``federated``: allow ``SERVICE`` clauses, which make the store fetch URLs (off by default).
        """
        check_statement(sparql, "query", federated)
        return self._query(sparql, bindings, prefixes, timeout)

    def query_stream(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
                     prefixes: Mapping[str, str] | None = None, timeout: float | None = None,
                     federated: bool = False) -> QueryStream:
        """Like :meth:`query`, but rows come as the engine produces them (bounded memory where
        the backend can stream; ``timeout`` covers the whole answer)."""
        res = self.query(sparql, bindings, prefixes=prefixes, timeout=timeout, federated=federated)
        return QueryStream(res.form, res.vars, res.boolean, iter(res))

    @abc.abstractmethod
    def _query(self, sparql: str, bindings: Mapping[str, Any] | None, prefixes: Mapping[str, str] | None,
               timeout: float | None) -> QueryResult:
        """The backend's query, after :func:`check_statement`."""

    def select_values(self, sparql: str) -> list[tuple]:
        """SELECT rows as plain strings (IRI, literal lexical form, or None for unbound).

        For bulk reads such as the NetworkX projection, where building rdflib terms for every
        cell would dominate; literals lose their datatype and language, so callers must know
        which columns hold what.
        """
        res = self.query(sparql)
        return [tuple(None if t is None else str(t) for t in row) for row in res.rows]

    def update(self, sparql: str, *, touched: Iterable | None = None, federated: bool = False) -> None:
        """Run a SPARQL 1.1 update, atomically, moving the change stamp with it. ``LOAD`` and
        ``SERVICE`` (which fetch URLs) are refused unless ``federated``.

        ``touched``: the named graphs the update writes, when the caller knows them (kept in the
        change log so that readers can update instead of rebuild); ``None``: unknown.
        """
        check_statement(sparql, "update", federated)
        self._apply_update(sparql, touched)

    @abc.abstractmethod
    def _update(self, sparql: str) -> None:
        """The backend's raw update, one transaction; the stamp is not moved here."""

    @abc.abstractmethod
    def _apply_update(self, sparql: str, touched: Iterable | None = None) -> None:
        """Run an update as one transaction and move the change stamp (see :meth:`update`)."""

    @abc.abstractmethod
    def quads(self, s=None, p=None, o=None, graph: Any = ...) -> Iterator[Quad]:
        """Quads matching a pattern; ``graph=...`` (the default) means any graph holding data
        (the workspace's meta graph is not one)."""

    @abc.abstractmethod
    def _insert(self, quads: list) -> None:
        """Insert pyoxigraph quads in one transaction."""

    @abc.abstractmethod
    def dump(self, out: IO[bytes] | str | Path, format: str = "nq") -> None:
        """Write the whole store (quad formats) or the union of its graphs (triple formats)."""

    def close(self) -> None:  # noqa: B027 - a no-op is right for backends that hold nothing
        """Release the store (files, locks, connections)."""

    # -- shared behaviour ---------------------------------------------------------------------
    def add(self, triples: Iterable[Triple], graph=None) -> None:
        """Add triples to ``graph`` (``None``: the default graph)."""
        self.insert_quads(to_ox_quads((s, p, o, graph) for s, p, o in triples),
                          touched=[graph] if graph is not None else None)

    def insert_quads(self, quads: list, *, touched: Iterable | None = None) -> None:
        """Insert pyoxigraph quads (any graphs) in one transaction; ``touched`` as for update."""
        self._insert(quads)
        self._changed(touched=touched)

    def has_graph(self, graph) -> bool:
        """True when the named graph ``graph`` holds data."""
        return bool(self.query(f"ASK {{ GRAPH {nt(graph)} {{ ?s ?p ?o }} }}"))

    def replace_graph(self, graph, triples: Iterable[Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``, in one transaction (re-loading is idempotent)."""
        self._apply_update(data_update(to_ox_quads((s, p, o, graph) for s, p, o in triples), drop=[graph]),
                           touched=[graph])

    def remove_graph(self, graph) -> None:
        self._apply_update(f"DROP SILENT GRAPH {nt(graph)}", touched=[graph])

    def graphs(self) -> list[URIRef]:
        """Named graphs holding data (the workspace's meta graph is not one of them)."""
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(row[0] for row in res.rows if row[0] != META_GRAPH)

    def triples(self, s=None, p=None, o=None, graph: Any = ...) -> Iterator[Triple]:
        """Triples matching a pattern, each once (the union when ``graph`` is not given)."""
        seen = set() if graph is ... else None
        for qs, qp, qo, _ in self.quads(s, p, o, graph):
            if seen is not None:
                key = (qs, qp, qo)
                if key in seen:
                    continue
                seen.add(key)
            yield qs, qp, qo

    def __len__(self) -> int:
        """Number of quads in named graphs (a triple in two graphs counts twice; meta graph aside)."""
        res = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META_GRAPH}>) }}")
        return int(res.rows[0][0])

    def load(self, path: str | Path, format: str | None = None, graph=None) -> None:
        """Load one RDF file atomically: a syntax error anywhere loads nothing from it.

        Triple formats go into ``graph`` (kgn gives each file its own named graph); quad formats
        keep their own graph names. Loading *replaces* the named graphs the file fills, in the same
        transaction, so loading a file again (or a new version of it) never duplicates or leaves
        stale triples behind.
        """
        _, quads = parse_file(path, format, graph)
        # A dump of another workspace carries its meta graph: its stamp and base are not ours.
        quads = [q for q in quads if q.graph_name != _META_OX]
        filled = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        drop = filled | ({graph_to_ox(graph)} if graph is not None else set())
        self._apply_update(data_update(quads, drop=drop), touched=drop)

    def stats(self) -> dict[str, int]:
        """Counts for ``kgn stats``: quads, distinct triples, graphs, subjects, predicates."""
        row = self.query(
            "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
            "(COUNT(DISTINCT ?p) AS ?predicates) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META_GRAPH}>) }} }}"
        ).rows[0]
        return {
            "quads": len(self),
            "triples": int(row[0]),
            "graphs": len(self.graphs()),
            "subjects": int(row[1]),
            "predicates": int(row[2]),
        }

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
