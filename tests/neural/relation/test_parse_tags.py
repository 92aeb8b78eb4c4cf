"""spaCy parse tags (POS, dependency label, NER label, shortest dependency path) as relation
inputs: the path on hand-made trees, the id rows and their token window, the checkpoint round
trip, and the same tags from the training path and from the extractor's parsed Docs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from kg.errors import UnknownNameError
from neural.relation.data import Encoding, RelationExample, WordVocab, encode_examples
from neural.relation.features import TagVocab, TokenParse, shortest_path, span_head
from tests.neural.relation.conftest import tiny_splits

#   0      1      2      3     4     5      6      7
# "The  burst  was  caused  by  the  pressure  ."
# caused is the root; burst <- caused (nsubjpass), by <- caused, pressure <- by, the <- pressure
HEADS = (1, 3, 3, 3, 3, 6, 4, 3)
PARSE = TokenParse(pos=("DET", "NOUN", "AUX", "VERB", "ADP", "DET", "NOUN", "PUNCT"),
                   dep=("det", "nsubjpass", "auxpass", "ROOT", "agent", "det", "pobj", "punct"),
                   ner=("O",) * 8, heads=HEADS)


def test_span_head_is_the_token_whose_head_lies_outside():
    assert span_head(HEADS, (0, 2)) == 1          # "The burst": burst heads the span
    assert span_head(HEADS, (5, 7)) == 6          # "the pressure"
    assert span_head(HEADS, (3, 4)) == 3          # the root is its own head


def test_shortest_path_goes_through_the_lowest_common_ancestor():
    assert shortest_path(HEADS, (1, 2), (6, 7)) == {1, 3, 4, 6}       # burst -> caused <- by <- pressure
    assert shortest_path(HEADS, (0, 2), (5, 7)) == {1, 3, 4, 6}       # spans use their head tokens
    assert shortest_path(HEADS, (4, 5), (6, 7)) == {4, 6}             # one end is the other's head
    # Two trees (the parser split the sentence): each head's path up to its root.
    two = (1, 1, 1, 4, 4)
    assert shortest_path(two, (0, 1), (3, 4)) == {0, 1, 3, 4}


def test_tag_rows_follow_the_window_and_unseen_values_are_unknown():
    vocab = TagVocab.build(("pos", "dep", "sdp"), [PARSE])
    assert vocab.values["sdp"] == ["<pad>", "off", "on"]
    assert vocab.values["pos"][:2] == ["<pad>", "<unk>"] and "NOUN" in vocab.values["pos"]
    rows = vocab.rows(("pos", "sdp"), PARSE, (1, 2), (6, 7), 1, 7)
    assert rows.shape == (2, 6)
    assert [vocab.values["pos"][i] for i in rows[0]] == list(PARSE.pos[1:7])
    assert rows[1].tolist() == [2, 1, 2, 2, 1, 2]   # burst, was, caused, by, the, pressure
    other = TokenParse(pos=("X",) * 8, dep=PARSE.dep, ner=PARSE.ner, heads=HEADS)
    assert set(vocab.rows(("pos",), other, (1, 2), (6, 7), 0, 8)[0]) == {1}


def test_encoding_appends_tag_rows_after_the_ids_and_rejects_unknown_tags():
    tokens = ("The", "burst", "was", "caused", "by", "the", "pressure", ".")
    ex = RelationExample(tokens, (1, 2), (6, 7), "Cause-Effect(e2,e1)")
    enc = Encoding(max_len=6, max_distance=4, tags=("dep", "sdp"))
    vocab, tags = WordVocab.build([ex], min_freq=1), TagVocab.build(enc.tags, [PARSE])
    x, y = encode_examples([ex], vocab, [ex.label], enc, parses=[PARSE], tag_vocab=tags)[0]
    start, end = enc.window(len(tokens), ex.e1, ex.e2)
    assert x.shape == (6, 6) and (start, end) == (1, 7)
    assert torch.equal(x[:4], torch.from_numpy(enc.encode(vocab, tokens, ex.e1, ex.e2)))
    assert x[5].tolist() == [2, 1, 2, 2, 1, 2]
    with pytest.raises(ValueError):
        encode_examples([ex], vocab, [ex.label], enc)  # tags need parses
    with pytest.raises(UnknownNameError):
        Encoding(tags=("pos", "wordnet"))


@pytest.fixture(scope="module")
def run(nlp, tmp_path_factory):
    from neural.relation.train import train_relation
    from neural.trainer import TrainerConfig

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("tags")
    tcfg = TrainerConfig(epochs=6, batch_size=16, lr=1e-2, device="cpu", seed=0, out_dir=str(out / "run"))
    return train_relation("att-bilstm", tiny_splits(), trainer_config=tcfg, min_freq=1, nlp=nlp,
                          feature_cache=out / "cache",
                          model_config={"word_dim": 16, "pos_dim": 4, "marker_dim": 4, "hidden": 16,
                                        "tag_dim": 3, "dropout": 0.0, "embed_dropout": 0.0},
                          encoding=Encoding(max_len=8, max_distance=6, tags=("pos", "dep", "ner", "sdp")))


def test_training_path_parses_and_the_checkpoint_keeps_the_tag_vocabulary(run, nlp, tmp_path):
    from neural.relation.features import cached_token_parses
    from neural.relation.train import load_relation_model, predict_examples

    assert run.test.accuracy >= 0.9, run.history[-1]
    assert "PERSON" in run.tag_vocab.values["ner"] and "nsubj" in run.tag_vocab.values["dep"]
    loaded = load_relation_model(run.checkpoint)
    assert loaded.encoding.tags == ("pos", "dep", "ner", "sdp") and loaded.tag_vocab.values == run.tag_vocab.values
    assert loaded.model.embed_dim == 16 + 2 * 4 + 4 + 4 * 3
    test = run.splits.test[:6]
    ours = predict_examples(run.model, run.vocab, run.encoding, test, nlp=nlp, tag_vocab=run.tag_vocab)
    again = predict_examples(loaded.model, loaded.vocab, loaded.encoding, test, nlp=nlp, tag_vocab=loaded.tag_vocab)
    assert torch.allclose(again, ours, atol=1e-6)
    sents = [e.tokens for e in test]
    first = cached_token_parses(nlp, sents, tmp_path)
    assert cached_token_parses(nlp, sents, tmp_path) == first and len(list(tmp_path.glob("*.npz"))) == 1


def test_extractor_reads_the_tags_from_its_docs_and_matches_the_training_path(run, nlp, monkeypatch):
    from kg.extract import Extractor, ExtractorSettings
    from neural.relation import features, register
    from neural.relation.train import load_relation_model, predict_examples

    text = "Tim Cook works for Apple."
    sent = next(iter(nlp(text).sents))
    tokens = tuple(t.text for t in sent)
    assert TokenParse.of_span(sent) == features.token_parses(nlp, [tokens])[0]

    loaded = load_relation_model(run.checkpoint)
    p = predict_examples(loaded.model, loaded.vocab, loaded.encoding, [RelationExample(tokens, (0, 2), (4, 5), "")],
                         nlp=nlp, tag_vocab=loaded.tag_vocab)[0]
    k = int(p.argmax())
    assert loaded.labels[k] == "works_for(e1,e2)"

    register()
    extractor = Extractor(ExtractorSettings(relations=f"neural:{run.checkpoint}"), nlp=nlp)

    def no_second_parse(*a, **kw):
        raise AssertionError("the extractor must reuse its parsed Docs")

    monkeypatch.setattr(features, "token_parses", no_second_parse)
    got = {t.key(): t for t in extractor.extract(text, "d").triples}
    assert got[("Tim Cook", "works for", "Apple")].confidence == pytest.approx(float(p[k]), abs=1e-5)


def test_static_word_vectors_start_the_word_embeddings():
    import spacy

    from kg.errors import KgnError
    from neural.relation.features import word_vector_table
    from neural.relation.train import train_relation
    from neural.trainer import TrainerConfig

    with_vectors = spacy.blank("en")
    rng = np.random.default_rng(0)
    for word in ("tim", "Cook", "works", "for", "apple"):
        with_vectors.vocab.set_vector(word, rng.normal(size=6).astype(np.float32))
    table, found, _ = word_vector_table(with_vectors, ["<pad>", "tim", "cook", "qzx"])
    assert found.tolist() == [False, True, True, False] and table.shape == (4, 6)
    assert np.allclose(table[2], with_vectors.vocab.get_vector("Cook")) and not table[3].any()
    with pytest.raises(KgnError, match="no static vectors"):
        word_vector_table(spacy.blank("en"), ["tim"])

    torch.set_num_threads(1)
    tcfg = TrainerConfig(epochs=1, batch_size=16, lr=0.0, device="cpu", seed=0)  # lr 0: the start stays
    run = train_relation("cnn", tiny_splits(), trainer_config=tcfg, min_freq=1, word_vectors=with_vectors,
                         model_config={"pos_dim": 4, "marker_dim": 4, "filters": 8},
                         encoding=Encoding(max_len=8, max_distance=6))
    assert run.model.config.word_dim == 6
    weights = run.model.words.weight.detach().numpy()
    for word in ("tim", "works", "apple"):
        assert np.allclose(weights[run.vocab.index[word]], with_vectors.vocab.get_vector(word))
