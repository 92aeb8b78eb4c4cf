"""`kgn train ner` on a JSONL file -> a spaCy pipeline folder -> `kgn extract --spacy-model DIR`."""

from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib.namespace import RDF

from app.cli import cli, main
from kg.store import open_store

GADGETS = ["Zorblax", "Quimtron", "Flendor", "Vaxipod", "Trelmix", "Gorvane"]
TEMPLATES = ["I bought a {} yesterday.", "The {} broke after a week.", "She sold her old {} to Tom."]


def write_jsonl(path, names):
    lines = []
    for name in names:
        for template in TEMPLATES:
            text = template.format(name)
            i = text.index(name)
            lines.append(json.dumps({"text": text, "entities": [[i, i + len(name), "GADGET"]]}))
    path.write_text("\n".join(lines) + "\n")


def test_train_ner_then_extract_with_it(tmp_path):
    write_jsonl(tmp_path / "train.jsonl", GADGETS[:5])
    write_jsonl(tmp_path / "dev.jsonl", GADGETS[5:])
    out = tmp_path / "gadget-ner"
    res = CliRunner().invoke(cli, ["train", "ner", "--data", str(tmp_path / "train.jsonl"), "--dev",
                                   str(tmp_path / "dev.jsonl"), "--epochs", "8", "--lr", "0.003", "--seed", "1", "--out", str(out),
                                   "--quiet"])
    assert res.exit_code == 0, res.output
    assert "labels GADGET; train 15, dev 3 examples" in res.output
    assert f"kgn extract --spacy-model {out}" in res.output
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("He sold his old Gorvane to Tom.")
    store = tmp_path / "store"
    res = CliRunner().invoke(cli, ["--store", str(store), "extract", str(tmp_path / "docs"), "--spacy-model",
                                   str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    with open_store(str(store)) as st:
        types = {str(o) for _s, p, o, _g in st.quads() if p == RDF.type}
    assert any(t.endswith("GADGET") for t in types), types


def test_bad_inputs_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "I bought a Zorblax.", "entities": [[11, 15, "GADGET"]]}) + "\n")
    assert main(["train", "ner", "--data", str(bad), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "bad.jsonl line 1: span [11, 15) 'Zorb' (GADGET) does not start" in err
    assert "Traceback" not in err
    assert main(["--store", str(tmp_path / "s"), "extract", str(bad), "--spacy-model", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert f"error: --spacy-model {tmp_path / 'nowhere'}: not a spaCy pipeline folder" in err
