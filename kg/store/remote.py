"""A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune).

The endpoint must treat the union of its named graphs as the default graph for queries
(``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``), the same
contract as the embedded store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

import pyoxigraph as ox
import requests

from kg.errors import EndpointError, QuerySyntaxError
from kg.store._formats import guess_format, is_dataset_format, rdf_format
from kg.store._sparql import inject_values
from kg.store._terms import from_ox, graph_to_ox, to_ox
from kg.store.base import (
    Quad,
    QueryResult,
    Store,
    check_rdf_file,
    data_update,
    new_token,
    rdf_errors,
    rdf_input,
    with_stamp,
)
from kg.vocab import META_GRAPH

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


@dataclass(frozen=True)
class RemoteSettings:
    """How kgn talks to an endpoint.

    ``connect_timeout``/``read_timeout``: seconds to connect, and to wait for the next bytes of
    an answer (an endpoint that accepts and never replies fails after this). ``request_bytes``:
    the most data one update carries when a file is imported; big files go in several updates,
    well under servers' payload limits (Oxigraph's is 128 MB), with bounded client memory.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    request_bytes: int = 8 * 1024 * 1024

    def __post_init__(self):
        for name in ("connect_timeout", "read_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"RemoteSettings.{name} must be > 0, got {getattr(self, name)!r}")
        if self.request_bytes < 1024:
            raise ValueError(f"RemoteSettings.request_bytes must be >= 1024, got {self.request_bytes!r}")


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol URLs: ``query_url`` and ``update_url``.

    Error messages never include the body of the endpoint's answer: it is text from another
    machine (the status code and, for a rejected query, the local parser's opinion are given).
    """

    kind = "remote"

    def __init__(self, query_url: str, update_url: str | None = None, *,
                 settings: RemoteSettings | None = None, session: requests.Session | None = None):
        super().__init__()
        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        self.remote = settings or RemoteSettings()
        self._http = session or requests.Session()

    # -- protocol ------------------------------------------------------------------------------
    def _post(self, url: str, body: str, content_type: str, accept: str | None = None,
              read_timeout: float | None = None):
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        timeout = (self.remote.connect_timeout, read_timeout or self.remote.read_timeout)
        kind = "update" if content_type.endswith("update") else "query"
        try:
            resp = self._http.post(url, data=body.encode("utf-8"), headers=headers, timeout=timeout)
        except requests.Timeout:
            raise EndpointError(f"SPARQL endpoint {url} did not answer within {timeout[1]:g} s "
                                f"(connect limit {timeout[0]:g} s)") from None
        except requests.RequestException as exc:
            raise EndpointError(f"SPARQL endpoint {url} unreachable: {type(exc).__name__}") from None
        if resp.status_code == 400:
            raise QuerySyntaxError(f"invalid SPARQL {kind}: the endpoint rejected it (HTTP 400)"
                                   + _local_opinion(body, kind))
        if resp.status_code >= 300:
            raise EndpointError(f"SPARQL endpoint {url} answered HTTP {resp.status_code} to a {kind}")
        return resp

    def _query(self, sparql, bindings, prefixes, timeout) -> QueryResult:
        text = inject_values(sparql, bindings) if bindings else sparql
        if prefixes:
            # One line, so the endpoint's error positions stay on the user's line numbers + 1.
            text = " ".join(f"PREFIX {k}: <{v}>" for k, v in prefixes.items()) + "\n" + text
        resp = self._post(self.query_url, text, "application/sparql-query", _ACCEPT,
                          read_timeout=timeout if timeout and timeout > 0 else None)
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
        try:
            if ctype in ("application/sparql-results+json", "application/json"):
                return QueryResult.from_ox(ox.parse_query_results(resp.content, ox.QueryResultsFormat.JSON))
            fmt = ox.RdfFormat.from_media_type(ctype)
            if fmt is None:
                raise EndpointError(f"SPARQL endpoint {self.query_url} answered unsupported type {ctype!r}")
            triples = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                       for q in ox.parse(resp.content, format=fmt)]
        except (SyntaxError, ValueError, OSError):
            raise EndpointError(f"SPARQL endpoint {self.query_url} sent an answer that is not valid "
                                f"{ctype or 'SPARQL results'}") from None
        return QueryResult("CONSTRUCT", triples=triples)

    def _apply_update(self, sparql: str, touched=None) -> None:
        # The stamp moves in the same request: one transaction on the server.
        self._update(with_stamp(sparql, new_token(), touched))
        self._changed(stamped=True)

    def _update(self, sparql: str) -> None:
        self._post(self.update_url, sparql, "application/sparql-update")

    def load(self, path, format: str | None = None, graph=None) -> None:
        """Load one RDF file in updates of at most ``remote.request_bytes`` each.

        A small file is one update (atomic: the graph is replaced in the same request). A big one
        is validated locally first (a syntax error sends nothing), then its graphs are emptied
        and filled in bounded chunks, reading the file as a stream: a failure part-way leaves
        the graph partly loaded, and loading the file again repairs it.
        """
        path = check_rdf_file(path)
        if path.stat().st_size < self.remote.request_bytes // 2:
            return super().load(path, format, graph)
        fmt = rdf_format(format) if format else guess_format(path)
        to_graph = graph_to_ox(graph) if graph is not None else None
        retarget = to_graph is not None and not is_dataset_format(fmt)
        base = path.resolve().as_uri()
        names = set()
        with rdf_errors(path, fmt), rdf_input(path) as source:
            for q in ox.parse(**source, format=fmt, base_iri=base):
                if not isinstance(q.graph_name, ox.DefaultGraph):
                    names.add(q.graph_name)
        drop = [to_graph] if retarget else sorted(names, key=str)
        if drop:
            self._update(data_update([], drop=drop))
        chunk, size = [], 0
        with rdf_input(path) as source:
            for q in ox.parse(**source, format=fmt, base_iri=base, lenient=True):
                if retarget:
                    q = ox.Quad(q.subject, q.predicate, q.object, to_graph)
                chunk.append(q)
                size += len(str(q)) + 16
                if size >= self.remote.request_bytes:
                    self._update(data_update(chunk))
                    chunk, size = [], 0
        if chunk:
            self._update(data_update(chunk))
        self._changed(touched=None if not retarget and not names else drop)

    # -- reads ---------------------------------------------------------------------------------
    def quads(self, s=None, p=None, o=None, graph: Any = ...) -> Iterator[Quad]:
        fixed = {k: v for k, v in (("s", s), ("p", p), ("o", o)) if v is not None}
        if graph is None:
            where = "{ ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        else:
            where = "{ GRAPH ?g { ?s ?p ?o } }"
            if graph is not ...:
                fixed["g"] = graph
        res = self.query(f"SELECT ?s ?p ?o ?g WHERE {where}", fixed or None)
        for row in res.rows:
            vals = dict(zip(res.vars, row))
            if graph is ... and vals.get("g") == META_GRAPH:
                continue  # the workspace's own records are not data
            yield (vals.get("s", s), vals.get("p", p), vals.get("o", o),
                   vals.get("g", None if graph is ... else graph))

    def _insert(self, quads: list) -> None:
        if quads:
            self._update(data_update(quads))

    def dump(self, out: IO[bytes] | str | Path, format: str = "nq") -> None:
        fmt = rdf_format(format)
        if is_dataset_format(fmt):
            data = [ox.Quad(*(to_ox(t) for t in q[:3]), to_ox(q[3]) if q[3] is not None else ox.DefaultGraph())
                    for q in self.quads()]
        else:
            data = [ox.Triple(*(to_ox(t) for t in tr))
                    for tr in self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                                         f"FILTER(?g != <{META_GRAPH}>) }}").triples]
        target = str(out) if isinstance(out, (str, Path)) else out
        ox.serialize(data, output=target, format=fmt)

    def close(self) -> None:
        self._http.close()


def default_update_url(query_url: str) -> str:
    """Oxigraph/Fuseki style ``.../query`` -> ``.../update``; otherwise the same URL."""
    base = query_url.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if base.endswith(suffix):
            return base[: -len(suffix)] + "/update"
    return query_url



def _local_opinion(text: str, kind: str) -> str:
    """What the local engine says about a statement an endpoint rejected (its body is not shown)."""
    probe = ox.Store()  # empty and in memory: evaluating anything here is instant and harmless
    try:
        if kind == "update":
            probe.update(text)
        else:
            probe.query(text)
    except SyntaxError as exc:
        return f"; locally: {exc}"
    except Exception:  # noqa: BLE001 - only an opinion; the endpoint's refusal is the error
        return ""
    return ""
