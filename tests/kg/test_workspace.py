"""The workspace: one opener, settings saved with the store, side files, stamp, saved index."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

import kg.workspace as workspace_mod
from kg.errors import NoStoreError, StoreInUseError
from kg.indexing import build_index
from kg.errors import StoreLocationError as StoreSpecError
from kg.vocab import InvalidBaseError, Vocab
from kg.workspace import SettingsMismatchError, open_workspace

v = Vocab()
E = v.base + "entity/"


def people(n: int, start: int = 0):
    """Triples of a chain of people knowing each other, with labels."""
    out = []
    for i in range(start, start + n):
        a, b = URIRef(f"{E}P{i}"), URIRef(f"{E}P{i + 1}")
        out += [(a, RDFS.label, Literal(f"Person {i}")), (a, v.relation("knows"), b)]
    return out


def same_graph(a, b) -> bool:
    """Two indexes hold the same named triples, labels, aliases and types (ids may differ)."""
    def named(ix):
        tr = np.asarray(ix.triples)
        return ({(ix.entities[h], ix.relations[r], ix.entities[t]) for h, r, t in tr.tolist()},
                {e: (ix.entity_labels[i], ix.entity_aliases[i], ix.entity_types[i]) for i, e in enumerate(ix.entities)})
    return named(a) == named(b)


def test_base_is_saved_with_the_store(tmp_path):
    with open_workspace(tmp_path / "s", base="http://my.org/kg") as ws:
        assert ws.vocab.base == "http://my.org/kg/"
    with open_workspace(tmp_path / "s") as ws:  # no base given: the saved one, not the default
        assert ws.vocab.entity("A") == URIRef("http://my.org/kg/entity/A")
    with pytest.raises(SettingsMismatchError, match="uses base namespace 'http://my.org/kg/'"):
        open_workspace(tmp_path / "s", base="http://other.org/")
    with pytest.raises(InvalidBaseError):
        open_workspace(tmp_path / "t", base="not an iri")
    assert not (tmp_path / "t").exists()


def test_bad_store_specs_are_clear_errors(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(StoreSpecError, match="is a file, not a directory"):
        open_workspace(f)
    with pytest.raises(StoreSpecError, match="is under .*file.txt, which is a file"):
        open_workspace(f / "store")
    with pytest.raises(StoreSpecError, match="is a device"):
        open_workspace("/dev/null")
    with pytest.raises(StoreSpecError, match=r"unsupported URL \(scheme 'ftp'\)"):
        open_workspace("ftp://x")
    with pytest.raises(NoStoreError, match="no store at .*missing"):
        open_workspace(tmp_path / "missing", read_only=True)
    assert not (tmp_path / "missing").exists()


def test_readers_share_writers_exclude(tmp_path):
    with open_workspace(tmp_path / "s") as ws:
        ws.store.add(people(2), graph=v.doc_graph("d"))
    with open_workspace(tmp_path / "s", read_only=True) as r1, open_workspace(tmp_path / "s", read_only=True) as r2:
        assert len(r1.store) == len(r2.store) == 4
        with pytest.raises(StoreInUseError):
            open_workspace(tmp_path / "s")
        with pytest.raises(Exception, match="read-only"):
            r1.store.add(people(1), graph=v.doc_graph("e"))


def test_side_files_live_with_the_store(tmp_path):
    with open_workspace(tmp_path / "s") as ws:
        assert ws.path("rules") == tmp_path / "s" / "kgn" / "rules.json"
        assert ws.path("index").is_dir()
    with open_workspace("memory") as ws:
        side = ws.side_dir
        assert ws.path("ledger").parent == side and side.is_dir()
    assert not side.exists()  # the memory store's side files go with it
    with pytest.raises(Exception, match="unknown side-file kind 'nope'"):
        open_workspace("memory").path("nope")


def test_stamp_moves_across_processes(tmp_path):
    store = tmp_path / "s"
    with open_workspace(store) as ws:
        before = ws.stamp()
    code = ("from kg.workspace import open_workspace\nfrom rdflib import URIRef\n"
            f"ws = open_workspace({str(store)!r})\n"
            "ws.store.add([(URIRef('http://x/a'), URIRef('http://x/b'), URIRef('http://x/c'))], graph=URIRef('http://x/g'))\n"
            "print(ws.stamp()); ws.close()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    with open_workspace(store, read_only=True) as ws:
        assert ws.stamp() != before and ws.stamp() == out.stdout.strip()
        assert ws.store.changes_since(before) == {"http://x/g"}


def test_saved_index_is_identical_to_a_fresh_build(tmp_path):
    store = tmp_path / "s"
    with open_workspace(store) as ws:
        ws.store.add(people(30), graph=v.doc_graph("d1"))
        first = ws.index()
    with open_workspace(store, read_only=True) as ws:
        loaded = ws.index()
        fresh = build_index(ws.store, ws.vocab).index
    assert loaded is not first
    for field in ("entities", "relations", "entity_labels", "relation_labels", "entity_types", "entity_aliases"):
        assert getattr(loaded, field) == getattr(fresh, field), field
    for field in ("triples", "indptr", "neighbor", "code"):
        assert np.array_equal(getattr(loaded, field), getattr(fresh, field)), field


def test_index_is_loaded_not_rebuilt_and_updated_per_document(tmp_path, monkeypatch):
    store = tmp_path / "s"
    with open_workspace(store) as ws:
        ws.store.add(people(20), graph=v.doc_graph("d1"))
        ws.index()
    builds = []
    real = workspace_mod.build_index
    monkeypatch.setattr(workspace_mod, "build_index", lambda *a: builds.append(1) or real(*a))
    with open_workspace(store) as ws:
        ws.index()
        assert builds == []  # loaded from disk
        ws.store.add(people(5, start=100), graph=v.doc_graph("d2"))  # one more document
        updated = ws.index()
        assert builds == []  # updated from the change log, not rebuilt
        assert same_graph(updated, build_index(ws.store, ws.vocab).index)
        assert ws.resolve("person 102") == f"{E}P102"
        ws.store.replace_graph(v.doc_graph("d1"), people(3))  # an old document rewritten
        rebuilt = ws.index()
        assert builds == [1] and same_graph(rebuilt, build_index(ws.store, ws.vocab).index)


def test_networkx_view_derives_from_the_index():
    with open_workspace("memory") as ws:
        ws.store.add(people(3), graph=v.doc_graph("d"))
        g = ws.graph()
        assert g.nodes[f"{E}P0"]["label"] == "Person 0"
        assert g.has_edge(f"{E}P0", f"{E}P1", str(v.relation("knows")))
        assert ws.graph() is g  # cached while the stamp stands
        ws.store.add(people(1, start=10), graph=v.doc_graph("e"))
        assert ws.graph() is not g and f"{E}P10" in ws.graph()


def test_a_save_in_an_older_format_is_replaced(tmp_path):
    store = tmp_path / "s"
    with open_workspace(store) as ws:
        ws.store.add(people(3), graph=v.doc_graph("d"))
        ws.index()
        saved = ws.path("index") / ws.stamp() / "names.json"
        saved.write_text('{"format": "kgn-index/0", "stamp": "x"}', encoding="utf-8")
    with open_workspace(store, read_only=True) as ws:
        ws.index()
    assert json.loads(saved.read_text())["format"] == "kgn-index/2"
