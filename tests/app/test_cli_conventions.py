"""CLI conventions: workspace options anywhere, clear one-line errors, document identity."""

from __future__ import annotations

import json

import pytest

from app.cli import main

SAMPLE_TTL = "data/sample/ai.ttl"


@pytest.fixture
def loaded(tmp_path, capsys):
    from tests.conftest import REPO

    store = tmp_path / "store"
    assert main(["--store", str(store), "import", str(REPO / SAMPLE_TTL)]) == 0
    capsys.readouterr()
    return store


def stats(store, capsys) -> dict:
    assert main(["stats", "--json", "--store", str(store)]) == 0
    return json.loads(capsys.readouterr().out)


def test_store_option_before_or_after_the_command(loaded, capsys, monkeypatch):
    before = stats(loaded, capsys)
    assert main(["--store", str(loaded), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == before
    monkeypatch.setenv("KGN_STORE", "/nonexistent/elsewhere")  # an option on the line wins
    assert main(["entity", "hinton", "--store", str(loaded)]) == 0
    assert capsys.readouterr().out.startswith("Geoffrey Hinton")
    assert main(["rules", "show", "--store", str(loaded)]) == 1  # nested commands take it too
    assert "rules" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["path", "hinton", "lecun", "--k", "0"], "Invalid value for '--k': 0 is not in the range x>=1"),
    (["path", "hinton", "lecun", "--max-len", "-1"], "Invalid value for '--max-len'"),
    (["rules", "mine", "--min-conf", "2"], "Invalid value for '--min-conf'"),
    (["predict", "hinton", "worked at", "--top", "0"], "Invalid value for '--top'"),
])
def test_bad_option_values_exit_2_without_traceback(loaded, capsys, args, message):
    assert main([*args, "--store", str(loaded)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_invalid_base_and_missing_store_are_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KGN_BASE", "http://x> } ; DROP ALL ; #")
    assert main(["--store", str(tmp_path / "new"), "import", SAMPLE_TTL]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: base namespace must be an absolute IRI") and err.count("\n") == 1
    assert not (tmp_path / "new").exists()
    monkeypatch.delenv("KGN_BASE")
    assert main(["--store", str(tmp_path / "missing"), "stats"]) == 1
    assert capsys.readouterr().err.startswith(f"error: no store at {tmp_path / 'missing'}")
    assert not (tmp_path / "missing").exists()  # read-only commands never create stores
    assert main(["--store", "ftp://x", "stats"]) == 1
    assert "unsupported URL (scheme 'ftp')" in capsys.readouterr().err


def test_ambiguous_and_unknown_entities(loaded, capsys):
    assert main(["path", "Hintn", "lecun", "--store", str(loaded)]) == 1
    assert "error: unknown entity 'Hintn'; did you mean: " in capsys.readouterr().err


def test_the_same_file_through_another_path_is_the_same_document(tmp_path, capsys, monkeypatch):
    docs = tmp_path / "corpus" / "docs"
    docs.mkdir(parents=True)
    (docs / "n1.txt").write_text("Marie Curie worked at the University of Paris.", encoding="utf-8")
    store = tmp_path / "store"
    monkeypatch.chdir(tmp_path / "corpus")
    assert main(["--store", str(store), "extract", "docs", "--no-progress"]) == 0
    capsys.readouterr()
    first = stats(store, capsys)
    monkeypatch.chdir(tmp_path)
    assert main(["--store", str(store), "extract", str(docs) + "/", "--no-progress", "--ledger",
                 str(tmp_path / "other-ledger.jsonl")]) == 0  # a fresh ledger: really re-extracted
    (tmp_path / "link").symlink_to(docs)
    assert main(["--store", str(store), "extract", "link", "--no-progress", "--ledger",
                 str(tmp_path / "third-ledger.jsonl")]) == 0
    capsys.readouterr()
    assert stats(store, capsys) == first
