"""Training and loading relation classifiers (through the one :class:`neural.trainer.Trainer`).

A checkpoint is an ordinary kgn neural checkpoint (``torch.load(weights_only=True)``) whose
``meta`` adds what inference needs: ``task: "relation"``, the word list, the labels (negative
first), the encoding settings and which mentions the extractor should pair.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader

from neural.checkpoint import load_checkpoint
from neural.data.base import DataSpec
from neural.errors import CheckpointError
from neural.relation.data import Encoding, RelationExample, WordVocab, encode_examples
from neural.relation.features import TagVocab
from neural.relation.models import RelationModel, get_relation_model, relation_model_class
from neural.relation.readers import RelationSplits, load_splits
from neural.relation.scoring import RelationScores, relation_scores
from neural.trainer import Callback, Trainer, TrainerConfig, seed_everything

TASK = "relation"


@dataclass
class RelationRun:
    model: RelationModel
    vocab: WordVocab
    encoding: Encoding
    splits: RelationSplits
    history: list[dict[str, Any]]
    test: RelationScores
    seconds: float
    checkpoint: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    tag_vocab: TagVocab | None = None


def train_relation(model_name: str, data: str | RelationSplits = "semeval", *, data_path: str | None = None,
                   trainer_config: TrainerConfig | None = None, model_config: dict[str, Any] | None = None,
                   encoding: Encoding | None = None, min_freq: int = 2,
                   callbacks: list[Callback] | None = None, nlp=None,
                   feature_cache: str | Path | None = None, log=None,
                   word_vectors: str | Path | None = None) -> RelationRun:
    """Train relation classifier ``model_name`` on ``data`` (a name or a JSONL path) and score it
    on the test split; with ``trainer_config.out_dir`` the best epoch is saved as ``best.ckpt``.

    With ``encoding.spacy_vectors`` every split's tokens also go through spaCy's tok2vec, with
    ``encoding.tags`` through the whole pipeline (``nlp``, default kgn's pipeline), kept in
    ``feature_cache`` when given. ``word_vectors`` (a spaCy model with static vectors, by name or
    folder) gives the word embeddings their starting values and their size; words it lacks keep
    a random start. Nothing is needed at inference: the trained table is in the checkpoint."""
    tcfg = trainer_config or TrainerConfig()
    cls = relation_model_class(model_name)  # unknown names fail before any data is read
    splits = data if isinstance(data, RelationSplits) else load_splits(data, data_path)
    enc = encoding or Encoding()
    feats: dict[str, list[np.ndarray] | None] = {"train": None, "val": None, "test": None}
    parses: dict[str, list | None] = {"train": None, "val": None, "test": None}
    extra_config: dict[str, Any] = {}
    tag_vocab = None
    if enc.spacy_vectors or enc.tags:
        from neural.relation.features import spacy_model_id

        nlp = nlp if nlp is not None else _default_nlp()
        enc = replace(enc, spacy_model=spacy_model_id(nlp))
    if enc.tags:
        from neural.relation.features import cached_token_parses

        for key in parses:
            part = getattr(splits, key)
            parses[key] = cached_token_parses(nlp, [e.tokens for e in part], feature_cache, log) if part else []
        tag_vocab = TagVocab.build(enc.tags, parses["train"])
        extra_config["tags"] = ",".join(map(str, tag_vocab.sizes(enc.tags)))
    if enc.spacy_vectors:
        from neural.relation.features import cached_token_vectors

        for key in feats:
            part = getattr(splits, key)
            feats[key] = cached_token_vectors(nlp, [e.tokens for e in part], feature_cache, log) if part else []
        dims = {int(f.shape[1]) for v in feats.values() for f in (v or [])}
        extra_config["features"] = dims.pop() if dims else 0
    vocab = WordVocab.build(splits.train, min_freq=min_freq)
    labels = splits.labels()
    labels += sorted({ex.label for ex in splits.val + splits.test} - set(labels))
    train, val = (encode_examples(getattr(splits, k), vocab, labels, enc, feats[k], parses[k], tag_vocab)
                  for k in ("train", "val"))
    spec = DataSpec(kind=cls.input_kind, n_classes=len(labels), vocab_size=len(vocab), seq_len=enc.max_len)
    table = None
    if word_vectors is not None:
        from neural.relation.features import word_vector_table

        table, found, source = word_vector_table(word_vectors, vocab.tokens)
        found[:2] = False  # padding and unknown keep their own rows
        extra_config["word_dim"] = table.shape[1]
        if log is not None:
            log(f"word vectors from {source}: {int(found.sum())} of {len(vocab) - 2} words")
    seed_everything(tcfg.seed)
    model = get_relation_model(model_name, spec, **{**(model_config or {}), **extra_config,
                                                    "positions": enc.n_positions, "labels": "\n".join(labels)})
    if table is not None:
        with torch.no_grad():
            rows = torch.from_numpy(found).nonzero().squeeze(-1)
            model.words.weight[rows] = torch.from_numpy(table[found])
    meta = {"task": TASK, "dataset": splits.name, "labels": labels, "negative": splits.negative,
            "vocab": vocab.tokens, "encoding": asdict(enc), "candidates": splits.candidates}
    if tag_vocab is not None:
        meta["tag_vocab"] = tag_vocab.values
    if table is not None:
        meta["word_vectors"] = f"{source}: {int(found.sum())} of {len(vocab) - 2} words"
    started = time.perf_counter()
    trainer = Trainer(tcfg, callbacks)
    history = trainer.fit(model, train, val if len(val) else None, meta=meta)
    seconds = time.perf_counter() - started
    test = (score_examples(model, vocab, enc, splits.test, negative=splits.negative, features=feats["test"],
                           parses=parses["test"], tag_vocab=tag_vocab) if splits.test else None)
    ckpt = Path(tcfg.out_dir) / "best.ckpt" if tcfg.out_dir else None
    return RelationRun(model, vocab, enc, splits, history, test, seconds, ckpt, tag_vocab=tag_vocab)


def _default_nlp():
    from kg.extract.nlp import load_nlp

    return load_nlp()


@torch.no_grad()
def predict_examples(model: RelationModel, vocab: WordVocab, encoding: Encoding,
                     examples: Sequence[RelationExample], batch_size: int = 256,
                     features: Sequence[np.ndarray] | None = None, nlp=None,
                     parses: Sequence | None = None, tag_vocab: TagVocab | None = None) -> torch.Tensor:
    """Label probabilities [n, labels] of examples (labels of the examples are not read).

    A model trained with spaCy vectors takes ``features`` (one array per example, e.g. rows of
    the extractor's ``doc.tensor``), one trained with parse tags ``parses`` (one
    :class:`~neural.relation.features.TokenParse` per example, e.g. of the extractor's parsed
    sentences) and its ``tag_vocab``; without them they are computed from the tokens with ``nlp``
    (default kgn's pipeline), exactly as in training."""
    model.eval()
    if not examples:
        return torch.zeros((0, model.spec.n_classes))
    if encoding.spacy_vectors and features is None:
        from neural.relation.features import cached_token_vectors

        nlp = nlp if nlp is not None else _default_nlp()
        features = cached_token_vectors(nlp, [e.tokens for e in examples])
    if encoding.tags and parses is None:
        from neural.relation.features import cached_token_parses

        nlp = nlp if nlp is not None else _default_nlp()
        parses = cached_token_parses(nlp, [e.tokens for e in examples])
    names = model.label_names
    ds = encode_examples([RelationExample(e.tokens, e.e1, e.e2, names[0]) for e in examples], vocab, names, encoding,
                         features, parses, tag_vocab)
    out = [model.probabilities(x) for x, _ in DataLoader(ds, batch_size=batch_size)]
    return torch.cat(out).cpu()


def score_examples(model: RelationModel, vocab: WordVocab, encoding: Encoding,
                   examples: Sequence[RelationExample], negative: str,
                   features: Sequence[np.ndarray] | None = None, parses: Sequence | None = None,
                   tag_vocab: TagVocab | None = None) -> RelationScores:
    names = model.label_names
    pred = predict_examples(model, vocab, encoding, examples, features=features, parses=parses,
                            tag_vocab=tag_vocab).argmax(-1).tolist()
    return relation_scores([e.label for e in examples], [names[i] for i in pred], negative=negative)


@dataclass
class LoadedRelationModel:
    model: RelationModel
    vocab: WordVocab
    encoding: Encoding
    labels: list[str]
    negative: str
    candidates: str
    digest: str  # sha256 of the checkpoint file, first 12 hex digits
    meta: dict[str, Any]
    tag_vocab: TagVocab | None = None


def load_relation_model(path: str | Path, device: str = "cpu") -> LoadedRelationModel:
    """A relation classifier checkpoint, rebuilt for inference."""
    ckpt = load_checkpoint(path)
    meta = ckpt.get("meta") or {}
    if meta.get("task") != TASK:
        raise CheckpointError(f"checkpoint {str(path)!r} is not a relation classifier "
                              f"(model {ckpt.get('model')!r}); train one with `kgn train relation`")
    try:
        spec = DataSpec(**ckpt["spec"])
        model = get_relation_model(ckpt["model"], spec, **ckpt["model_config"])
        model.load_state_dict(ckpt["state_dict"])
        vocab = WordVocab(list(meta["vocab"]))
        enc = Encoding(**meta["encoding"])
        labels = list(meta["labels"])
        tag_vocab = TagVocab(meta["tag_vocab"]) if enc.tags else None
    except (KeyError, TypeError, RuntimeError) as exc:
        raise CheckpointError(f"checkpoint {str(path)!r} cannot rebuild its relation model: {str(exc)[:300]}") from None
    model.to(device).eval()
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return LoadedRelationModel(model, vocab, enc, labels, str(meta.get("negative", labels[0])),
                               str(meta.get("candidates", "entities")), digest, meta, tag_vocab)
