"""The graph index: built straight from the store, saved beside it, updated per document.

Path search, rule mining, embeddings and the dashboard work on a
:class:`~kg.reason.index.TripleIndex` (integer ids, CSR adjacency, labels, aliases, types). Built
from the store in one pass over its relation triples (no NetworkX detour), it is saved in the
workspace's ``index`` folder under the store's change stamp, so the next process loads it in a
fraction of a second; when documents were only *added* since (the store's change log says which
named graphs were written), their graphs are read and appended instead of rebuilding.

Files of one saved index (``<folder>/<stamp>/``): ``triples.npy``, ``indptr.npy``,
``neighbor.npy``, ``code.npy``, ``inferred.npy`` (memory-mapped on load) and ``names.json``
(IRIs, labels, aliases, types, the graphs it was built from).
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rdflib.namespace import RDF, RDFS, SKOS

from kg.reason.index import TripleIndex
from kg.resolve import attach_table, resolver_table
from kg.vocab import KGN, META_GRAPH, Vocab, is_meta, local_name

FORMAT = "kgn-index/2"
_FILES = ("triples", "indptr", "neighbor", "code", "inferred")


@dataclass(frozen=True, eq=False)
class StoredIndex:
    """A graph index with what it needs to be saved and updated: per-triple inferred flags and
    the named graphs it was read from."""

    index: TripleIndex
    inferred: np.ndarray  # bool per row of index.triples: stated only in the inferred graph
    graphs: frozenset[str]

    def view(self, include_inferred: bool = True) -> TripleIndex:
        """The index, or a copy without the triples that only inference stated."""
        if include_inferred or not self.inferred.any():
            return self.index
        ix = self.index
        return TripleIndex(ix.entities, ix.relations, np.asarray(ix.triples)[~self.inferred],
                           entity_labels=ix.entity_labels, relation_labels=ix.relation_labels,
                           entity_types=ix.entity_types, entity_aliases=ix.entity_aliases)


# -- building from the store --------------------------------------------------------------------
def _edges_query(graphs: list[str] | None) -> str:
    scope = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }} " if graphs is not None else ""
    return f"SELECT ?s ?p ?o ?g WHERE {{ {scope}GRAPH ?g {{ ?s ?p ?o FILTER(isIRI(?o)) }} }}"


def _names_query(predicate, graphs: list[str] | None, doc_predicate=None) -> str:
    # A full build reads the shared descriptions; an update reads the new documents' own records.
    preds = f"<{predicate}>" if doc_predicate is None or graphs is None else f"<{predicate}>|<{doc_predicate}>"
    if graphs is None:
        return f"SELECT ?s ?v WHERE {{ ?s {preds} ?v }}"
    values = " ".join(f"<{g}>" for g in graphs)
    return f"SELECT ?s ?v WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s {preds} ?v }} }}"


class _Builder:
    """Accumulates relation triples and names into integer arrays (also for incremental adds)."""

    def __init__(self, vocab: Vocab, base: StoredIndex | None = None):
        self.vocab = vocab
        self.inferred_graph = str(vocab.inferred_graph)
        self.meta_graph = str(META_GRAPH)
        if base is None:
            self.entities: list[str] = []
            self.relations: list[str] = []
            self.rows: list[np.ndarray] = []
            self.inf: list[np.ndarray] = []
            self.labels: dict[str, str] = {}
            self.aliases: dict[str, set] = defaultdict(set)
            self.types: dict[str, set] = defaultdict(set)
            self.graphs: set[str] = set()
        else:
            ix = base.index
            self.entities, self.relations = list(ix.entities), list(ix.relations)
            self.rows, self.inf = [np.asarray(ix.triples)], [np.asarray(base.inferred)]
            self.labels = {e: lab for e, lab in zip(ix.entities, ix.entity_labels)}
            self.labels.update(zip(ix.relations, ix.relation_labels))
            self.aliases = defaultdict(set, {e: set(a) for e, a in zip(ix.entities, ix.entity_aliases) if a})
            self.types = defaultdict(set, {e: set(t) for e, t in zip(ix.entities, ix.entity_types) if t})
            self.graphs = set(base.graphs)
        self.eid = {e: i for i, e in enumerate(self.entities)}
        self.rid = {r: i for i, r in enumerate(self.relations)}

    def add_edges(self, rows) -> None:
        eid, rid, entities, relations = self.eid, self.rid, self.entities, self.relations
        meta_cache: dict[str, bool] = {}
        out, inf = [], []
        for s, p, o, g in rows:
            if g == self.meta_graph:
                continue
            self.graphs.add(g)
            skip = meta_cache.get(p)
            if skip is None:
                skip = meta_cache[p] = is_meta(p)
            if skip:
                continue
            h = eid.get(s)
            if h is None:
                h = eid[s] = len(entities)
                entities.append(s)
            t = eid.get(o)
            if t is None:
                t = eid[o] = len(entities)
                entities.append(o)
            r = rid.get(p)
            if r is None:
                r = rid[p] = len(relations)
                relations.append(p)
            out.append((h, r, t))
            inf.append(g == self.inferred_graph)
        if out:
            self.rows.append(np.asarray(out, dtype=np.int64))
            self.inf.append(np.asarray(inf, dtype=bool))

    def add_names(self, store, graphs: list[str] | None) -> None:
        values = store.select_values
        for s, v in values(_names_query(RDFS.label, graphs, KGN.docLabel)):
            if v is not None:
                self.labels.setdefault(s, v)
        for s, v in values(_names_query(SKOS.altLabel, graphs, KGN.docAltLabel)):
            self.aliases[s].add(v)
        for s, v in values(_names_query(RDF.type, graphs, KGN.docType)):
            self.types[s].add(v)
        # Entities minted by kgn are nodes even without relations; other IRIs only via edges.
        prefix = self.vocab.base + "entity/"
        for s in self.labels:
            if s.startswith(prefix) and s not in self.eid:
                self.eid[s] = len(self.entities)
                self.entities.append(s)

    def finish(self) -> StoredIndex:
        rows = np.concatenate(self.rows) if self.rows else np.zeros((0, 3), dtype=np.int64)
        inf = np.concatenate(self.inf) if self.inf else np.zeros(0, dtype=bool)
        if len(rows):
            # One row per distinct triple; inferred only if no other graph states it too.
            keys, inverse = np.unique(rows, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            stated = np.zeros(len(keys), dtype=bool)
            stated[inverse[~inf]] = True
            rows, inf = keys, ~stated
        ents = tuple(self.entities)
        index = TripleIndex(
            ents, tuple(self.relations), rows,
            entity_labels=tuple(self.labels.get(e) or local_name(e) for e in ents),
            relation_labels=tuple(self.labels.get(r) or local_name(r) for r in self.relations),
            entity_types=tuple(tuple(sorted(self.types.get(e, ()))) for e in ents),
            entity_aliases=tuple(tuple(sorted(self.aliases.get(e, ()))) for e in ents),
        )
        return StoredIndex(index, inf, frozenset(self.graphs))


def build_index(store, vocab: Vocab) -> StoredIndex:
    """Read the store's relation triples, labels, aliases and types into a new index."""
    b = _Builder(vocab)
    b.add_edges(store.select_values(_edges_query(None)))
    b.graphs.update(str(g) for g in store.graphs())
    b.add_names(store, None)
    return b.finish()


def update_index(stored: StoredIndex, store, vocab: Vocab, touched: set[str]) -> StoredIndex | None:
    """``stored`` plus the named graphs in ``touched``, if they are all new graphs.

    Returns ``None`` when an update cannot be exact (a graph it already holds was rewritten or
    removed): the caller rebuilds. The shared descriptions graph is derived from the document
    graphs (see :mod:`kg.documents`), so its changes are covered by reading the new graphs.
    """
    skip = {str(vocab.descriptions_graph)}
    new = sorted(g for g in touched if g not in skip)
    if any(g in stored.graphs for g in new):
        return None
    b = _Builder(vocab, stored)
    if new:
        b.add_edges(store.select_values(_edges_query(new)))
        b.graphs.update(new)
        b.add_names(store, new)
    return b.finish()


# -- saving and loading -------------------------------------------------------------------------
def save_index(stored: StoredIndex, folder: str | os.PathLike, stamp: str) -> Path | None:
    """Save under ``folder/<stamp>`` (atomically: a temporary folder renamed into place) and drop
    older saves. Returns ``None`` when the folder is not writable (read-only media)."""
    folder = Path(folder)
    target = folder / stamp
    tmp = folder / f".{stamp}.{os.getpid()}.tmp"
    ix = stored.index
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, arr in (("triples", ix.triples), ("indptr", ix.indptr), ("neighbor", ix.neighbor),
                          ("code", ix.code), ("inferred", stored.inferred)):
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr))
        # Entities share few distinct type sets: each is stored once, entities point at theirs.
        type_sets = sorted(set(ix.entity_types))
        set_id = {ts: i for i, ts in enumerate(type_sets)}
        names = {
            "format": FORMAT, "stamp": stamp,
            "entities": ix.entities, "relations": ix.relations,
            "entity_labels": ix.entity_labels, "relation_labels": ix.relation_labels,
            "type_sets": type_sets,
            "entity_types": [set_id[ts] for ts in ix.entity_types],
            "entity_aliases": ix.entity_aliases,
            "graphs": sorted(stored.graphs),
            # The resolver's table (kg.resolve), so a process that resolves two names does not
            # fold every label and alias first.
            "resolver": resolver_table(ix),
        }
        (tmp / "names.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        if target.exists():
            if _saved_format(target) == FORMAT:  # another process saved this stamp first: the same index
                shutil.rmtree(tmp, ignore_errors=True)
                return target
            shutil.rmtree(target)  # a save in an older format, or a broken one
        os.rename(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    for old in folder.iterdir():
        if old.name != stamp and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return target


def _saved_format(path: Path) -> str | None:
    try:
        with (path / "names.json").open(encoding="utf-8") as fh:
            head = fh.read(64)  # names.json starts with its format
        return json.loads(head.split(",", 1)[0] + "}").get("format")
    except (OSError, ValueError):
        return None


def load_index(folder: str | os.PathLike, stamp: str | None = None) -> tuple[str, StoredIndex] | None:
    """The saved index for ``stamp`` (or the newest one when ``stamp`` is None), memory-mapped;
    ``None`` when there is none or it is unreadable."""
    folder = Path(folder)
    if stamp is not None:
        candidates = [folder / stamp]
    else:
        candidates = sorted((p for p in folder.glob("[!.]*") if p.is_dir()),
                            key=lambda p: p.stat().st_mtime, reverse=True)[:1] if folder.is_dir() else []
    for path in candidates:
        try:
            names = json.loads((path / "names.json").read_text(encoding="utf-8"))
            if names.get("format") != FORMAT:
                continue
            arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r") for n in _FILES}
        except (OSError, ValueError):
            continue
        type_sets = [tuple(ts) for ts in names["type_sets"]]
        index = TripleIndex.restore(
            tuple(names["entities"]), tuple(names["relations"]), arrays["triples"],
            entity_labels=tuple(names["entity_labels"]), relation_labels=tuple(names["relation_labels"]),
            entity_types=tuple([type_sets[i] for i in names["entity_types"]]),
            entity_aliases=tuple(map(tuple, names["entity_aliases"])),
            indptr=arrays["indptr"], neighbor=arrays["neighbor"], code=arrays["code"])
        attach_table(index, names["resolver"])
        return names["stamp"], StoredIndex(index, np.asarray(arrays["inferred"]), frozenset(names["graphs"]))
    return None
