"""Training spaCy's entity recognizer on annotated spans (kg.extract.ner_training)."""

from __future__ import annotations

import json

import pytest
from rdflib.namespace import RDF

from kg.errors import UnknownNameError
from kg.extract import Extractor, ExtractorSettings, load_nlp
from kg.extract.ner_training import (NerDataError, NerExample, NerTrainSettings, make_examples, ner_scores,
                                     read_ner_jsonl, train_ner)
from kg.extract.nlp import model_id
from kg.vocab import Vocab

# A label the base model has never seen, on made-up product names, in a handful of sentences.
GADGETS = ["Zorblax", "Quimtron", "Flendor", "Vaxipod", "Trelmix", "Gorvane"]
TEMPLATES = ["I bought a {} yesterday .", "The {} broke after a week .", "She sold her old {} to Tom ."]


def gadget_examples(names):
    out = []
    for name in names:
        for k, template in enumerate(TEMPLATES):
            tokens = template.format(name).split()
            i = tokens.index(name)
            out.append(NerExample.from_tokens(tokens, [(i, i + 1, "GADGET")], f"{name}/{k}"))
    return out


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("ner") / "gadget-ner"
    res = train_ner(gadget_examples(GADGETS[:5]), dev=gadget_examples(GADGETS[5:]),
                    settings=NerTrainSettings(max_epochs=8, patience=8, learn_rate=0.003, seed=1,
                                              label_roles=(("GADGET", "product"),)), out_dir=out)
    return res


def test_training_learns_a_new_label(trained):
    assert trained.labels == ("GADGET",)
    assert "GADGET" in trained.nlp.get_pipe("ner").labels
    # the dev sentences name a gadget never trained on
    assert trained.dev.f1 >= 0.8, trained.history
    assert trained.history[trained.best_epoch - 1]["dev_f1"] == trained.dev.f1
    # the tagger and parser were not updated
    base = load_nlp()
    doc, ref = trained.nlp("The Quimtron broke after a week ."), base("The Quimtron broke after a week .")
    assert [t.dep_ for t in doc] == [t.dep_ for t in ref] and [t.tag_ for t in doc] == [t.tag_ for t in ref]


def test_saved_pipeline_round_trips_through_kgn_loader(trained):
    assert (trained.path / "meta.json").exists() and (trained.path / "ner").is_dir()
    nlp = load_nlp(str(trained.path))  # how the extractor loads a model named in its settings
    text = "He sold his old Gorvane to Tom ."
    assert [(e.text, e.label_) for e in nlp(text).ents] == [(e.text, e.label_) for e in trained.nlp(text).ents]
    assert ("Gorvane", "GADGET") in {(e.text, e.label_) for e in nlp(text).ents}
    assert model_id(nlp).startswith("core_web_sm_ner-") and model_id(nlp) == model_id(trained.nlp)
    assert ner_scores(nlp, gadget_examples(GADGETS[5:])).f1 == trained.dev.f1
    ex = Extractor(ExtractorSettings(relations="rules", model=str(trained.path)))
    result = ex.extract(text)
    labels = {e.name: e.label for e in result.entities}
    assert labels.get("Gorvane") == "GADGET"
    assert model_id(nlp) in ex.version
    # the label's role was saved with the pipeline: a GADGET is written as a kgn Product
    assert trained.roles.role("GADGET") == "product" and trained.roles.label("person") == "PERSON"
    assert nlp.meta["kgn_ner"]["label_roles"] == trained.roles.as_dict() and ex.roles == trained.roles
    v = Vocab()
    assert (v.entity("Gorvane"), RDF.type, v.type("Product")) in result.to_triples(v)


def test_span_off_token_boundaries_names_the_example(nlp):
    bad = NerExample("I bought a Zorblax yesterday .", ((11, 15, "GADGET"),), source="mine.jsonl line 3")
    with pytest.raises(NerDataError, match=r"mine.jsonl line 3: span \[11, 15\) 'Zorb' \(GADGET\) does not "
                                           r"start and end on token boundaries"):
        make_examples(nlp, [bad])


def test_other_bad_spans(nlp):
    with pytest.raises(NerDataError, match=r"s1: token span \[2, 9\) 'GADGET' is not inside the 3 tokens"):
        NerExample.from_tokens(["a", "b", "c"], [(2, 9, "GADGET")], "s1")
    with pytest.raises(NerDataError, match="s2: span .* is outside the text"):
        make_examples(nlp, [NerExample("short", ((0, 40, "X"),), source="s2")])
    with pytest.raises(NerDataError, match="s3: spans 'New York' .* and 'York City' .* overlap"):
        make_examples(nlp, [NerExample.from_tokens(["New", "York", "City"], [(0, 2, "Loc"), (1, 3, "Loc")], "s3")])
    with pytest.raises(NerDataError, match="s4: span .* has no label"):
        NerExample.from_tokens(["a"], [(0, 1, "")], "s4")


def test_train_rejects_bad_data_before_training(tmp_path):
    with pytest.raises(NerDataError, match="no entity span"):
        train_ner([NerExample("nothing here", ())] * 3, dev=[NerExample("nothing", ())])
    bad = [NerExample("I bought a Zorblax .", ((11, 14, "GADGET"),), source="bad one")]
    with pytest.raises(NerDataError, match="bad one: span"):
        train_ner(bad, dev=bad, out_dir=tmp_path / "never")
    assert not (tmp_path / "never").exists()
    with pytest.raises(UnknownNameError, match="unknown entity role 'gizmo'; choose one of: date, event"):
        train_ner(bad, dev=bad, settings=NerTrainSettings(label_roles=(("GADGET", "gizmo"),)))


def test_read_jsonl_both_shapes_and_errors(tmp_path):
    path = tmp_path / "ents.jsonl"
    path.write_text(json.dumps({"text": "I met Ann .", "entities": [[6, 9, "Peop"]]}) + "\n\n"
                    + json.dumps({"tokens": ["Ann", "left"], "entities": [[0, 1, "Peop"]]}) + "\n")
    a, b = read_ner_jsonl(path)
    assert a.spans == ((6, 9, "Peop"),) and a.words is None
    assert b.text == "Ann left" and b.spans == ((0, 3, "Peop"),) and b.words == ("Ann", "left")
    path.write_text('{"text": "x", "entities": [[0, 1, "A"]]}\n{"entities": []}\n')
    with pytest.raises(NerDataError, match=r"ents.jsonl line 2: expected \"text\""):
        read_ner_jsonl(path)
    path.write_text("{not json\n")
    with pytest.raises(NerDataError, match="ents.jsonl line 1: not JSON"):
        read_ner_jsonl(path)


def test_no_dev_trains_the_given_epochs_and_keeps_the_last():
    res = train_ner(gadget_examples(GADGETS[:2]), dev=[], settings=NerTrainSettings(max_epochs=2, seed=1))
    assert res.best_epoch == 2 and [h["epoch"] for h in res.history] == [1, 2]
    assert res.n_dev == 0 and res.dev.n_gold == 0 and res.path is None
