"""`kgn path / rules / predict / infer` against an on-disk store in a temp dir."""

import json

import pytest
from click.testing import CliRunner

from app.cli import cli, main
from kg.store import open_store
from kg.vocab import Vocab
from tests.kg.reason.conftest import FACTS


@pytest.fixture
def store_dir(tmp_path):
    v = Vocab()
    path = tmp_path / "store"
    with open_store(str(path)) as store:
        triples = []
        for h, r, t in FACTS:
            triples += [(v.entity(h), v.relation(r), v.entity(t))] + v.relation_triples(v.relation(r), r)
            triples += v.entity_triples(v.entity(h), h) + v.entity_triples(v.entity(t), t)
        store.add(triples, graph=v.doc_graph("d1"))
    return path


def run(store_dir, *args):
    res = CliRunner().invoke(cli, ["--store", str(store_dir), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_path_command(store_dir):
    assert run(store_dir, "path", "G", "I").strip() == "[2] G -[p]-> H -[q]-> I"
    assert run(store_dir, "path", "A", "C", "--k", "3").splitlines() == [
        "[1] A -[r]-> C", "[2] A -[p]-> B -[q]-> C"]
    assert run(store_dir, "path", "C", "B2", "--all", "--max-len", "3").splitlines() == [
        "[2] C <-[r]- A -[p]-> B2", "[3] C <-[q]- B <-[p]- A -[p]-> B2"]
    assert run(store_dir, "path", "C", "B2", "--relation", "p", "--relation", "q", "--k", "5").splitlines() == [
        "[3] C <-[q]- B <-[p]- A -[p]-> B2"]


def test_errors_are_one_line(store_dir, capsys):
    assert main(["--store", str(store_dir), "path", "Gg", "I"]) == 1
    assert "error: unknown entity 'Gg'; did you mean: G" in capsys.readouterr().err
    assert main(["--store", str(store_dir), "path", "G", "C", "--no-inverse"]) == 1
    assert "error: no path within 6 hops between G and C" in capsys.readouterr().err
    assert main(["--store", str(store_dir), "predict", "G", "r"]) == 1
    assert "run `kgn rules mine` first" in capsys.readouterr().err


def test_mine_show_predict_infer_remove(store_dir):
    out = run(store_dir, "rules", "mine", "--max-len", "2", "--min-support", "2", "--min-conf", "0")
    assert "mined 3 rules" in out
    rules_file = store_dir / "kgn" / "rules.json"
    assert json.loads(rules_file.read_text())["format"] == "kgn-rules/1"
    shown = run(store_dir, "rules", "show", "--relation", "r")
    assert "   0.500    0.667       2      4  p(X,A) ∧ q(A,Y) ⇒ r(X,Y)" in shown
    out = run(store_dir, "predict", "G", "r", "--explain")
    assert out.splitlines() == ["0.500  I    (G -[r]-> I; 1 rule(s), noisy-or 0.500)",
                                "    0.500  p(X,A) ∧ q(A,Y) ⇒ r(X,Y)",
                                "           G -[p]-> H -[q]-> I"]
    assert run(store_dir, "predict", "I", "r", "--heads").startswith("0.500  G ")
    out = run(store_dir, "infer", "--min-confidence", "0.6")
    assert "0.667  B2 -[q]-> C" in out and "wrote 1 inferred fact(s)" in out
    # The inferred edge is now part of the graph that `path` walks.
    assert run(store_dir, "path", "B2", "C", "--relation", "q").strip() == "[1] B2 -[q]-> C"
    assert "removed graph" in run(store_dir, "infer", "--remove")
    with open_store(str(store_dir)) as store:
        assert Vocab().inferred_graph not in store.graphs()
