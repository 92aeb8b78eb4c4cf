"""The relation-method seam: registry, specs, the batch hook, and methods surviving worker processes.

The methods here are module-level classes so that spawned workers can import them by reference.
"""

from __future__ import annotations

import json

import pytest

from kg.errors import KgnError, UnknownNameError
from kg.extract import Extractor, ExtractorSettings
from kg.extract.job import run_job
from kg.workspace import open_workspace
from kg.extract.relations import (RELATION_METHODS, MethodSpec, MethodSpecError, Relation,
                                  RelationMethod, build_method, parse_methods, register_method)

TEXTS = [
    "Alice met Bob in Paris.",
    "Acme hired Carol. Carol lives in Rome.",
    "Google bought DeepMind in London.",
    "Berlin is the capital of Germany.",
    "Yann LeCun works for Meta in New York.",
]


class PairsMethod(RelationMethod):
    """Links each mention to the next one with a fixed predicate; counts its batches."""

    name, version = "pairs", "1"

    def __init__(self, path: str = "next to", min_confidence: float = 0.0):
        self.predicate = path
        self.batches: list[int] = []

    def __call__(self, doc):
        spans = list(doc.spans["kgn_mentions"])
        return [Relation(a, self.predicate, b, 0.5) for a, b in zip(spans, spans[1:])]

    def pipe(self, docs):
        docs = list(docs)
        self.batches.append(len(docs))
        return (self(d) for d in docs)


def predicates(store) -> set[str]:
    return {str(p).rsplit("/", 1)[-1] for _, p, _ in store.triples() if "/rel/" in str(p)}


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    for i, text in enumerate(TEXTS):
        (d / f"d{i}.txt").write_text(text)
    return d


@pytest.fixture
def pairs_registered():
    register_method("pairs", PairsMethod)
    yield
    RELATION_METHODS.pop("pairs", None)


def test_method_specs_parse_and_digest():
    assert parse_methods("rules") == (MethodSpec("rules"),)
    rules, neural = parse_methods("rules+neural:/tmp/a+b/best.ckpt", min_confidence=0.7)
    assert rules == MethodSpec.of("rules", min_confidence=0.7)
    assert neural.name == "neural" and neural.kwargs == {"path": "/tmp/a+b/best.ckpt", "min_confidence": 0.7}
    assert MethodSpec("rules").digest() == "" and len(neural.digest()) == 12
    assert neural.digest() != neural.with_options(min_confidence=0.8).digest()
    assert hash(neural) == hash(MethodSpec.parse("neural:/tmp/a+b/best.ckpt", min_confidence=0.7))
    with pytest.raises(MethodSpecError):
        MethodSpec.parse("neural:")
    with pytest.raises(MethodSpecError):
        MethodSpec.parse("9lives")


def test_unknown_name_lists_choices_and_names_conflict(pairs_registered):
    with pytest.raises(UnknownNameError, match="choose one of: .*pairs.*rules"):
        build_method("nope")
    register_method("pairs", PairsMethod)  # same factory again: fine
    with pytest.raises(KgnError, match="already registered"):
        register_method("pairs", lambda **kw: PairsMethod())


def test_options_reach_the_factory_and_the_ledger_key(pairs_registered, nlp):
    ex = Extractor(ExtractorSettings(relations="pairs:near"), nlp=nlp)
    assert ex.method.predicate == "near" and ex.method.spec == MethodSpec.of("pairs", path="near")
    assert ex.key.startswith(f"pairs/1/{ex.method.spec.digest()}+")
    assert Extractor(ExtractorSettings(relations="rules"), nlp=nlp).key.startswith("rules/")


def test_the_batch_hook_sees_whole_batches(nlp):
    method = PairsMethod()
    ex = Extractor(nlp=nlp, relation_method=method)
    results = list(ex.extract_many([(str(i), t) for i, t in enumerate(TEXTS)], batch_size=4))
    assert [r.doc_id for r in results] == ["0", "1", "2", "3", "4"]
    assert method.batches == [4, 1]
    assert ("Alice", "next to", "Bob") in {t.key() for t in results[0].triples}


def test_combination_keeps_each_triple_method(pairs_registered, nlp):
    ex = Extractor(ExtractorSettings(relations="rules+pairs"), nlp=nlp)
    res = ex.extract("Alice lives in Paris.", "x")
    by_method = {t.method for t in res.triples}
    assert by_method == {"rules", "pairs"} and res.extractor == "rules+pairs"
    assert ex.key.startswith("rules/3+pairs/1+")  # rules v3 (graph-quality issue)


def test_a_method_object_survives_two_worker_processes(corpus, tmp_path, nlp):
    """The bug of issue 17: workers used to rebuild the rule method from the settings."""
    ledger = tmp_path / "ledger.jsonl"
    ex = Extractor(nlp=nlp, relation_method=PairsMethod("beside"))
    local_ws, ws = open_workspace("memory"), open_workspace("memory")
    local, store = local_ws.store, ws.store
    run_job(local_ws, [str(corpus)], extractor=ex, ledger=None, report=None)
    summary = run_job(ws, [str(corpus)], extractor=ex, jobs=2, ledger=ledger, report=None, batch_size=2)
    assert summary.documents == len(TEXTS)
    assert predicates(store) == {"beside"} and set(store.quads()) == set(local.quads())
    keys = {json.loads(line)["extractor"] for line in ledger.read_text().splitlines()}
    assert keys == {ex.key} and ex.key.startswith("pairs/1+")


def test_a_result_from_another_method_is_refused(corpus, nlp, monkeypatch):
    """Defence in depth: the writer checks that each result came from the job's method."""
    from kg.extract import parallel

    real = parallel.extract_with

    def wrong(ex, chunk, batch_size=64):
        out = real(ex, chunk, batch_size)
        for r in out:
            r.extractor = "rules"
        return out

    monkeypatch.setattr(parallel, "extract_with", wrong)
    with pytest.raises(KgnError, match="was extracted by rules/"):
        run_job(open_workspace("memory"), [str(corpus)], extractor=Extractor(nlp=nlp, relation_method=PairsMethod()),
                ledger=None, report=None)
