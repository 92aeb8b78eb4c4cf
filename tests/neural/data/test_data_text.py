import json

import pytest
import torch

from neural.data import load_dataset
from neural.data.text import PAD, UNK, Vocab, tokenize
from neural.errors import DatasetError


def test_tokenize():
    assert tokenize("Don't STOP, now!") == ["don't", "stop", ",", "now", "!"]


def test_vocab_build_encode_save_load(tmp_path):
    voc = Vocab.build(["the cat", "the dog", "a cat"], min_freq=1)
    assert voc.tokens[:2] == [PAD, UNK] and voc.tokens[2:4] == ["cat", "the"]  # by count, then name
    ids = voc.encode("the bird cat", max_len=10)
    assert ids == [voc.index["the"], 1, voc.index["cat"]]
    assert voc.encode("the cat the cat", max_len=2) == ids[:1] + ids[2:]
    voc.save(tmp_path / "vocab.json")
    assert Vocab.load(tmp_path / "vocab.json").tokens == voc.tokens
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(DatasetError, match="unreadable"):
        Vocab.load(tmp_path / "bad.json")


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_jsonl_folder_and_saved_vocab(tmp_path):
    write_jsonl(tmp_path / "train.jsonl", [{"text": f"good film {i}", "label": "pos"} for i in range(10)]
                + [{"text": f"bad film {i}", "label": "neg"} for i in range(10)])
    write_jsonl(tmp_path / "test.jsonl", [{"text": "good unseen", "label": "pos"}])
    b = load_dataset("jsonl", str(tmp_path), max_len=6)
    assert b.labels == ["neg", "pos"] and b.spec.kind == "tokens" and b.spec.seq_len == 6
    assert len(b.test) == 1 and len(b.train) + len(b.val) == 20
    x, y = b.test.tensors
    assert x.shape == (1, 6) and x[0, 1] == 1 and x[0, 2:].eq(0).all() and y.tolist() == [1]
    again = load_dataset("jsonl", str(tmp_path), max_len=6, vocab=b.vocab, labels=b.labels)
    assert torch.equal(again.test.tensors[0], x)


def test_jsonl_single_file_and_errors(tmp_path):
    f = tmp_path / "all.jsonl"
    write_jsonl(f, [{"text": f"t {i}", "label": i % 2} for i in range(30)])
    b = load_dataset("jsonl", str(f))
    assert (len(b.train), len(b.val), len(b.test)) == (24, 3, 3) and b.labels == ["0", "1"]
    (tmp_path / "bad.jsonl").write_text('{"text": "x", "label": 1}\n{"txt": 3}\n')
    with pytest.raises(DatasetError, match="bad.jsonl:2"):
        load_dataset("jsonl", str(tmp_path / "bad.jsonl"))
    with pytest.raises(DatasetError, match="needs --data-dir"):
        load_dataset("jsonl")
