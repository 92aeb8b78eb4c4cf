"""The one triple-store interface every backend implements.

Terms in and out are rdflib terms (``URIRef``, ``Literal``, ``BNode``); a graph name of ``None``
means the default graph. Queries see the *union* of all graphs as their default graph, so a user's
``SELECT * { ?s ?p ?o }`` finds every document's triples.
"""

from __future__ import annotations

import abc
import csv
import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import URIRef

from kg.errors import QuerySyntaxError, RdfSyntaxError
from kg.store._formats import guess_format, is_dataset_format, rdf_format
from kg.store._terms import from_ox, graph_to_ox, nt, to_ox

Triple = tuple[Any, Any, Any]
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
        writer = csv.writer(buf, lineterminator="\n")
        if self.form == "ASK":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
        elif self.form == "SELECT":
            writer.writerow(self.vars)
            writer.writerows([["" if t is None else str(t) for t in row] for row in self.rows])
        else:
            writer.writerow(["subject", "predicate", "object"])
            writer.writerows([[str(t) for t in tr] for tr in self.triples])
        return buf.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON for SELECT/ASK; a list of N-Triples terms for CONSTRUCT."""
        if self.form == "ASK":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)})
        if self.form == "SELECT":
            bindings = [{v: _json_term(t) for v, t in zip(self.vars, row) if t is not None}
                        for row in self.rows]
            return json.dumps({"head": {"vars": self.vars}, "results": {"bindings": bindings}},
                              ensure_ascii=False)
        return json.dumps([[nt(t) for t in tr] for tr in self.triples], ensure_ascii=False)

    def to_table(self, max_width: int = 60) -> str:
        if self.form == "ASK":
            return "true" if self.boolean else "false"
        header = self.vars if self.form == "SELECT" else ["subject", "predicate", "object"]
        body = [["" if t is None else _short(t, max_width) for t in row] for row in self]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths)),
                 "-+-".join("-" * w for w in widths)]
        lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
        lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
        return "\n".join(lines)


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
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph_to_ox(g)) for s, p, o, g in quads]


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
    except (OSError, ValueError) as exc:
        raise RdfSyntaxError(f"{path}: cannot read as {fmt.name}: {exc}") from None


def parse_file(path: str | Path, format: str | None = None, graph=None) -> tuple[ox.RdfFormat, list]:
    """Parse a whole RDF file into pyoxigraph quads; a syntax error names the file and line."""
    path = Path(path)
    fmt = rdf_format(format) if format else guess_format(path)
    to_graph = graph_to_ox(graph) if graph is not None else None
    with rdf_errors(path, fmt):
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    if to_graph is not None and not is_dataset_format(fmt):
        quads = [ox.Quad(q.subject, q.predicate, q.object, to_graph) for q in quads]
    return fmt, quads


def query_syntax_error(exc: Exception, kind: str = "query") -> QuerySyntaxError:
    return QuerySyntaxError(f"invalid SPARQL {kind}: {exc}")


class Store(abc.ABC):
    """A quad store: named graphs of triples, SPARQL 1.1 query/update, bulk import/export.

    ``generation`` grows with every write made through this object; views compare it to know
    when their cached projection is stale.
    """

    kind: str = "abstract"

    def __init__(self) -> None:
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def _changed(self) -> None:
        self._generation += 1

    # -- primitives each backend provides -----------------------------------------------------
    @abc.abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              prefixes: Mapping[str, str] | None = None) -> QueryResult:
        """Run a SPARQL query.

        ``bindings`` pre-bind variables to terms: they reach the engine as a ``VALUES`` block
        written by the engine's escaping, so user text never changes the query's shape.
        ``prefixes`` are predeclared prefixes (name -> namespace IRI).
        """

    def select_values(self, sparql: str) -> list[tuple]:
        """SELECT rows as plain strings (IRI, literal lexical form, or None for unbound).

        For bulk reads such as the NetworkX projection, where building rdflib terms for every
        cell would dominate; literals lose their datatype and language, so callers must know
        which columns hold what.
        """
        res = self.query(sparql)
        return [tuple(None if t is None else str(t) for t in row) for row in res.rows]

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update, atomically."""

    @abc.abstractmethod
    def quads(self, s=None, p=None, o=None, graph: Any = ...) -> Iterator[Quad]:
        """Quads matching a pattern; ``graph=...`` (the default) means any graph."""

    @abc.abstractmethod
    def _insert(self, quads: list) -> None:
        """Insert pyoxigraph quads in one transaction."""

    @abc.abstractmethod
    def dump(self, out: IO[bytes] | str | Path, format: str = "nq") -> None:
        """Write the whole store (quad formats) or the union of its graphs (triple formats)."""

    def close(self) -> None:
        """Release the store (files, locks, connections)."""

    # -- shared behaviour ---------------------------------------------------------------------
    def add(self, triples: Iterable[Triple], graph=None) -> None:
        """Add triples to ``graph`` (``None``: the default graph)."""
        self._insert(to_ox_quads((s, p, o, graph) for s, p, o in triples))
        self._changed()

    def replace_graph(self, graph, triples: Iterable[Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``, in one transaction (re-loading is idempotent)."""
        self.update(data_update(to_ox_quads((s, p, o, graph) for s, p, o in triples), drop=[graph]))

    def remove_graph(self, graph) -> None:
        self.update(f"DROP SILENT GRAPH {nt(graph)}")

    def graphs(self) -> list[URIRef]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(row[0] for row in res.rows)

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
        """Number of quads in named graphs (a triple in two graphs counts twice)."""
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(res.rows[0][0])

    def load(self, path: str | Path, format: str | None = None, graph=None) -> None:
        """Load one RDF file atomically: a syntax error anywhere loads nothing from it.

        Triple formats go into ``graph`` (kgn gives each file its own named graph); quad formats
        keep their own graph names. Loading *replaces* the named graphs the file fills, in the same
        transaction, so loading a file again (or a new version of it) never duplicates or leaves
        stale triples behind.
        """
        _, quads = parse_file(path, format, graph)
        filled = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        self.update(data_update(quads, drop=filled | ({graph_to_ox(graph)} if graph is not None else set())))

    def stats(self) -> dict[str, int]:
        """Counts for ``kgn stats``: quads, distinct triples, graphs, subjects, predicates."""
        row = self.query(
            "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
            "(COUNT(DISTINCT ?p) AS ?predicates) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
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
