"""The head/relation/tail data-set reader shared by rules and embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from kg.datasets import DatasetError, load_splits, read_triples


def test_splits_share_one_id_space(tmp_path):
    (tmp_path / "train.txt").write_text("a\tr\tb\nb\tr\tc\n", encoding="utf-8")
    (tmp_path / "valid.txt").write_text("a\ts\tc\n", encoding="utf-8")
    ds = load_splits(tmp_path)
    assert ds.entities == ("a", "b", "c") and ds.relations == ("r", "s")
    assert ds.ids("train").tolist() == [[0, 0, 1], [1, 0, 2]]
    assert ds.ids("valid").tolist() == [[0, 1, 2]]
    assert ds.ids("test").shape == (0, 3)
    assert len(ds.known()) == 3 and ds.known().dtype == np.int64


def test_csv_with_bom_and_quotes(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('\ufeffAda Lovelace,"worked with, closely",Charles Babbage\n', encoding="utf-8")
    assert read_triples(f) == [("Ada Lovelace", "worked with, closely", "Charles Babbage")]


def test_bad_line_names_file_and_line(tmp_path):
    f = tmp_path / "train.txt"
    f.write_text("a\tr\tb\nonly-two\tfields\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"train.txt: line 2: expected head, relation, tail"):
        read_triples(f)


def test_missing_train_is_an_error(tmp_path):
    with pytest.raises(DatasetError, match="no train file"):
        load_splits(tmp_path)
    with pytest.raises(DatasetError, match="not a folder"):
        load_splits(tmp_path / "nope")
