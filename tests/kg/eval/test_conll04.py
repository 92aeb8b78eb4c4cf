"""CoNLL04 reader, char->token alignment and strict scores on a hand-made two-sentence corpus."""

import json

import pytest

from kg.errors import KgnError
from kg.eval.conll04 import (
    BoundaryFixes,
    CoNLL04FormatError,
    MajorityMap,
    Prediction,
    Sentence,
    read_conll04,
    score,
)

S1 = {"tokens": ["John", "Smith", "works", "for", "Acme", "Corp", "in", "Boston", "."],
      "entities": [[0, 2, "Peop"], [4, 6, "Org"], [7, 8, "Loc"]],
      "relations": [[0, 2, 4, 6, "Work_For"], [4, 6, 7, 8, "OrgBased_In"]]}
S2 = {"tokens": ["Rome", "is", "nice", "."], "entities": [[0, 1, "Loc"]], "relations": []}


@pytest.fixture
def corpus(tmp_path):
    p = tmp_path / "tiny.json"
    p.write_text(json.dumps([S1, S2]), encoding="utf-8")
    return read_conll04(str(p))


def test_reader_and_char_to_token_map(corpus):
    s = corpus[0]
    assert s.text == "John Smith works for Acme Corp in Boston ."
    assert s.relations[1] == (4, 6, 7, 8, "OrgBased_In")
    assert s.char_span_to_tokens(0, 10) == (0, 2)       # "John Smith"
    assert s.char_span_to_tokens(21, 30) == (4, 6)      # "Acme Corp"
    assert s.char_span_to_tokens(22, 25) == (4, 5)      # inside "Acme": the covering token
    assert s.char_span_to_tokens(34, 40) == (7, 8)      # "Boston"
    assert s.char_span_to_tokens(10, 11) is None        # just the space


def test_strict_scores_by_hand(corpus):
    pred = [
        Prediction(entities=((0, 2, "Peop"), (4, 6, "Loc"), (7, 8, "Loc"), (2, 3, "Other")),
                   relations=((0, 2, "Peop", 4, 6, "Org", "Work_For"),
                              # right spans and relation, wrong head type -> wrong (strict)
                              (4, 6, "Loc", 7, 8, "Loc", "OrgBased_In"))),
        Prediction(),
    ]
    sc = score(corpus, pred)
    # entities: gold 4 (3 + 1), predicted 4, right 2 (John Smith, Boston) -> P 1/2, R 1/2
    assert (sc.entities.tp, sc.entities.n_pred, sc.entities.n_gold) == (2, 4, 4)
    assert sc.entities.f1 == pytest.approx(0.5)
    assert sc.entities_by_type["Loc"].tp == 1 and sc.entities_by_type["Loc"].n_gold == 2
    assert sc.entities_by_type["Loc"].n_pred == 2 and sc.entities_by_type["Org"].recall == 0
    # relations: gold 2, predicted 2, right 1 -> P = R = F1 = 1/2
    assert (sc.relations.tp, sc.relations.n_pred, sc.relations.n_gold) == (1, 2, 2)
    assert sc.relations.f1 == pytest.approx(0.5)
    by = sc.relations_by_type
    assert by["Work_For"].f1 == 1.0 and by["OrgBased_In"].f1 == 0.0
    # types nobody predicted are still reported, with zeros
    assert set(by) == {"Kill", "Live_In", "Located_In", "OrgBased_In", "Work_For"}
    assert (by["Kill"].n_gold, by["Kill"].f1) == (0, 0.0)
    # macro over the 5 types: (1 + 0 + 0 + 0 + 0) / 5
    assert sc.relation_macro_f1 == pytest.approx(0.2)


def test_unequal_lengths_and_bad_files(tmp_path, corpus):
    with pytest.raises(KgnError, match="pair up"):
        score(corpus, [Prediction()])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"tokens": ["a"], "entities": [[0, 3, "Loc"]]}]), encoding="utf-8")
    with pytest.raises(CoNLL04FormatError, match="not inside the 1 tokens"):
        read_conll04(str(bad))
    bad.write_text(json.dumps([{"tokens": ["a", "b"], "entities": [[0, 1, "Loc"]],
                                "relations": [[0, 1, 1, 2, "Kill"]]}]), encoding="utf-8")
    with pytest.raises(CoNLL04FormatError, match="not a listed entity"):
        read_conll04(str(bad))
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(CoNLL04FormatError, match="JSON list"):
        read_conll04(str(bad))


def test_majority_map_backoff_and_threshold():
    m = MajorityMap(min_count=2)
    for outcome in ("Loc", "Loc", None):
        m.add([("GPE",)], outcome)
    for outcome in (None, None, "Other"):
        m.add([("DATE",)], outcome)
    m.add([("RARE",)], "Org")
    assert m.get([("GPE",)]) == "Loc"
    assert m.get([("DATE",)]) is None        # "no gold entity" is the majority
    assert m.get([("RARE",)]) is None        # seen once < min_count
    t = MajorityMap(min_count=2, min_share=0.3)
    for outcome in (("Kill", "fwd"), None, None):
        t.add([("shoot", "Peop", "Peop"), ("*", "Peop", "Peop")], outcome)
    assert t.get([("shoot", "Peop", "Peop")]) == ("Kill", "fwd")   # 1/3 >= 0.3
    assert t.get([("stab", "Peop", "Peop"), ("*", "Peop", "Peop")]) == ("Kill", "fwd")  # back-off
    t.min_share = 0.5
    assert t.get([("shoot", "Peop", "Peop")]) is None


def test_sentence_without_entities():
    s = Sentence(("Hello", "."), (), ())
    assert score([s], [Prediction()]).relations.f1 == 0.0


def _sent(tokens, entities):
    return Sentence(tuple(tokens.split()), tuple(entities), ())


def test_boundary_fixes_learn_titles_and_city_state_from_train_only_when_they_pay():
    train = [
        # gold keeps the title; the prediction stopped at the name (twice: a gain of 2)
        (_sent("President Lincoln spoke .", [(0, 2, "Peop")]), {(1, 2): "Peop"}),
        (_sent("he met President Grant", [(2, 4, "Peop")]), {(3, 4): "Peop"}),
        # "Columbus , Ohio" is one location twice, but merging "Paris , France" breaks two: gain 0
        (_sent("in Columbus , Ohio", [(1, 4, "Loc")]), {(1, 2): "Loc", (3, 4): "Loc"}),
        (_sent("in Dayton , Ohio", [(1, 4, "Loc")]), {(1, 2): "Loc", (3, 4): "Loc"}),
        (_sent("in Paris , France", [(1, 2, "Loc"), (3, 4, "Loc")]), {(1, 2): "Loc", (3, 4): "Loc"}),
        # "the" before an organisation: once a gain, once a loss
        (_sent("the Times said", [(0, 2, "Org")]), {(1, 2): "Org"}),
        (_sent("the Acme staff", [(1, 2, "Org")]), {(1, 2): "Org"}),
    ]
    fixes = BoundaryFixes(min_gain=2).learn(train)
    assert fixes.kept == {("left", "Peop", "president")}
    assert fixes.gain[("merge", "Loc", ",")] == 0 and fixes.gain[("left", "Org", "the")] == 0
    tokens = tuple("Yesterday President Obama visited the Times in Austin , Texas".split())
    ents = {(2, 3): "Peop", (5, 6): "Org", (7, 8): "Loc", (9, 10): "Loc"}
    assert fixes.apply(tokens, ents) == {(1, 3): "Peop", (5, 6): "Org", (7, 8): "Loc", (9, 10): "Loc"}
    toledo = (_sent("in Toledo , Ohio", [(1, 4, "Loc")]), {(1, 2): "Loc", (3, 4): "Loc"})
    loose = BoundaryFixes(min_gain=1).learn(train + [toledo])
    assert loose.kept == {("left", "Peop", "president"), ("merge", "Loc", ",")}
    assert loose.apply(tokens, ents) == {(1, 3): "Peop", (5, 6): "Org", (7, 10): "Loc"}
    # an edit never runs into another entity: "President" here is part of the organisation
    clash = {(0, 2): "Org", (2, 3): "Peop"}
    assert fixes.apply(("Acme", "President", "Smith"), clash) == clash
