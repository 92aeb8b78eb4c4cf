"""spaCy's token vectors as a relation-classifier input: shapes, the checkpoint round trip, and the
same features (and probabilities) from the training path and from the extractor's parsed Docs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neural.relation.data import Encoding, RelationExample, WordVocab, encode_examples
from tests.neural.relation.conftest import tiny_splits

@pytest.fixture(scope="module")
def run(nlp, tmp_path_factory):
    from neural.relation.train import train_relation
    from neural.trainer import TrainerConfig

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("spacyvec")
    tcfg = TrainerConfig(epochs=6, batch_size=16, lr=1e-2, device="cpu", seed=0, out_dir=str(out / "run"))
    return train_relation("pcnn", tiny_splits(reversed_too=True), trainer_config=tcfg, min_freq=1, nlp=nlp,
                          feature_cache=out / "cache",
                          model_config={"word_dim": 16, "pos_dim": 4, "marker_dim": 4, "filters": 32, "dropout": 0.0},
                          encoding=Encoding(max_len=8, max_distance=6, spacy_vectors=True))


def test_features_follow_the_token_window_and_shapes(nlp):
    from neural.relation.features import token_vectors

    tokens = ("the", "old", "Tim", "Cook", "said", "that", "he", "works", "for", "Apple", "now", ".")
    ex = RelationExample(tokens, (2, 4), (9, 10), "none")
    enc = Encoding(max_len=8, max_distance=6, spacy_vectors=True)
    feats = token_vectors(nlp, [tokens])
    assert feats[0].shape == (12, 96) and feats[0].dtype == np.float32
    vocab = WordVocab.build([ex], min_freq=1)
    ds = encode_examples([ex], vocab, ["none"], enc, feats)
    x, y = ds[0]
    assert x.shape == (4 + 96, 8) and x.dtype == torch.float32 and int(y) == 0
    start = enc.window(len(tokens), ex.e1, ex.e2)[0]
    assert start > 0  # the sentence is cut: the features must be cut at the same place as the ids
    assert torch.equal(x[4:], torch.from_numpy(feats[0][start:start + 8].T.copy()))
    assert torch.equal(x[:4].long(), torch.from_numpy(enc.encode(vocab, tokens, ex.e1, ex.e2)))
    with pytest.raises(ValueError):
        encode_examples([ex], vocab, ["none"], enc, None)


def test_guessed_spaces_match_spacys_tokenizer_on_ordinary_text(nlp):
    from neural.relation.features import guess_spaces

    text = "The 5-year-old boy (Tim's son) didn't go to Paris, London or New York; he stayed home."
    doc = nlp.tokenizer(text)
    assert guess_spaces([t.text for t in doc]) == [bool(t.whitespace_) for t in doc]


def test_cache_gives_back_the_same_vectors(nlp, tmp_path):
    from neural.relation.features import cached_token_vectors

    sents = [("Tim", "Cook", "works", "for", "Apple", "."), ("IBM", "employs", "Elon", "Musk", ".")]
    first = cached_token_vectors(nlp, sents + sents[:1], tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 1 and first[0] is first[2]
    again = cached_token_vectors(nlp, sents, tmp_path)
    for a, b in zip(first, again):
        assert np.array_equal(a, b)


def test_checkpoint_round_trip_keeps_the_option(run):
    from neural.relation.train import load_relation_model, predict_examples

    assert run.test.accuracy >= 0.9, run.history[-1]
    loaded = load_relation_model(run.checkpoint)
    assert loaded.encoding.spacy_vectors and loaded.encoding.spacy_model.startswith("core_web_sm")
    assert loaded.model.config.features == 96 and loaded.model.embed_dim == 16 + 2 * 4 + 4 + 96
    test = run.splits.test[:6]
    ours = predict_examples(run.model, run.vocab, run.encoding, test)
    assert torch.allclose(predict_examples(loaded.model, loaded.vocab, loaded.encoding, test), ours, atol=1e-6)


def test_extractor_reuses_doc_tensor_and_matches_the_training_path(run, nlp, monkeypatch):
    from kg.extract import Extractor, ExtractorSettings
    from neural.relation import features, register
    from neural.relation.train import load_relation_model, predict_examples

    text = "Tim Cook works for Apple."
    doc = nlp(text)
    sent = next(iter(doc.sents))
    tokens = tuple(t.text for t in sent)
    assert tokens == ("Tim", "Cook", "works", "for", "Apple", ".")
    from_doc = features.sentence_vectors(sent)
    from_tokens = features.token_vectors(nlp, [tokens])[0]
    assert np.allclose(from_doc, from_tokens, atol=1e-5)

    loaded = load_relation_model(run.checkpoint)
    ex = RelationExample(tokens, (0, 2), (4, 5), "none")
    p = predict_examples(loaded.model, loaded.vocab, loaded.encoding, [ex], nlp=nlp)[0]
    k = int(p.argmax())
    assert loaded.labels[k] == "works_for(e1,e2)"

    register()
    extractor = Extractor(ExtractorSettings(relations=f"neural:{run.checkpoint}"), nlp=nlp)

    def no_second_parse(*a, **k):
        raise AssertionError("the extractor must reuse doc.tensor")

    monkeypatch.setattr(features, "token_vectors", no_second_parse)
    got = {t.key(): t for t in extractor.extract(text, "d").triples}
    t = got[("Tim Cook", "works for", "Apple")]
    assert t.confidence == pytest.approx(float(p[k]), abs=1e-5)
