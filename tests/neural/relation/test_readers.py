"""Readers on hand-made files: SemEval, CoNLL04 pairs, Re-DocRED pairs, the JSONL format."""

from __future__ import annotations

import json

import pytest

from neural.errors import DatasetError
from neural.relation.data import Encoding, RelationExample, WordVocab, make_example, split_label
from neural.relation.readers import (jsonl_splits, read_jsonl, read_semeval, redocred_document_pairs,
                                     redocred_split_of, conll04_pairs, semeval_splits)

SEMEVAL = (
    '1\t"The <e1>author</e1> of a keygen uses a <e2>disassembler</e2> to look at the code."\r\n'
    "Instrument-Agency(e2,e1)\r\nComment:\r\n\r\n"
    '10\t"The <e1>child</e1> was wrapped into the <e2>cradle</e2>."\r\nOther\r\nComment:\r\n\r\n'
)


def test_semeval_sentences_spans_and_direction(tmp_path):
    path = tmp_path / "TRAIN_FILE.TXT"
    path.write_text(SEMEVAL)
    (sid, ex), (sid2, ex2) = read_semeval(path)
    assert sid == 1 and ex.tokens[ex.e1[0]:ex.e1[1]] == ("author",)
    assert ex.tokens[ex.e2[0]:ex.e2[1]] == ("disassembler",) and ex.label == "Instrument-Agency(e2,e1)"
    assert split_label(ex.label) == ("Instrument-Agency", False) and ex2.label == "Other"
    splits = semeval_splits(path)  # id % 10 == 0 is the reported split, id % 10 == 5 val
    assert [e.group for e in splits.test] == ["10"] and [e.group for e in splits.train] == ["1"]
    assert splits.labels()[0] == "Other"


def test_conll04_pairs_carry_direction_and_negatives():
    tokens = ["John", "works", "for", "IBM", "in", "Paris"]
    ents = [(0, 1, "Peop"), (3, 4, "Org"), (5, 6, "Loc")]
    rels = [(0, 1, 3, 4, "Work_For"), (5, 6, 3, 4, "OrgBased_In")]  # second one points backwards
    pairs = {(e.e1, e.e2): e.label for e in conll04_pairs(tokens, ents, rels)}
    assert pairs == {((0, 1), (3, 4)): "Work_For(e1,e2)", ((0, 1), (5, 6)): "no_relation",
                     ((3, 4), (5, 6)): "OrgBased_In(e2,e1)"}


def test_redocred_pairs_are_same_sentence_mentions_of_two_entities():
    doc = {"sents": [["Ada", "Lovelace", "was", "born", "in", "London", "."], ["She", "died", "in", "1852", "."]],
           "vertexSet": [[{"pos": [0, 2], "sent_id": 0}], [{"pos": [5, 6], "sent_id": 0}],
                         [{"pos": [3, 4], "sent_id": 1}]],
           "labels": [{"h": 0, "t": 1, "r": "P19"}, {"h": 0, "t": 2, "r": "P570"}]}
    pairs = redocred_document_pairs(doc, "d")
    assert [(e.e1, e.e2, e.label) for e in pairs] == [((0, 2), (5, 6), "P19(e1,e2)")]  # P570 spans sentences
    assert [redocred_split_of(i) for i in (0, 3, 4, 9, 13)] == ["train", "val", "test", "test", "val"]


def test_jsonl_both_forms_splits_and_errors(tmp_path):
    rows = [{"text": "Ada worked at IBM.", "head": [0, 3], "tail": [14, 17], "relation": "works_for"},
            {"tokens": ["IBM", "hired", "Ada"], "head": [2, 3], "tail": [0, 1], "relation": "works_for",
             "split": "test"},
            {"text": "Ada met Bob.", "head": [0, 3], "tail": [8, 11]}]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (_, a), (split, b), (_, c) = read_jsonl(path)
    assert a.tokens == ("Ada", "worked", "at", "IBM", ".") and (a.e1, a.e2, a.label) == ((0, 1), (3, 4), "works_for(e1,e2)")
    assert split == "test" and (b.e1, b.e2, b.label) == ((0, 1), (2, 3), "works_for(e2,e1)")
    assert c.label == "no_relation"
    splits = jsonl_splits(path)
    assert len(splits.train) == 2 and len(splits.test) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Ada met Bob.", "head": [0, 3]}\n')
    with pytest.raises(DatasetError, match="bad.jsonl:1"):
        read_jsonl(bad)
    bad.write_text('{"tokens": ["a", "b"], "head": [0, 2], "tail": [1, 2]}\n')
    with pytest.raises(DatasetError, match="overlap"):
        read_jsonl(bad)


def test_encoding_distances_indicator_and_window():
    ex = make_example(["A", "x", "y", "B", "z"], (3, 4), (0, 1), "r")
    assert (ex.e1, ex.e2, ex.label) == ((0, 1), (3, 4), "r(e2,e1)")
    vocab = WordVocab.build([ex], min_freq=1)
    enc = Encoding(max_len=8, max_distance=2)
    x = enc.encode(vocab, ex.tokens, ex.e1, ex.e2)
    d = enc.max_distance + 1  # the code of distance 0
    assert x[1, :5].tolist() == [d, d + 1, d + 2, d + 2, d + 2]  # clipped at +2
    assert x[2, :5].tolist() == [d - 2, d - 2, d - 1, d, d + 1]
    assert x[3, :5].tolist() == [1, 0, 0, 2, 0] and x[:, 5:].sum() == 0
    long = RelationExample(tuple(f"w{i}" for i in range(30)), (20, 21), (24, 25), "r")
    assert Encoding(max_len=8).window(30, long.e1, long.e2) == (19, 27)  # both spans, the slack split around them
