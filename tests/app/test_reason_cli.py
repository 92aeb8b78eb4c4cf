"""`kgn path / rules / predict / infer` against an on-disk store in a temp dir."""

import json

from app.cli import main
from kg.store import open_store
from kg.vocab import Vocab
from tests.app.conftest import run_ok as run


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
    out = run(store_dir, "rules", "mine", "--max-len", "2", "--min-support", "2", "--min-conf", "0",
              "--acyclic-len", "0")
    assert "mined 3 rules" in out and "(dense)" in out
    rules_file = store_dir / "kgn" / "rules.json"
    assert json.loads(rules_file.read_text())["format"] == "kgn-rules/2"
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


def test_tsv_import_then_sampled_mining_with_constants(tmp_path, capsys):
    # Four people live in paris, three of them speak french: lives(X,paris) ⇒ speaks(X,french).
    rows = [(p, "lives", "paris") for p in ("p1", "p2", "p3", "p4")] + [(p, "speaks", "french") for p in ("p1", "p2", "p3")]
    table = tmp_path / "people.tsv"
    table.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    labels = tmp_path / "entities.tsv"
    labels.write_text("p4\tDora Maar\n", encoding="utf-8")
    store = tmp_path / "store"
    run(store, "import", str(table), "--labels", str(labels))
    run(store, "import", str(table), "--labels", str(labels))  # idempotent
    stats = json.loads(run(store, "stats", "--json"))
    assert stats["graphs"] == 1
    out = run(store, "rules", "mine", "--method", "sampled", "--max-len", "2", "--time-budget", "30",
              "--max-memory", "512M", "--min-conf", "0.5")
    assert "(sampled, stopped: saturated)" in out
    shown = run(store, "rules", "show", "--relation", "speaks")
    assert "   0.750    1.000       3      4  lives(X,paris) ⇒ speaks(X,french)" in shown
    out = run(store, "predict", "Dora Maar", "speaks", "--explain")
    assert out.splitlines()[:3] == ["0.750  french    (Dora Maar -[speaks]-> french; 2 rule(s), noisy-or 0.938)",
                                    "    0.750  lives(X,paris) ⇒ speaks(X,french)",
                                    "           Dora Maar -[lives]-> paris"]
    assert main(["--store", str(store), "rules", "mine", "--max-memory", "1K", "--method", "sampled"]) == 1
    assert "over the memory bound of 0.00 MiB" in capsys.readouterr().err


def test_mine_caps_rules_with_constants_per_constant(tmp_path):
    # Each person speaks one language and lives in its city: per head and constant, two rules
    # with constants are kept although only one rule per head is.
    rows = [(f"p{i}", "lives", city) for i, city in enumerate(["paris"] * 3 + ["rome"] * 3)]
    rows += [(f"p{i}", "speaks", lang) for i, lang in enumerate(["french"] * 3 + ["italian"] * 3)]
    table = tmp_path / "people.tsv"
    table.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    store = tmp_path / "store"
    run(store, "import", str(table))
    run(store, "rules", "mine", "--max-len", "1", "--max-rules", "1", "--max-rules-per-constant", "2",
        "--min-conf", "0.5")
    data = json.loads((store / "kgn" / "rules.json").read_text())
    assert data["settings"]["max_rules_per_constant"] == 2
    speaks = [r for r in data["rules"] if r["head_label"] == "speaks" and r["constant"] is not None]
    per_constant = {}
    for r in speaks:
        per_constant.setdefault((r["constant_label"], r["constant_first"]), []).append(r["text"])
    assert len(speaks) > 2 and max(map(len, per_constant.values())) == 2
    assert "lives(X,paris) ⇒ speaks(X,french)" in per_constant["french", False]
