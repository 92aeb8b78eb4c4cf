"""Documents that cannot stop a job: long texts parsed in pieces (offsets kept), failures recorded."""

from __future__ import annotations

import pytest

from kg.extract.guard import FailedDoc, extract_guarded, parse_long, split_text
from kg.extract.job import run_job
from kg.workspace import open_workspace


def test_split_text_prefers_paragraphs_then_sentences_and_keeps_every_character():
    text = ("Alpha beta gamma. " * 20 + "\n\n") * 5 + "x" * 700
    pieces = split_text(text, 300)
    assert "".join(pieces) == text
    assert all(len(p) <= 300 for p in pieces)
    assert pieces[0].endswith(". ") and pieces[-1].endswith("x")
    assert split_text("short", 300) == ["short"]
    with pytest.raises(ValueError):
        split_text("x", 0)


def test_a_long_document_is_one_doc_with_the_right_offsets(nlp):
    text = "Marie Curie worked in Paris. " * 40 + "\n\nAlan Turing was born in London. " * 40
    doc = parse_long(nlp, text, piece_chars=500)
    assert doc.text == text
    ents = [(e.text, e.start_char, e.end_char) for e in doc.ents]
    assert ents and all(text[s:e] == t for t, s, e in ents)
    assert {"Marie Curie", "Alan Turing", "London"} <= {t for t, _, _ in ents}
    assert sum(1 for _ in doc.sents) >= 80  # sentence ends survive the join


def test_a_document_over_spacy_max_length_is_extracted_not_fatal(extractor, monkeypatch):
    # Lower the limit instead of parsing a million characters: the same code path, fast.
    monkeypatch.setattr(extractor.nlp, "max_length", 2_000)
    text = "Ada Lovelace worked with Charles Babbage in London. " * 100  # 5,200 characters
    results = extract_guarded(extractor, [("long", text, "long.txt"), ("short", "Tim Berners-Lee "
                                          "invented the Web.", "s.txt")])
    long_result, short_result = results
    assert not isinstance(long_result, FailedDoc) and not isinstance(short_result, FailedDoc)
    assert long_result.triples and all(
        text[t.start:t.end] and t.sentence in text for t in long_result.triples)


def test_a_document_that_raises_is_recorded_and_the_batch_goes_on(extractor, monkeypatch, tmp_path):
    real = extractor._result  # every document's result, batched or not, is made here

    def flaky(doc, *args):
        if "poison" in doc.text:
            raise RuntimeError("boom")
        return real(doc, *args)

    monkeypatch.setattr(extractor, "_result", flaky)
    for name, text in (("a.txt", "Grace Hopper worked at Harvard."), ("b.txt", "poison pill"),
                       ("c.txt", "Linus Torvalds created Linux.")):
        (tmp_path / name).write_text(text)
    summary = run_job(open_workspace("memory"), [str(tmp_path)], extractor=extractor, ledger=None, report=tmp_path / "r.jsonl")
    assert summary.documents == 2
    assert [(s.source.rsplit("/", 1)[1], s.reason) for s in summary.skipped] == [
        ("b.txt", "extraction failed: RuntimeError: boom")]
    assert "b.txt" in (tmp_path / "r.jsonl").read_text()
