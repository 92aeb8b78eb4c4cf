"""`kgn train relation` -> a tiny checkpoint -> `kgn extract --relations neural:CKPT` end to end,
alone and as rules+neural, with the same graph from one process and from two workers."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from rdflib import Literal

from app.cli import cli

PEOPLE = ["Tim Cook", "Angela Merkel", "Barack Obama", "Elon Musk", "Bill Gates", "Satya Nadella"]
ORGS = ["Apple", "Google", "Microsoft", "IBM", "Amazon"]
CITIES = ["Paris", "London", "Berlin", "Tokyo", "Madrid"]


def rows():
    """Labelled sentences in the README's JSONL format (character offsets)."""
    for p, o, c in itertools.islice(itertools.product(PEOPLE, ORGS, CITIES), 0, None, 2):
        q = PEOPLE[(PEOPLE.index(p) + 1) % len(PEOPLE)]
        for text, head, tail, rel in (
                (f"{p} works for {o}.", p, o, "works_for"),
                (f"{o} employs {p}.", p, o, "works_for"),
                (f"{p} lives in {c}.", p, c, "lives_in"),
                (f"{p} met {q} yesterday.", p, q, None)):
            h, t = text.index(head), text.index(tail)
            yield {"text": text, "head": [h, h + len(head)], "tail": [t, t + len(tail)], "relation": rel}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    d = tmp_path_factory.mktemp("rel")
    data = d / "people.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows()) + "\n")
    out = d / "run"
    result = CliRunner().invoke(cli, [
        "train", "relation", "--data", str(data), "--model", "pcnn", "--epochs", "8", "--batch-size", "16",
        "--lr", "0.01", "--device", "cpu", "--threads", "1", "--set", "word_dim=16", "--set", "filters=32",
        "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "test macro_f1" in result.output and f"neural:{out / 'best.ckpt'}" in result.output
    return out / "best.ckpt"


def test_a_trained_checkpoint_drives_the_extractor(checkpoint):
    from kg.extract import Extractor, ExtractorSettings, load_nlp
    from neural.relation import register

    register()
    ex = Extractor(ExtractorSettings(relations=f"neural:{checkpoint}"), nlp=load_nlp())
    res = ex.extract("Tim Cook works for Apple. Angela Merkel lives in Berlin.", "d")
    got = {t.key(): t for t in res.triples}
    assert ("Tim Cook", "works for", "Apple") in got and ("Angela Merkel", "lives in", "Berlin") in got
    t = got[("Tim Cook", "works for", "Apple")]
    assert t.method == "neural" and 0.5 <= t.confidence <= 1.0 and t.kind == "neural:works_for"
    assert res.extractor == "neural" and res.version.startswith("pcnn-")


def test_kgn_extract_neural_and_rules_plus_neural_with_one_and_two_jobs(checkpoint, tmp_path):
    from kg.store import open_store

    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(["Tim Cook works for Apple. He lives in Paris.",
                              "Microsoft employs Satya Nadella. Bill Gates met Elon Musk in London.",
                              "Angela Merkel lives in Berlin."]):
        (docs / f"d{i}.txt").write_text(text)
    graphs = {}
    for jobs in ("1", "2"):
        store = tmp_path / f"store{jobs}"
        result = CliRunner().invoke(cli, ["--store", str(store), "extract", str(docs), "--no-progress",
                                          "--relations", f"rules+neural:{checkpoint}", "--min-confidence", "0.6",
                                          "--jobs", jobs, "--batch-size", "2"])
        assert result.exit_code == 0, result.output
        with open_store(str(store)) as s:
            graphs[jobs] = set(s.quads())
    assert graphs["1"] == graphs["2"]
    rels = {str(q[1]).rsplit("/", 1)[-1] for q in graphs["1"] if "/rel/" in str(q[1])}
    assert {"works_for", "live_in"} <= rels  # neural "works for" beside the rules' "live in"
    versions = {str(q[2]) for q in graphs["1"] if str(q[1]).endswith("version")}
    assert any(v.startswith("rules-2+pcnn-") or "+pcnn-" in v for v in versions), versions
    confidences = [float(q[2]) for q in graphs["1"] if str(q[1]).endswith("confidence")]
    assert confidences and all(0 < c <= 1 for c in confidences)
    assert all(isinstance(q[2], Literal) for q in graphs["1"] if str(q[1]).endswith("confidence"))


def test_bad_relation_options_are_one_line_errors(checkpoint, tmp_path, capsys):
    from app.cli import main

    (tmp_path / "a.txt").write_text("Tim Cook works for Apple.")
    store = str(tmp_path / "s")
    assert main(["--store", store, "extract", str(tmp_path / "a.txt"), "--min-confidence", "0.5"]) == 1
    assert "error: --min-confidence applies to learned methods" in capsys.readouterr().err
    assert main(["--store", store, "extract", str(tmp_path / "a.txt"), "--relations", f"neural:{tmp_path}/none.ckpt"]) == 1
    assert "error: checkpoint" in capsys.readouterr().err


def test_train_relation_with_spacy_vectors_and_tags_records_the_options(tmp_path):
    from neural.relation.train import load_relation_model

    data = tmp_path / "people.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in itertools.islice(rows(), 40)) + "\n")
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, [
        "train", "relation", "--data", str(data), "--model", "cnn", "--epochs", "2", "--batch-size", "16",
        "--device", "cpu", "--threads", "1", "--set", "word_dim=8", "--set", "filters=8", "--spacy-vectors",
        "--tags", "ner,sdp", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    loaded = load_relation_model(out / "best.ckpt")
    assert loaded.encoding.spacy_vectors and loaded.model.config.features == 96
    assert loaded.encoding.tags == ("ner", "sdp") and "PERSON" in loaded.tag_vocab.values["ner"]
    assert list((out / "spacy-vectors").glob("*.npz"))  # the split's vectors are cached in the run folder
