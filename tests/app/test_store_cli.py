"""`kgn import | query | entity | export | stats | demo` through the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample" / "ai.ttl"
KGN = str(Path(sys.executable).with_name("kgn"))


def kgn(*args, env=None, check=True):
    proc = subprocess.run([KGN, *args], capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"kgn {args} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture
def loaded(kgn_env):
    kgn("import", str(SAMPLE), env=kgn_env)
    return kgn_env


def test_import_then_query_and_entity(loaded):
    out = kgn("query", "SELECT ?l WHERE { e:Yann_LeCun r:worked_at ?o . ?o rdfs:label ?l } ORDER BY ?l",
              env=loaded).stdout
    assert out.splitlines()[2:5] == ["Bell Labs          ", "Meta               ", "New York University"]
    ent = kgn("entity", "lecun", env=loaded).stdout
    assert ent.startswith("Yann LeCun  <https://kgn.example/entity/Yann_LeCun>")
    assert "types:   Person" in ent and "-[worked at]-> Bell Labs" in ent and "<-[advised]- Geoffrey Hinton" in ent


def test_reimport_is_idempotent(loaded):
    before = json.loads(kgn("stats", "--json", env=loaded).stdout)
    kgn("import", str(SAMPLE), env=loaded)
    assert json.loads(kgn("stats", "--json", env=loaded).stdout) == before
    assert before["triples"] == 168 and before["graphs"] == 1


def test_query_csv_and_json(loaded):
    q = "SELECT ?l WHERE { e:Canada rdfs:label ?l }"
    assert kgn("query", q, "--csv", env=loaded).stdout == "l\nCanada\n"
    data = json.loads(kgn("query", q, "--json", env=loaded).stdout)
    assert data["results"]["bindings"] == [{"l": {"type": "literal", "value": "Canada"}}]
    assert kgn("query", "ASK { e:Canada ?p ?o }", env=loaded).stdout.strip() == "true"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "jsonld", "trig"])
def test_export_formats_round_trip(loaded, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    kgn("export", "--format", fmt, "-o", str(out), env=loaded)
    env2 = dict(loaded, KGN_STORE=str(tmp_path / "other"))
    kgn("import", str(out), env=env2)
    assert json.loads(kgn("stats", "--json", env=env2).stdout)["triples"] == 168


def test_export_to_stdout(loaded):
    lines = kgn("export", "--format", "nt", env=loaded).stdout.splitlines()
    assert len(lines) == 168


def test_malformed_rdf_names_file_and_line_and_exits_nonzero(loaded, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://x/> .\nex:a ex:b ex:c .\nex:a ex:b \"oops .\n")
    proc = kgn("import", str(bad), env=loaded, check=False)
    assert proc.returncode == 1
    assert "bad.ttl: line 3" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(kgn("stats", "--json", env=loaded).stdout)["triples"] == 168


def test_sparql_syntax_error_is_one_line_no_traceback(loaded):
    proc = kgn("query", "SELECT WHERE {", env=loaded, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: invalid SPARQL query") and "Traceback" not in proc.stderr


def test_unknown_entity_suggests(loaded):
    proc = kgn("entity", "Bengoi", env=loaded, check=False)
    assert proc.returncode == 1 and "did you mean: Bengio" in proc.stderr


def test_store_in_use_is_reported(loaded):
    from kg.store import OxigraphStore

    with OxigraphStore(loaded["KGN_STORE"]):
        proc = kgn("stats", env=loaded, check=False)
    assert proc.returncode == 1 and "in use by another process" in proc.stderr


def test_demo_answers_its_question(kgn_env):
    out = kgn("demo", env=kgn_env).stdout
    assert "Geoffrey Hinton | University of Toronto" in out
    assert "Yoshua Bengio   | University of Montreal" in out


def test_cli_against_a_remote_endpoint(oxigraph_server, tmp_path):
    import os

    env = dict(os.environ, KGN_STORE=oxigraph_server + "/query")
    from kg.store import RemoteStore

    RemoteStore(oxigraph_server + "/query").update("DROP SILENT ALL")  # the server is per session
    kgn("import", str(SAMPLE), env=env)
    assert json.loads(kgn("stats", "--json", env=env).stdout)["triples"] == 168
    assert "Person" in kgn("entity", "Geoff Hinton", env=env).stdout
