"""The batch job behind ``kgn extract``: files -> extractor -> one named graph per document.

Order of work for each batch of documents: extract (here, in worker processes or on Dask
workers), link each to the graph, :func:`kg.documents.write_documents` (one atomic write for the
batch's new documents; a new version of a document replaces its graph in its own write), then a
ledger line per document; the ledger is fsynced after each batch. Documents come back in input
order whatever runs them, so a local run, a ``--jobs N`` run and a Dask run write the same graph, and a killed job resumes where the ledger
says it stopped.

A document is identified by its resolved absolute path (``identity="path"``, the default; a
``.jsonl`` record by path and id) or, when asked, by its content (``identity="content"``: the
same text anywhere is one document).
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kg.documents import write_documents
from kg.errors import KgnError
from kg.extract.extractor import Extractor, ExtractorRecipe, ExtractorSettings, content_hash
from kg.extract.guard import FailedDoc
from kg.extract.ledger import Ledger
from kg.extract.linking import GraphLinker
from kg.extract.parallel import DaskRunner, LocalRunner, ProcessPoolRunner, chunked
from kg.extract.readers import DEFAULT_MAX_BYTES, Skipped, SourceDoc, read_documents

IDENTITIES = ("path", "content")
TASK_DOCS = 8  # documents per task sent to a worker process or a Dask worker


@dataclass
class JobSummary:
    documents: int = 0          # extracted and written in this run
    already_done: int = 0       # found in the ledger, not redone
    words: int = 0
    entities: int = 0
    triples: int = 0            # extracted statements (asserted) written
    quads: int = 0              # RDF triples written, provenance included
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.documents + self.already_done

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        return (f"documents: {self.documents} (already done: {self.already_done}), words: {self.words}, "
                f"entities: {self.entities}, triples: {self.triples}, skipped: {len(self.skipped)}, "
                f"{self.seconds:.1f}s, {rate:,.0f} words/s")


def run_job(ws, paths: Iterable[str], settings: ExtractorSettings | None = None, *, jobs: int = 1,
            batch_size: int = 64, scheduler=None, ledger: str | os.PathLike | None | bool = True,
            report: str | os.PathLike | None | bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
            progress: bool = False, extractor: Extractor | None = None, identity: str = "path",
            ) -> JobSummary:
    """Extract every document under ``paths`` into the workspace ``ws``
    (:func:`kg.workspace.open_workspace`).

    ``jobs``: worker processes (1: in this process). ``scheduler``: a Dask scheduler address, a
    ``Client`` or a cluster object; workers then parse and this process writes. ``ledger`` /
    ``report``: a path, ``True`` for the workspace's own (``ws.path("ledger")``), ``None``/``False``
    for none. ``identity``: ``"path"`` or ``"content"`` (see the module docstring).
    """
    if identity not in IDENTITIES:
        from kg.errors import UnknownNameError

        raise UnknownNameError("document identity", identity, IDENTITIES)
    started = time.perf_counter()  # the summary's time includes start-up (workers, model)
    store, vocab = ws.store, ws.vocab
    settings = settings or (extractor.settings if extractor else ExtractorSettings())
    # Other processes start first so that their model loading overlaps this process's set-up.
    # Tasks for them are kept small so that work is spread evenly and the writer starts early;
    # in-process, a chunk is one nlp.pipe batch.
    # Workers build their extractor from the recipe: the very method given here (by spec, or the
    # object itself), never a default looked up again from the settings.
    runner, task_docs = None, batch_size
    if scheduler is not None or jobs > 1:
        recipe = extractor.recipe() if extractor else ExtractorRecipe.for_settings(settings)
        if scheduler is not None:
            runner, task_docs = DaskRunner(recipe, scheduler), min(batch_size, TASK_DOCS)
        else:
            runner, task_docs = ProcessPoolRunner(recipe, jobs), min(batch_size, TASK_DOCS)
    try:
        extractor = extractor or (recipe.build() if runner is not None else Extractor(settings))
    except BaseException:
        if runner is not None:
            runner.__exit__(*sys.exc_info())
        raise
    runner = runner or LocalRunner(extractor)
    ledger_path = ws.path("ledger") if ledger is True else (ledger or None)
    report_path = ws.path("report") if report is True else (report or None)
    # The ledger keys on what runs: method name, version, options digest and parser.
    book = Ledger(ledger_path, extractor.key)
    summary = JobSummary()

    def todo() -> Iterator[tuple[str, str, str]]:
        for item in read_documents(paths, max_bytes):
            if isinstance(item, Skipped):
                summary.skipped.append(item)
                continue
            digest = content_hash(item.text)
            doc_id = item.doc_id if identity == "path" else digest
            if (doc_id, digest) in book:
                summary.already_done += 1
                continue
            yield doc_id, item.text, item.source

    bar = _progress(progress)
    linker = GraphLinker.from_store(store, vocab)

    def write(done: list) -> None:
        # One store write for the batch's new documents; the ledger entries follow it, so a kill
        # in between redoes the batch (each document replaces its own graph: no doubles).
        counts = write_documents(store, vocab, [(vocab.doc_graph(r.doc_id), t) for r, t in done])
        for (result, triples), quads in zip(done, counts):
            book.add(result.doc_id, result.content_hash, triples=len(triples))
            summary.documents += 1
            summary.words += result.words
            summary.entities += len(result.entities)
            summary.triples += len(result.triples)
            summary.quads += quads
            if bar is not None:
                bar.update(1)
                elapsed = time.perf_counter() - started
                bar.set_postfix_str(f"{summary.words / elapsed:,.0f} words/s", refresh=False)
        book.sync()

    # Writes go to one writer thread, one batch behind: the store's transaction runs outside the
    # GIL, so it overlaps the next batch's parse (about a fifth of a job's time). Batches still
    # land, and reach the ledger, strictly in order; at most one batch waits in memory.
    writer, pending = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kgn-writer"), None
    try:
        with runner:
            for results in runner.map(chunked(todo(), task_docs), batch_size):
                done = []
                for result in results:
                    if isinstance(result, FailedDoc):  # reported, not in the ledger: a rerun retries it
                        summary.skipped.append(Skipped(result.source, result.reason))
                        continue
                    if (result.extractor, result.version) != (extractor.name, extractor.version):
                        raise KgnError(f"document {result.doc_id!r} was extracted by "
                                       f"{result.extractor}/{result.version}, not by this job's "
                                       f"{extractor.name}/{extractor.version}")
                    linker.link(result)
                    done.append((result, result.to_triples(vocab)))
                    linker.learn(result)
                if pending is not None:
                    pending.result()  # a failed write stops the job here, before more is written
                pending = writer.submit(write, done) if done else None
            if pending is not None:
                pending.result()
                pending = None
    finally:
        if pending is not None:  # the job is failing: let the write in flight finish, then stop
            pending.exception()
        writer.shutdown(wait=True)
        book.close()
        if bar is not None:
            bar.close()
        summary.seconds = time.perf_counter() - started
        if report_path is not None:
            write_report(report_path, summary.skipped)
    return summary


def write_report(path: str | os.PathLike, skipped: list[Skipped]) -> None:
    """One JSON line per skipped document: ``{"source": ..., "reason": ...}``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for s in skipped:
            fh.write(json.dumps(s.as_dict(), ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def _progress(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", desc="extract", dynamic_ncols=True)


__all__ = ["IDENTITIES", "JobSummary", "SourceDoc", "run_job", "write_report"]
