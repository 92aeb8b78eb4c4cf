"""A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune).

The endpoint must treat the union of its named graphs as the default graph for queries
(``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``), the same
contract as the embedded store.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Iterator, Mapping

import pyoxigraph as ox
import requests

from kg.errors import EndpointError, QuerySyntaxError
from kg.store._formats import is_dataset_format, rdf_format
from kg.store._sparql import inject_values
from kg.store._terms import from_ox, to_ox
from kg.store.base import Quad, QueryResult, Store, data_update, new_token, with_stamp
from kg.vocab import META_GRAPH

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol URLs: ``query_url`` and ``update_url``."""

    kind = "remote"

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout: float = 300.0,
                 session: requests.Session | None = None):
        super().__init__()
        self.query_url = query_url
        self.update_url = update_url or default_update_url(query_url)
        self.timeout = timeout
        self._http = session or requests.Session()

    # -- protocol ------------------------------------------------------------------------------
    def _post(self, url: str, body: str, content_type: str, accept: str | None = None):
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        try:
            resp = self._http.post(url, data=body.encode("utf-8"), headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise EndpointError(f"SPARQL endpoint {url} unreachable: {exc}") from None
        if resp.status_code == 400:
            kind = "update" if content_type.endswith("update") else "query"
            raise QuerySyntaxError(f"invalid SPARQL {kind}: {resp.text.strip()[:500]}")
        if resp.status_code >= 300:
            raise EndpointError(f"SPARQL endpoint {url} answered {resp.status_code}: {resp.text.strip()[:500]}")
        return resp

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
              prefixes: Mapping[str, str] | None = None) -> QueryResult:
        text = inject_values(sparql, bindings) if bindings else sparql
        if prefixes:
            # One line, so the endpoint's error positions stay on the user's line numbers + 1.
            text = " ".join(f"PREFIX {k}: <{v}>" for k, v in prefixes.items()) + "\n" + text
        resp = self._post(self.query_url, text, "application/sparql-query", _ACCEPT)
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype in ("application/sparql-results+json", "application/json"):
            return QueryResult.from_ox(ox.parse_query_results(resp.content, ox.QueryResultsFormat.JSON))
        fmt = ox.RdfFormat.from_media_type(ctype)
        if fmt is None:
            raise EndpointError(f"SPARQL endpoint {self.query_url} answered unsupported type {ctype!r}")
        triples = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                   for q in ox.parse(resp.content, format=fmt)]
        return QueryResult("CONSTRUCT", triples=triples)

    def update(self, sparql: str, *, touched=None) -> None:
        # The stamp moves in the same request: one transaction on the server.
        self._update(with_stamp(sparql, new_token(), touched))
        self._changed(stamped=True)

    def _update(self, sparql: str) -> None:
        self._post(self.update_url, sparql, "application/sparql-update")

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

