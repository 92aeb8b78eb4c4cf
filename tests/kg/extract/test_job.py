"""The batch job: idempotent re-runs, the ledger, worker processes and a Dask cluster."""

from __future__ import annotations

import json

import pytest

from kg.extract.job import run_job
from kg.extract.ledger import Ledger
from kg.workspace import open_workspace

TEXTS = [
    "Alice and Bob founded Acme in Paris. Acme is a company.",
    "The convolutional neural network (CNN) was invented by Yann LeCun.",
    "Berlin is not located in France. Berlin is the capital of Germany.",
    "Microsoft's founder, Bill Gates, is a philanthropist. He lives in Seattle.",
    "Google uses CNN. Dogs are mammals.",
    "Aarhus Airport is located in Tirstrup and serves the city of Aarhus.",
]


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    for i, text in enumerate(TEXTS):
        (d / f"doc{i:02d}.txt").write_text(text)
    (d / "broken.txt").write_bytes(b"\x00\x00")
    return d


def quads(store):
    return set(store.quads())


def test_run_twice_is_idempotent_and_the_ledger_skips(extractor, corpus, tmp_path):
    ws = open_workspace("memory")
    store = ws.store
    ledger, report = tmp_path / "ledger.jsonl", tmp_path / "report.jsonl"
    first = run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=report)
    assert (first.documents, first.already_done, len(first.skipped)) == (len(TEXTS), 0, 1)
    assert first.triples > 0 and first.words == sum(len(t.split()) for t in TEXTS)
    before = quads(store)
    assert len(store.graphs()) == len(TEXTS) + 1  # + the shared descriptions graph
    again = run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=report)
    assert (again.documents, again.already_done) == (0, len(TEXTS))
    assert quads(store) == before
    assert [json.loads(line)["reason"] for line in report.read_text().splitlines()] == ["binary file (NUL bytes)"]


def test_changed_document_is_redone_and_replaced(extractor, corpus, tmp_path):
    ws = open_workspace("memory")
    store = ws.store
    ledger = tmp_path / "ledger.jsonl"
    run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=None)
    (corpus / "doc00.txt").write_text("Carol lives in Rome.")
    summary = run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=None)
    assert (summary.documents, summary.already_done) == (1, len(TEXTS) - 1)
    rels = {str(p).rsplit("/", 1)[-1] for _, p, _ in store.triples() if "/rel/" in str(p)}
    assert "live_in" in rels and "found" not in rels


def test_a_failed_write_stops_the_job_and_a_rerun_loses_and_doubles_nothing(extractor, corpus, tmp_path,
                                                                             monkeypatch):
    # Writes run on a writer thread one batch behind the parse: a failure there must still stop
    # the job before any later batch is written or enters the ledger.
    import kg.extract.job as job

    clean = open_workspace("memory")
    run_job(clean, [str(corpus)], extractor=extractor, ledger=None, report=None, batch_size=2)
    expected = quads(clean.store)

    real, calls = job.write_documents, []

    def failing_second_write(store, vocab, docs):
        calls.append([str(g) for g, _ in docs])
        if len(calls) == 2:
            raise OSError("disk full")
        return real(store, vocab, docs)

    monkeypatch.setattr(job, "write_documents", failing_second_write)
    ws, ledger = open_workspace("memory"), tmp_path / "ledger.jsonl"
    with pytest.raises(OSError, match="disk full"):
        run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=None, batch_size=2)
    assert len(calls) == 2  # nothing after the failed batch was written
    assert len(Ledger(ledger, extractor.key).done) == 2  # only the first batch is recorded

    monkeypatch.setattr(job, "write_documents", real)
    rerun = run_job(ws, [str(corpus)], extractor=extractor, ledger=ledger, report=None, batch_size=2)
    assert (rerun.documents, rerun.already_done) == (len(TEXTS) - 2, 2)
    assert quads(ws.store) == expected


def test_torn_ledger_line_is_ignored(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"doc": "a", "hash": "h1", "extractor": "x"}\n{"doc": "b", "ha')
    book = Ledger(path, "x")
    assert ("a", "h1") in book and len(book.done) == 1
    book.add("c", "h3")
    book.close()
    assert ("c", "h3") in Ledger(path, "x")


@pytest.fixture(scope="module")
def local_quads(nlp, tmp_path_factory):
    from kg.extract import Extractor

    d = tmp_path_factory.mktemp("par") / "docs"
    d.mkdir()
    for i, text in enumerate(TEXTS * 3):
        (d / f"doc{i:02d}.txt").write_text(text)
    ws = open_workspace("memory")
    store = ws.store
    run_job(ws, [str(d)], extractor=Extractor(nlp=nlp), ledger=None, report=None, batch_size=4)
    return d, quads(store)


def test_worker_processes_write_the_same_graph(local_quads):
    d, expected = local_quads
    ws = open_workspace("memory")
    store = ws.store
    summary = run_job(ws, [str(d)], jobs=2, ledger=None, report=None, batch_size=4)
    assert summary.documents == len(TEXTS) * 3
    assert quads(store) == expected


def test_dask_local_cluster_writes_the_same_graph(local_quads):
    distributed = pytest.importorskip("dask.distributed")
    d, expected = local_quads
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        ws = open_workspace("memory")
        store = ws.store
        summary = run_job(ws, [str(d)], scheduler=cluster, ledger=None, report=None, batch_size=4)
        # Each worker process loaded the model once and kept it.
        with distributed.Client(cluster) as client:
            loaded = client.run(lambda: len(__import__("kg.extract.parallel", fromlist=["x"])._EXTRACTORS))
    assert summary.documents == len(TEXTS) * 3
    assert quads(store) == expected
    assert all(n == 1 for n in loaded.values())


def test_extract_many_with_processes_matches_one_process(extractor):
    pairs = [(f"d{i}", text) for i, text in enumerate(TEXTS)]
    one = [(r.doc_id, sorted(t.key() for t in r.triples)) for r in extractor.extract_many(pairs)]
    two = [(r.doc_id, sorted(t.key() for t in r.triples))
           for r in extractor.extract_many(iter(pairs), n_process=2, batch_size=2)]
    assert one == two and len(one) == len(TEXTS)
