"""Shared helpers of the dashboard pages: which store, short read-only opens, cached derived objects.

Concurrency (see the README): the embedded store admits one writer or many readers. The dashboard
therefore never keeps the store open between interactions. Each interaction opens the workspace
read-only for as long as it reads (:func:`reading`), the heavy derived objects (graph index,
resolver) sit in ``st.cache_resource`` keyed by ``(store spec, change stamp)``, and the dashboard's
own writes (extract "add to graph", accepting predictions, building the sample) open it writable
only for the write (:func:`writing`). A ``kgn extract`` running in another process waits up to
5 s for these short reads, writes, and moves the stamp; the next interaction sees the new data.
When the store is busy, pages show a message and keep serving the last cached snapshot.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from kg.errors import KgnError, NoStoreError, StoreInUseError
from kg.store import DEFAULT_STORE

LOCK_WAIT = 5.0  # seconds a dashboard read or write waits for another kgn process
STORE_ENV = "KGN_STORE"  # read here, in the app layer only (`kgn app` also passes --store)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # per uploaded file: larger ones are refused with a message
UPLOAD_TYPES = ("txt", "md", "jsonl")


def store_spec() -> str:
    """The store this dashboard serves: session override (tests), ``--store`` after ``--`` on the
    ``streamlit run`` line (what ``kgn app`` passes), the ``KGN_STORE`` variable, or the default."""
    given = st.session_state.get("store_spec")
    if given:
        return given
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--store" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--store="):
            return arg.split("=", 1)[1]
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


@contextmanager
def reading():
    """The workspace opened read-only for one interaction (closed at the end of the block)."""
    from kg.workspace import open_workspace

    with open_workspace(store_spec(), read_only=True, lock_timeout=LOCK_WAIT) as ws:
        yield ws


@contextmanager
def writing():
    """The workspace opened writable for the duration of one dashboard write."""
    from kg.workspace import open_workspace

    with open_workspace(store_spec(), read_only=False, lock_timeout=LOCK_WAIT) as ws:
        yield ws


@dataclass(frozen=True)
class Snapshot:
    """What the pages read: the graph index at one change stamp, with its resolver."""

    spec: str
    stamp: str
    index: object  # kg.reason.index.TripleIndex

    @property
    def resolver(self):
        return _resolver(self.spec, self.stamp, self.index)

    @property
    def empty(self) -> bool:
        return self.index.num_entities == 0


@st.cache_resource(max_entries=4, show_spinner=False)
def _index(spec: str, stamp: str, include_inferred: bool, _ws):
    return _ws.index(include_inferred=include_inferred)


@st.cache_resource(max_entries=4, show_spinner="Indexing names ...")
def _resolver(spec: str, stamp: str, _index):
    from kg.resolve import resolver_for

    return resolver_for(_index)


def snapshot(include_inferred: bool = True) -> Snapshot | None:
    """The current snapshot (stamp checked with a short read-only open), or the last good one
    with a warning when the store is busy; ``None`` when there is no store (the caller offers
    the sample)."""
    spec = store_spec()
    key = f"snapshot:{spec}:{include_inferred}"
    try:
        with reading() as ws:
            stamp = ws.stamp()
            snap = Snapshot(spec, stamp, _index(spec, stamp, include_inferred, ws))
    except NoStoreError:
        return None
    except StoreInUseError as exc:
        last = st.session_state.get(key)
        st.warning(f"The store is busy ({exc}); showing the graph as it was last read.")
        if last is None:
            st.stop()
        return last
    st.session_state[key] = snap
    return snap


def require_graph(include_inferred: bool = True) -> Snapshot:
    """A non-empty snapshot, or (on a missing/empty store) the sample-graph offer and a stop."""
    snap = snapshot(include_inferred)
    if snap is None or snap.empty:
        offer_sample(missing=snap is None)
        st.stop()
    return snap


def offer_sample(missing: bool) -> None:
    where = store_spec()
    st.info(f"{'There is no store at' if missing else 'The store at'} `{where}`"
            f"{'' if missing else ' is empty'}. Build the sample graph (a small AI graph plus three "
            "documents extracted with spaCy) to try the dashboard.")
    if st.button("Build the sample graph", type="primary", key="build_sample"):
        from app.demo import run_demo

        lines: list[str] = []
        with st.spinner("Loading the sample and extracting its documents ..."):
            try:
                with writing() as ws:
                    run_demo(ws, echo=lines.append)
            except KgnError as exc:
                st.error(f"error: {exc}")
                return
        st.success("Sample graph built.")
        st.rerun()


def show_error(exc: BaseException) -> None:
    """A user-facing error as one message (never a traceback)."""
    st.error(f"error: {exc}")


def entity_options(snap: Snapshot, text: str, limit: int = 10) -> list:
    """Entities ``text`` names exactly (label, alias, IRI: a dict probe), else fuzzy matches
    through the one resolver (which compares ``text`` with many names on a large graph)."""
    if not text.strip():
        return []
    from kg.resolve import Match

    exact = snap.resolver.lookup(text)[:limit]
    if exact:
        idx = snap.index
        return [Match(i, idx.entities[i], idx.entity_labels[i], text.strip().casefold(), 1.0) for i in exact]
    return snap.resolver.search(text, limit=limit)


def entity_picker(snap: Snapshot, label: str, key: str, default: str = "") -> int | None:
    """A search box plus a choice of the matching entities; the chosen entity id or ``None``."""
    text = st.text_input(label, value=default, key=f"{key}_text")
    matches = entity_options(snap, text)
    if not matches:
        if text.strip():
            st.caption(f"No entity matches {text!r}.")
        return None
    by_name = unique_names({m.id: (snap.resolver.describe(m.id) if m.name == m.label.casefold()
                                   else f"{snap.resolver.describe(m.id)} — matched {m.name!r}") for m in matches})
    chosen = st.selectbox(f"{label}: match", list(by_name), key=f"{key}_pick")
    return by_name.get(chosen)


def unique_names(names: dict[int, str]) -> dict[str, int]:
    """Display name -> id, with ids appended where display names collide (the select boxes show
    plain strings, so a choice reads back unambiguously)."""
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {(name if counts[name] == 1 else f"{name} #{i}"): i for i, name in names.items()}


@st.cache_resource(show_spinner="Loading the spaCy model ...")
def extractor():
    """The extractor (spaCy model loaded once per dashboard process)."""
    from kg.extract import Extractor

    return Extractor()


def check_upload(name: str, size: int) -> str | None:
    """Why an uploaded file is refused (``None`` when it is accepted): type and size."""
    suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    if suffix not in UPLOAD_TYPES:
        return f"{name}: type .{suffix or '(none)'} is not accepted (use {', '.join('.' + t for t in UPLOAD_TYPES)})"
    if size > MAX_UPLOAD_BYTES:
        return f"{name}: {size / 1e6:.1f} MB is over the {MAX_UPLOAD_BYTES / 1e6:.0f} MB limit per file"
    return None


def upload_texts(name: str, data: bytes) -> list[tuple[str, str]]:
    """``(source, text)`` pairs of one accepted upload (a .jsonl file holds one per line, under
    "text"); undecodable content raises :class:`KgnError`."""
    import json

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KgnError(f"{name}: not UTF-8 text") from None
    if not name.casefold().endswith(".jsonl"):
        return [(name, text)]
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                record = json.loads(line)
                out.append((f"{name}#{record.get('id', n)}", str(record["text"])))
            except (ValueError, KeyError, AttributeError):
                raise KgnError(f"{name}: line {n} is not a JSON object with a \"text\" field") from None
    return out


def add_documents(ws, results) -> int:
    """Write extracted documents (``DocResult``) into ``ws`` as ``kgn extract`` does: linked to
    the entities already in the graph, one named graph per document (by content hash)."""
    from kg.documents import write_document
    from kg.extract.linking import GraphLinker

    linker = GraphLinker.from_store(ws.store, ws.vocab)
    quads = 0
    for result in results:
        linker.link(result)
        quads += write_document(ws.store, ws.vocab, ws.vocab.doc_graph(result.doc_id), result.to_triples(ws.vocab))
        linker.learn(result)
    return quads


def models_dir():
    """The workspace's folder of trained models (``None`` when there is no store yet)."""
    try:
        with reading() as ws:
            return ws.path("models")
    except NoStoreError:
        return None


def checkpoints(folder) -> list:
    """Trained runs (folders holding ``best.ckpt``), newest first."""
    if folder is None or not folder.is_dir():
        return []
    runs = [p.parent for p in folder.glob("*/best.ckpt")]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)
