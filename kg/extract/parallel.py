"""Running extraction on several processes or a Dask cluster; results come back in input order.

Workers parse and extract only; each builds its extractor once per process from the parent's
:class:`~kg.extract.extractor.ExtractorRecipe` (a module-level cache keyed by the recipe's key: the
relation methods' specs, so a worker runs exactly the method the parent was given) and send back
small :class:`~kg.extract.model.DocResult` objects rather
than spaCy ``Doc``s. Writing stays with the one process that owns the store.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Iterator

from kg.extract.guard import FailedDoc, extract_guarded
from kg.extract.model import DocResult

# This module never imports the extractor module (which imports this one for extract_many): an
# extractor arrives as an object, or is built from a recipe's ``build()``.
Chunk = list[tuple[str, str, str]]  # (doc_id, text, source)

_EXTRACTORS: dict = {}  # recipe key -> this process's extractor


def process_extractor(recipe):
    """This process's extractor for ``recipe`` (built on first use, then reused)."""
    ex = _EXTRACTORS.get(recipe.key)
    if ex is None:
        ex = _EXTRACTORS[recipe.key] = recipe.build()
    return ex


def extract_with(ex, chunk: Chunk, batch_size: int = 64) -> list[DocResult | FailedDoc]:
    """Parse a chunk and extract it, ``batch_size`` documents at a time through the relation
    method's batch hook. Guarded: long documents are parsed in pieces and a failing one comes back
    as a FailedDoc, so no document can stop its batch or the job."""
    return extract_guarded(ex, chunk, batch_size)


def extract_chunk(recipe, chunk: Chunk, batch_size: int = 64) -> list[DocResult]:
    """The task a worker runs: parse and extract one chunk of documents."""
    return extract_with(process_extractor(recipe), chunk, batch_size)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ordered(submit: Callable, get: Callable, chunks: Iterable[Chunk], window: int) -> Iterator[list[DocResult]]:
    """Results of ``chunks`` in order, with at most ``window`` chunks in flight (bounded memory)."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield get(pending.popleft())
    while pending:
        yield get(pending.popleft())


class LocalRunner:
    """Everything in this process, with a given extractor (``--jobs 1``)."""

    def __init__(self, extractor):
        self.extractor = extractor

    def map(self, chunks: Iterable[Chunk], batch_size: int) -> Iterator[list[DocResult]]:
        for chunk in chunks:
            yield extract_with(self.extractor, chunk, batch_size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class ProcessPoolRunner:
    """``n`` spawned worker processes (``--jobs N``); each loads the model once."""

    def __init__(self, recipe, n: int):
        import multiprocessing

        self.recipe, self.n = recipe, n
        # spawn, not fork: the parent holds the store (RocksDB threads, a file lock). Workers load
        # the model as soon as they start, while the parent is still setting up.
        self.pool = multiprocessing.get_context("spawn").Pool(n, initializer=_warm, initargs=(recipe,))

    def map(self, chunks: Iterable[Chunk], batch_size: int) -> Iterator[list[DocResult]]:
        return ordered(lambda c: self.pool.apply_async(extract_chunk, (self.recipe, c, batch_size)),
                       lambda r: r.get(), chunks, window=2 * self.n + 1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.pool.terminate() if exc and exc[0] else self.pool.close()
        self.pool.join()


class DaskRunner:
    """The same tasks on a ``dask.distributed`` cluster (scheduler address, Client or cluster)."""

    def __init__(self, recipe, scheduler):
        from dask.distributed import Client

        self.recipe = recipe
        if isinstance(scheduler, Client):
            self.client, self._own = scheduler, False
        else:
            self.client, self._own = Client(scheduler), True
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads + 1

    def map(self, chunks: Iterable[Chunk], batch_size: int) -> Iterator[list[DocResult]]:
        return ordered(
            lambda c: self.client.submit(extract_chunk, self.recipe, c, batch_size, pure=False),
            lambda f: f.result(), chunks, self.window)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._own:
            self.client.close()


def _warm(recipe) -> None:
    process_extractor(recipe)
