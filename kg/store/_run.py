"""Running engine work that may take for ever: under a time limit, and stoppable with Ctrl-C.

The embedded engine evaluates a query inside native code with no cancellation hook, and a thread
that is blocked there cannot receive ``KeyboardInterrupt``. So the work runs in a daemon thread
(the engine releases the GIL while it evaluates) and the caller waits on a queue, which a time
limit and Ctrl-C both interrupt. Abandoned work keeps its thread until it finishes or the process
exits; it only ever *reads*, because updates are never run this way.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from typing import Any, Callable, Iterable, Iterator

from kg.errors import QueryTimeoutError

_END = object()
_ROWS_IN_FLIGHT = 1024  # rows buffered between the engine thread and the writer: bounded memory


def _timeout_error(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"query stopped after the {timeout:g} s time limit "
                             "(raise it with --timeout SECONDS; 0 means no limit)")


class Deadline:
    def __init__(self, timeout: float | None):
        self.timeout = timeout
        self.at = math.inf if timeout is None or timeout <= 0 else time.monotonic() + timeout

    def left(self) -> float | None:
        """Seconds left (``None``: no limit); raises when none are."""
        if self.at == math.inf:
            return None
        left = self.at - time.monotonic()
        if left <= 0:
            raise _timeout_error(self.timeout)
        return left


def _get(q: queue.Queue, deadline: Deadline):
    # Short waits in a loop: a wait without timeout would also do, but this keeps Ctrl-C prompt
    # on every platform.
    while True:
        left = deadline.left()
        try:
            return q.get(timeout=0.2 if left is None else min(0.2, left))
        except queue.Empty:
            continue


def stream(produce: Callable[[], tuple[Any, Iterable]], timeout: float | None) -> tuple[Any, Iterator]:
    """Run ``produce`` in a worker thread: it returns ``(head, items)``.

    Returns ``head`` at once and an iterator over ``items`` that waits for each item under the
    same ``timeout`` (seconds from now for the whole production; ``None``/``0``: no limit). An
    exception in the worker is raised in the caller; a caller that stops early (or times out)
    makes the worker stop after its current item.
    """
    q: queue.Queue = queue.Queue(maxsize=_ROWS_IN_FLIGHT)
    stop = threading.Event()
    deadline = Deadline(timeout)

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def work():
        try:
            head, items = produce()
            if not put(("head", head)):
                return
            for item in items:
                if not put(("item", item)):
                    return
            put(("end", None))
        except BaseException as exc:  # handed over to the caller, raised there
            put(("error", exc))

    threading.Thread(target=work, name="kgn-query", daemon=True).start()

    def take():
        kind, value = _get(q, deadline)
        if kind == "error":
            raise value
        return kind, value

    try:
        _, head = take()
    except BaseException:
        stop.set()
        raise

    def items() -> Iterator:
        try:
            while True:
                kind, value = take()
                if kind == "end":
                    return
                yield value
        finally:
            stop.set()

    return head, items()


def call(fn: Callable[[], Any], timeout: float | None) -> Any:
    """``fn()`` in a worker thread, waited for under ``timeout`` and interruptible by Ctrl-C."""
    head, rest = stream(lambda: (fn(), ()), timeout)
    for _ in rest:
        pass
    return head
