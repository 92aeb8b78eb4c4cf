"""The store under hostile input: time limits, streaming, federation off, bad locations, leftovers,
read-only opens, re-imports, remote endpoints that misbehave."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rdflib import BNode, Literal, URIRef

import kg.store.oxigraph as oxmod
from kg.errors import (
    EndpointError,
    KgnError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    RdfSyntaxError,
    StoreLocationError,
)
from kg.store import MemoryStore, OxigraphStore, RemoteSettings, RemoteStore, open_store
from kg.store._sparql import federated_keywords, statement_kind
from kg.store._terms import InvalidTermError, iri, to_ox

EX = "http://example.org/"
G = URIRef(EX + "g")
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def filled(store, n=300):
    store.add([(URIRef(f"{EX}s{i}"), URIRef(EX + "p"), Literal(i)) for i in range(n)], graph=G)
    return store


# -- time limits and streaming ------------------------------------------------------------------
def test_a_query_past_its_time_limit_stops_with_a_clear_error():
    # The engine cannot be interrupted: the abandoned count runs on in its thread until it ends,
    # so it is chosen to need constant memory and about 10^8 steps.
    store = filled(MemoryStore(), n=40)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit"):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }",
                    timeout=0.2)
    assert time.monotonic() - started < 10
    assert store.query("ASK { ?s ?p ?o }", timeout=5).boolean  # the store still answers


def test_a_cartesian_select_streams_instead_of_filling_memory():
    store = filled(MemoryStore())  # 300^4 = 8.1e9 rows: only streaming can print the first ones
    stream = store.query_stream(CARTESIAN, timeout=30)
    rows = [row for _, row in zip(range(5), stream)]
    assert stream.form == "SELECT" and stream.vars[:3] == ["a", "b", "c"] and len(rows) == 5
    ask = store.query_stream("ASK { ?s ?p ?o }", timeout=5)
    assert ask.form == "ASK" and ask.boolean is True


def test_streamed_rows_honour_the_time_limit_too():
    store = filled(MemoryStore())
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):  # 8.1e9 rows: the limit comes first; then the engine
        for _ in store.query_stream(CARTESIAN, timeout=1.0):  # thread stops at its next row
            pass
    assert time.monotonic() - started < 15


def test_engine_errors_while_streaming_are_kgn_errors():
    store = filled(MemoryStore())
    with pytest.raises(QuerySyntaxError):
        store.query_stream("SELECT * WHERE { ?s ?p }", timeout=5)


# -- federation and updates -----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # an escaped keyword
])
def test_service_is_refused_unless_federated(text):
    store = filled(MemoryStore())
    with pytest.raises(QueryError, match="SERVICE .* turned off"):
        store.query(text)
    with pytest.raises(QueryError, match="turned off"):
        store.query_stream(text)
    with pytest.raises(QueryError, match="LOAD"):
        store.update("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>")
    try:  # allowed: the engine tries (fails on port 9, answers nothing with SILENT, or does not
        store.query(text, federated=True)  # read escaped keywords at all)
    except (QueryError, QuerySyntaxError) as exc:
        assert "turned off" not in str(exc)


def test_the_words_inside_strings_iris_and_names_do_not_count():
    assert federated_keywords('SELECT * WHERE { ?service <http://x/SERVICE> "LOAD SERVICE" }') == set()
    assert federated_keywords("SELECT * WHERE { SERVICE <http://x/> { } } # LOAD") == {"SERVICE"}
    store = filled(MemoryStore())
    assert store.query('SELECT ?service WHERE { BIND("SERVICE" AS ?service) }').rows == [(Literal("SERVICE"),)]


def test_an_update_given_as_a_query_is_named_as_one():
    assert statement_kind("PREFIX e: <http://e/> DROP ALL") == "update"
    assert statement_kind("PREFIX e: <http://e/>\nSELECT * {}") == "query"
    assert statement_kind("  insert data { <a:b> <a:b> <a:b> }") == "update"
    store = filled(MemoryStore())
    with pytest.raises(QuerySyntaxError, match="kgn update"):
        store.query("DROP ALL")
    assert len(store) == 300


# -- locations, leftovers, read-only ---------------------------------------------------------------
def test_bad_store_locations_are_one_line_errors(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(StoreLocationError, match="not a directory"):
        OxigraphStore(tmp_path / "afile")
    with pytest.raises(StoreLocationError, match="afile/store"):
        OxigraphStore(tmp_path / "afile" / "store")
    with pytest.raises(StoreLocationError, match="not a directory"):
        OxigraphStore("/dev/null")
    for spec in ("ftp://x", "htp://host/query", "http:/host/query", "file:///tmp/x", " "):
        with pytest.raises(StoreLocationError):
            open_store(spec)
    assert not list(tmp_path.glob("ftp*")) and not list(tmp_path.glob("http*"))


def test_read_only_open_reads_refuses_writes_and_never_creates(tmp_path):
    with pytest.raises(StoreLocationError, match="no store at"):
        OxigraphStore(tmp_path / "none", read_only=True)
    assert not (tmp_path / "none").exists()
    with filled(OxigraphStore(tmp_path / "s")):
        pass
    with OxigraphStore(tmp_path / "s", read_only=True) as ro, OxigraphStore(tmp_path / "s", read_only=True) as ro2:
        assert len(ro) == len(ro2) == 300  # readers share the store
        with pytest.raises(KgnError, match="read-only"):
            ro.add([(URIRef(EX + "a"), URIRef(EX + "b"), Literal("c"))], graph=G)
        with pytest.raises(KgnError, match="read-only"):
            ro.update("DROP ALL")
    with OxigraphStore(tmp_path / "s") as rw:  # and a writer can open it again afterwards
        assert len(rw) == 300


def test_bulk_leftovers_of_a_killed_import_are_removed_on_open(tmp_path):
    with filled(OxigraphStore(tmp_path / "s")):
        pass
    junk = tmp_path / "s" / "bulk-1234-5.sst"
    junk.write_bytes(b"\0" * 1000)
    with OxigraphStore(tmp_path / "s") as s:
        assert not junk.exists() and len(s) == 300


def test_a_full_disk_while_writing_is_one_line(tmp_path):
    class Full:
        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def extend(self, quads):
            raise OSError(28, "No space left on device")

        update = bulk_load = extend

    store = OxigraphStore(tmp_path / "s")
    store._ox = Full(store._ox)
    with pytest.raises(KgnError, match="No space left on device"):
        store.add([(URIRef(EX + "a"), URIRef(EX + "b"), Literal("c"))], graph=G)
    with pytest.raises(KgnError, match="No space left on device"):
        store.update("DROP ALL")
    store._ox = store._ox.real
    store.close()


# -- terms and files ---------------------------------------------------------------------------------
def test_an_invalid_iri_from_user_text_is_an_error_not_a_crash():
    with pytest.raises(InvalidTermError, match="not a valid IRI"):
        iri("http://x> } ; DROP ALL ; #")
    with pytest.raises(KgnError):
        to_ox(URIRef("http://x> } ; DROP ALL ; #"))


def test_bom_is_accepted_and_giant_literals_and_urls_are_one_line(tmp_path):
    store = MemoryStore()
    (tmp_path / "bom.ttl").write_bytes(b"\xef\xbb\xbf@prefix e: <http://e/> .\ne:a e:b e:c .\n")
    store.load(tmp_path / "bom.ttl", graph=G)
    assert len(store) == 1
    big = tmp_path / "big.nt"
    with big.open("w") as fh:
        fh.write('<http://e/a> <http://e/b> "' + "x" * (17 * 1024 * 1024) + '" .\n')
    with pytest.raises(RdfSyntaxError, match="16 MB"):
        store.load(big, graph=G)
    with pytest.raises(KgnError, match="URLs are not fetched"):
        store.load("https://example.org/x.ttl")
    with pytest.raises(KgnError, match="not a regular file"):
        store.load(tmp_path)
    assert len(store) == 1


# -- re-import of a big file writes only the difference ----------------------------------------------
def _nt(path, rows):
    path.write_text("".join(f"<{EX}{s}> <{EX}{p}> {o} .\n" for s, p, o in rows))


def test_reimporting_a_big_file_is_correct_when_unchanged_and_when_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(oxmod, "BULK_THRESHOLD_BYTES", 10)  # take the big-file path with a small file
    rows = [(f"s{i}", "p", f'"{i}"') for i in range(2000)] + [("s0", "q", "_:b1"), ("_:b1", "p", '"blank"')]
    data = tmp_path / "data.nt"
    _nt(data, rows)
    with OxigraphStore(tmp_path / "s") as store:
        store.load(data, graph=G)
        first = set(store.triples(graph=G))
        assert len(first) == 2002
        store.load(data, graph=G)  # unchanged
        again = set(store.triples(graph=G))
        assert len(again) == 2002
        assert {t for t in again if not any(isinstance(x, BNode) for x in t)} == \
               {t for t in first if not any(isinstance(x, BNode) for x in t)}
        changed = rows[500:] + [("new", "p", '"fresh"')]
        _nt(data, changed)
        store.load(data, graph=G)  # changed: old rows gone, new one there, blank nodes not doubled
        now = set(store.triples(graph=G))
        assert len(now) == len(changed)
        assert (URIRef(EX + "new"), URIRef(EX + "p"), Literal("fresh")) in now
        assert (URIRef(EX + "s1"), URIRef(EX + "p"), Literal("1")) not in now


class _CountingReads:
    """The engine, with a count of how often a caller reads quads back from it."""

    def __init__(self, inner):
        self.inner, self.reads = inner, 0

    def quads_for_pattern(self, *args):
        self.reads += 1
        return self.inner.quads_for_pattern(*args)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_reimport_uses_the_last_loads_keys_until_the_graph_is_written_otherwise(tmp_path, monkeypatch):
    monkeypatch.setattr(oxmod, "BULK_THRESHOLD_BYTES", 10)
    rows = [(f"s{i}", "p", f'"{i}"') for i in range(1000)]
    data = tmp_path / "data.nt"
    _nt(data, rows)
    with OxigraphStore(tmp_path / "s") as store:
        store.load(data, graph=G)
        engine = store._ox = _CountingReads(store._ox)
        store.load(data, graph=G)  # the same file: nothing read back, nothing written
        _nt(data, rows + [("added", "p", '"1"')])
        store.load(data, graph=G)  # only additions: still nothing read back
        assert engine.reads == 0
        assert len(set(store.triples(graph=G))) == 1001
        # Another write to the graph makes the saved keys stale: the graph is read, and ends as the file.
        store.add([(URIRef(EX + "by-hand"), URIRef(EX + "p"), Literal("x"))], graph=G)
        store.load(data, graph=G)
        assert engine.reads > 0
        now = set(store.triples(graph=G))
        assert len(now) == 1001 and (URIRef(EX + "by-hand"), URIRef(EX + "p"), Literal("x")) not in now
        # A line taken out of the file must go from the graph: read back, and removed.
        engine.reads = 0
        _nt(data, rows[1:] + [("added", "p", '"1"')])
        store.load(data, graph=G)
        assert engine.reads > 0
        now = set(store.triples(graph=G))
        assert len(now) == 1000 and (URIRef(EX + "s0"), URIRef(EX + "p"), Literal("0")) not in now
        # A writer killed mid-write leaves the journal pending: nothing saved is trusted.
        store._journal.begin()
        engine.reads = 0
        store.load(data, graph=G)
        assert engine.reads > 0 and len(set(store.triples(graph=G))) == 1000


# -- remote endpoints ------------------------------------------------------------------------------------
class _Silent(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        time.sleep(5)

    def log_message(self, *args):
        pass


class _Leaky(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b"SECRET internal stack trace")

    def log_message(self, *args):
        pass


def _serve(handler):
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/query"


def test_an_endpoint_that_never_answers_times_out():
    server, url = _serve(_Silent)
    try:
        store = RemoteStore(url, settings=RemoteSettings(connect_timeout=2, read_timeout=0.5))
        started = time.monotonic()
        with pytest.raises(EndpointError, match="did not answer within 0.5 s"):
            store.query("ASK {}")
        assert time.monotonic() - started < 4
    finally:
        server.shutdown()


def test_an_endpoint_error_never_echoes_its_body():
    server, url = _serve(_Leaky)
    try:
        with pytest.raises(EndpointError) as err:
            RemoteStore(url).query("ASK {}")
        assert "500" in str(err.value) and "SECRET" not in str(err.value)
    finally:
        server.shutdown()


def test_remote_settings_are_checked():
    with pytest.raises(ValueError, match="read_timeout"):
        RemoteSettings(read_timeout=0)
    with pytest.raises(ValueError, match="request_bytes"):
        RemoteSettings(request_bytes=10)


def test_remote_import_goes_in_bounded_requests(oxigraph_server, tmp_path):
    sizes = []

    class Counting(RemoteStore):
        def _update(self, sparql):
            sizes.append(len(sparql.encode()))
            super()._update(sparql)

    store = Counting(oxigraph_server + "/query", settings=RemoteSettings(request_bytes=8192))
    store.update("DROP SILENT ALL")
    data = tmp_path / "data.nt"
    _nt(data, [(f"s{i}", "p", f'"value {i}"') for i in range(1500)])  # ~90 KB
    store.load(data, graph=G)
    assert len(store) == 1500
    assert len(sizes) > 5 and max(sizes) < 8192 + 2048
    store.load(data, graph=G)  # again: replaced, not doubled
    assert len(store) == 1500
    with pytest.raises(QuerySyntaxError, match="HTTP 400.*locally"):
        store.query("SELECT * WHERE { ?s ?p }")


def test_connection_refused_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(EndpointError, match="unreachable"):
        RemoteStore(f"http://127.0.0.1:{port}/query").query("ASK {}")


def test_a_store_on_read_only_media(tmp_path, monkeypatch):
    """Read-only media, simulated (tests may run as root, who writes anywhere): a writer's open
    fails with one line; a reader goes on without the lock file it cannot create."""
    import builtins

    with filled(OxigraphStore(tmp_path / "s")):
        pass
    (tmp_path / "s" / "kgn.lock").unlink()
    real_open = builtins.open

    def erofs(path, *args, **kwargs):
        if str(path).endswith("kgn.lock"):
            raise OSError(30, "Read-only file system")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", erofs)
    with pytest.raises(StoreLocationError, match="Read-only file system"):
        OxigraphStore(tmp_path / "s")
    with OxigraphStore(tmp_path / "s", read_only=True) as ro:
        assert len(ro) == 300
