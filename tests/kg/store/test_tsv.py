"""Head/relation/tail tables into the store and back out through the view."""

import pytest

from kg.datasets import DatasetError
from kg.reason.index import TripleIndex
from kg.store import open_store
from kg.store.tsv import is_triple_table, load_table, read_labels, table_triples
from kg.view import GraphView
from kg.vocab import Vocab

ROWS = [("/m/01", "born_in", "/m/02"), ("/m/03", "born_in", "/m/02"), ("/m/02", "part of", "/m/04"),
        ("a_b", "born_in", "/m/04")]


def write(path, rows, sep="\t"):
    path.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def facts(store):
    ix = TripleIndex.from_graph(GraphView(store).graph)
    return {(ix.entity_labels[h], ix.relation_labels[r], ix.entity_labels[t]) for h, r, t in ix.triples.tolist()}, ix


@pytest.mark.parametrize("name,sep", [("train.tsv", "\t"), ("train.csv", ","), ("train.txt", "\t")])
def test_round_trip_and_idempotent_reimport(tmp_path, name, sep):
    path = write(tmp_path / name, ROWS + [ROWS[0]], sep)  # a duplicate line is one fact
    vocab, graph = Vocab(), Vocab().file_graph(str(path))
    with open_store("memory") as store:
        assert load_table(store, path, vocab, graph) == 4
        got, ix = facts(store)
        assert got == set(ROWS)
        # Ids become IRIs through the vocabulary (reversibly: "a_b" keeps its underscore).
        assert vocab.entity("a_b") in {__import__("rdflib").URIRef(e) for e in ix.entities}
        assert vocab.name_of(vocab.entity("a_b")) == "a_b"
        before = store.stats()
        load_table(store, path, vocab, graph)
        assert store.stats() == before
        # A new version of the file replaces the old graph: no stale facts.
        write(path, ROWS[:2], sep)
        load_table(store, path, vocab, graph)
        assert facts(store)[0] == set(ROWS[:2])


def test_labels_name_entities_and_keep_the_id(tmp_path):
    path = write(tmp_path / "t.tsv", ROWS)
    labels = read_labels(write(tmp_path / "entities.tsv", [("/m/01", "Ada Lovelace"), ("/m/02", "London")]))
    vocab = Vocab()
    with open_store("memory") as store:
        load_table(store, path, vocab, vocab.file_graph(str(path)), labels)
        got, ix = facts(store)
        assert ("Ada Lovelace", "born_in", "London") in got
        assert ix.resolve_entity("/m/01") == ix.resolve_entity("ada lovelace")  # id kept as alias
    assert is_triple_table("x.TSV") and not is_triple_table("x.ttl")


def test_bad_lines_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tr\tb\nonly\ttwo\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad.tsv: line 2: expected head, relation, tail"):
        table_triples(bad, Vocab())
    (tmp_path / "labels.tsv").write_text("x\ty\tz\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"labels.tsv: line 1: expected id and label"):
        read_labels(tmp_path / "labels.tsv")
