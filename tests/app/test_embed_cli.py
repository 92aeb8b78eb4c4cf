"""`kgn embed / similar / embed-map / embed-predict` against an on-disk store in a temp dir."""

import json

from app.cli import main

from tests.app.conftest import run_ok as run


def test_embed_then_similar_map_and_predict(store_dir, tmp_path):
    out = run(store_dir, "embed", "--model", "complex", "--dim", "8", "--epochs", "5", "--device", "cpu",
              "--valid", "0.2", "--test", "0.0", "--quiet", "--map", str(tmp_path / "map.json"))
    assert "valid: MRR" in out and "saved " in out
    assert __import__("pathlib").Path(out.split("saved ")[1].split(" (")[0]).is_file()
    lines = run(store_dir, "similar", "A", "--top", "3").splitlines()
    assert len(lines) == 3 and all(float(line.split()[0]) <= 1.0 for line in lines)
    assert "A" not in [line.split()[1] for line in lines]
    doc = json.loads((tmp_path / "map.json").read_text())
    assert doc["format"] == "kgn-embedding-map/1" and {p["label"] for p in doc["points"]} >= {"A", "B", "C"}
    assert all(isinstance(p["x"], float) for p in doc["points"])
    run(store_dir, "embed-map", str(tmp_path / "again.json"))
    assert json.loads((tmp_path / "again.json").read_text())["points"] == doc["points"]
    preds = [line.split() for line in run(store_dir, "embed-predict", "A", "q", "--top", "4").splitlines()]
    assert 1 <= len(preds) <= 4 and all(label in {"A", "B", "C", "D", "E", "F", "G", "H", "I", "B2", "C2"}
                                         for _, label in preds)
    assert [float(s) for s, _ in preds] == sorted((float(s) for s, _ in preds), reverse=True)


def test_unknown_model_and_entity_are_one_line_errors(store_dir, capsys):
    assert main(["--store", str(store_dir), "embed", "--model", "nope"]) == 1
    assert "unknown embedding model 'nope'; choose one of:" in capsys.readouterr().err
    assert main(["--store", str(store_dir), "similar", "A"]) == 1
    assert "error:" in capsys.readouterr().err  # no model file yet


def test_predict_methods_rules_embed_and_both(store_dir):
    run(store_dir, "rules", "mine", "--max-len", "2", "--min-support", "2", "--min-conf", "0")
    out = run(store_dir, "embed", "--model", "distmult", "--dim", "8", "--epochs", "3", "--device", "cpu",
              "--valid", "0.3", "--test", "0.0", "--quiet")
    # The saved rules exist, so embed chose a mix weight on its valid split and says so.
    assert "weight" in out and "chosen on valid" in out
    rules = run(store_dir, "predict", "G", "r")
    assert rules.split()[1] == "I"  # p∘q ⇒ r
    embed = [line.split() for line in run(store_dir, "predict", "G", "r", "--method", "embed", "--top", "3").splitlines()]
    assert len(embed) == 3
    both = run(store_dir, "predict", "G", "r", "--method", "both", "--weight", "1", "--top", "3", "--explain")
    lines = both.splitlines()
    assert lines[0].startswith("rules weight 1;")
    # Rules first at weight 1, with the rule's own confidence as the rule part.
    assert lines[1].split()[1] == "I" and f"rule {rules.split()[0]}," in lines[1]
    assert any("⇒" in line or "=>" in line for line in lines[2:])  # the rule behind it, explained
    labels = [line.split()[1] for line in lines[1:] if line[:1].isdigit()]
    assert len(labels) == 3 and len(set(labels)) == 3 and "G" not in labels
    emb_only = run(store_dir, "predict", "G", "r", "--method", "both", "--weight", "0", "--top", "3")
    assert [line.split()[1] for line in emb_only.splitlines()[1:]] == [row[1] for row in embed]
