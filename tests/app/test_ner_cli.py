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
    assert "label roles: (none); no role (only a label to the extractor): GADGET" in res.output
    assert f"kgn extract --spacy-model {out}" in res.output
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("He sold his old Gorvane to Tom.")
    store = tmp_path / "store"
    res = CliRunner().invoke(cli, ["--store", str(store), "extract", str(tmp_path / "docs"), "--spacy-model",
                                   str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    with open_store(str(store)) as st:
        types = {str(o) for _s, p, o, _g in st.quads() if p == RDF.type}
    assert any(t.endswith("GADGET") for t in types), types  # a label without a role is its own class
    # told that a GADGET is a product, the extractor writes it as one (ledger key changed: redone)
    res = CliRunner().invoke(cli, ["--store", str(store), "extract", str(tmp_path / "docs"), "--spacy-model",
                                   str(out), "--label-roles", "GADGET=product", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "documents: 1 (already done: 0)" in res.output, res.output
    with open_store(str(store)) as st:
        types = {str(o) for _s, p, o, _g in st.quads() if p == RDF.type}
    assert any(t.endswith("/Product") for t in types) and not any(t.endswith("GADGET") for t in types), types


def test_conll04_labels_get_their_roles(tmp_path):
    sents = [{"tokens": ["Ada", "Lovelace", "lived", "in", "London", "."],
              "entities": [[0, 2, "Peop"], [4, 5, "Loc"]], "relations": [[0, 2, 4, 5, "Live_In"]]},
             {"tokens": ["IBM", "hired", "Bob", "in", "1998", "."],
              "entities": [[0, 1, "Org"], [2, 3, "Peop"], [4, 5, "Other"]], "relations": []}] * 5
    (tmp_path / "train.CoNLL04.json").write_text(json.dumps(sents))
    out = tmp_path / "conll-ner"
    res = CliRunner().invoke(cli, ["train", "ner", "--data", "conll04", "--data-path", str(tmp_path), "--epochs", "1",
                                   "--out", str(out), "--quiet", "--label-roles", "Other=date"])
    assert res.exit_code == 0, res.output
    assert "label roles: Loc=place, Org=organisation, Other=date, Peop=person\n" in res.output
    saved = json.loads((out / "meta.json").read_text())["kgn_ner"]["label_roles"]
    assert list(saved)[:4] == ["Other", "Peop", "Loc", "Org"] and saved["PERSON"] == "person"


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
    assert main(["--store", str(tmp_path / "s"), "extract", str(bad), "--label-roles", "Peop=persn"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown entity role 'persn'; choose one of: date, event, facility, group")
    assert main(["train", "ner", "--data", str(bad), "--out", str(tmp_path / "m"), "--label-roles", "Peop"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: label-role map 'Peop': 'Peop' is not LABEL=ROLE") and "Traceback" not in err
