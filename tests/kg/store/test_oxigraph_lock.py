"""Two processes on one embedded store: the second gets a clear error, the store stays intact."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from rdflib import Literal, URIRef

from kg.errors import StoreInUseError
from kg.store import OxigraphStore

HOLD = textwrap.dedent("""
    import sys, time
    from kg.store import OxigraphStore
    s = OxigraphStore(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()   # hold the store until the test says so
    s.close()
""")


def test_second_process_gets_store_in_use(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path) as s:
        s.add([(URIRef("http://x/a"), URIRef("http://x/p"), Literal("v"))], graph=URIRef("http://x/g"))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreInUseError, match="in use by another process"):
            OxigraphStore(path)
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    with OxigraphStore(path) as s:  # released and intact
        assert len(s) == 1


def test_reopen_after_close_in_same_process(tmp_path):
    s = OxigraphStore(tmp_path / "store")
    s.close()
    s2 = OxigraphStore(tmp_path / "store")
    s2.close()


def test_big_files_are_validated_before_bulk_load(tmp_path, monkeypatch):
    import kg.store.oxigraph as mod

    monkeypatch.setattr(mod, "BULK_THRESHOLD_BYTES", 10)  # force the bulk path on a small file
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text("<http://x/a> <http://x/p> <http://x/b> .\n" * 3)
    bad.write_text("<http://x/a> <http://x/p> <http://x/b> .\n<http://x/a> <http://x/p> .\n")
    with OxigraphStore(tmp_path / "store") as s:
        s.load(good, graph=URIRef("http://x/g"))
        assert len(s) == 1
        s.load(good, graph=URIRef("http://x/g"))  # again: replaces, no duplicates
        assert len(s) == 1
        from kg.errors import RdfSyntaxError

        with pytest.raises(RdfSyntaxError, match="bad.nt: line 2"):
            s.load(bad, graph=URIRef("http://x/g2"))
        assert len(s) == 1
