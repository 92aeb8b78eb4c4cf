"""The ``neural`` relation method: a trained relation classifier inside kgn's extractor.

Candidates are pairs of mentions (``doc.spans["kgn_mentions"]``) in the same sentence: named
entities only, or every mention (noun-chunk concepts too) for a model trained on nominals
(SemEval), as the checkpoint says. All pairs of a batch of documents go through the model in
batches of ``batch_size`` (the ``pipe`` hook). A pair becomes a triple when the most probable
label is a relation and its probability is at least ``min_confidence``; that probability is the
triple's confidence, and the model's name and checkpoint digest are the method's version.
A model trained with spaCy vectors reads them from the Docs' ``doc.tensor`` (set by the
pipeline's tok2vec while the extractor parsed them): no second parse; one trained with parse tags
reads POS, dependency labels, heads and NER labels from the same Docs.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from kg.errors import KgnError
from kg.extract.mentions import CONCEPT, SPAN_KEY
from kg.extract.relations import Relation, RelationMethod

from neural.relation.data import RelationExample, split_label
from neural.relation.features import TokenParse, sentence_vectors

MAX_MENTIONS = 24  # per sentence: at most 276 pairs, so one long list of names cannot blow up


def predicate_of(relation: str) -> str:
    """A graph predicate from a relation label: "Work_For" -> "work for"; Wikidata ids stay."""
    if re.fullmatch(r"P\d+", relation):
        return relation
    return re.sub(r"[_\s]+", " ", relation).strip().lower()


class NeuralRelations(RelationMethod):
    name = "neural"

    def __init__(self, path: str, min_confidence: float = 0.5, batch_size: int = 256, device: str = "cpu"):
        from neural.relation.train import load_relation_model

        if not 0.0 <= min_confidence <= 1.0:
            raise KgnError(f"min_confidence must be between 0 and 1, got {min_confidence}")
        self.path = str(path)
        self.loaded = load_relation_model(path, device=device)
        self.min_confidence = min_confidence
        self.batch_size = max(1, int(batch_size))
        self.version = f"{self.loaded.model.name}-{self.loaded.digest}"

    def __getstate__(self):
        # Sent to workers as its checkpoint path (workers usually rebuild from the spec anyway).
        return {"path": self.path, "min_confidence": self.min_confidence, "batch_size": self.batch_size}

    def __setstate__(self, state):
        self.__init__(state["path"], state["min_confidence"], state["batch_size"])

    def candidates(self, doc) -> Iterator[tuple]:
        """(sentence, first mention, second mention) pairs of one document."""
        named_only = self.loaded.candidates != "all"
        by_sent: dict[int, list] = {}
        for span in doc.spans[SPAN_KEY]:
            if named_only and span.label_ == CONCEPT:
                continue
            by_sent.setdefault(span.sent.start, []).append(span)
        for spans in by_sent.values():
            spans = sorted(spans, key=lambda s: (s.start, s.end))[:MAX_MENTIONS]
            for i, a in enumerate(spans):
                for b in spans[i + 1:]:
                    if a.end <= b.start:  # overlapping mentions are not a pair
                        yield a.sent, a, b

    def __call__(self, doc) -> list[Relation]:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable) -> Iterator[list[Relation]]:
        from neural.relation.train import predict_examples

        docs = list(docs)
        lm = self.loaded
        pairs, owner, feats, parses = [], [], [], []
        for i, doc in enumerate(docs):
            sent_feats: dict[int, object] = {}
            sent_parses: dict[int, TokenParse] = {}
            for sent, a, b in self.candidates(doc):
                tokens = tuple(t.text for t in sent)
                s0 = sent.start
                pairs.append(RelationExample(tokens, (a.start - s0, a.end - s0), (b.start - s0, b.end - s0), ""))
                owner.append((i, sent, a, b))
                if lm.encoding.spacy_vectors:
                    if s0 not in sent_feats:
                        sent_feats[s0] = sentence_vectors(sent)
                    feats.append(sent_feats[s0])
                if lm.encoding.tags:
                    if s0 not in sent_parses:
                        sent_parses[s0] = TokenParse.of_span(sent)
                    parses.append(sent_parses[s0])
        out: list[list[Relation]] = [[] for _ in docs]
        if pairs:
            features = None
            if lm.encoding.spacy_vectors:
                if any(f is None or f.shape[1] != lm.model.config.features for f in feats):
                    raise KgnError(f"relation checkpoint {self.path!r} needs spaCy token vectors "
                                   f"({lm.model.config.features}-d doc.tensor from {lm.encoding.spacy_model}); "
                                   "these documents were parsed without them")
                features = feats
            probs = predict_examples(lm.model, lm.vocab, lm.encoding, pairs, batch_size=self.batch_size,
                                     features=features, parses=parses if lm.encoding.tags else None,
                                     tag_vocab=lm.tag_vocab)
            best_p, best = probs.max(-1)
            for (i, sent, a, b), p, k in zip(owner, best_p.tolist(), best.tolist()):
                label = lm.labels[k]
                parts = split_label(label)
                if label == lm.negative or parts is None or p < self.min_confidence:
                    continue
                relation, first_is_subject = parts
                subj, obj = (a, b) if first_is_subject else (b, a)
                out[i].append(Relation(subj, predicate_of(relation), obj, float(p), kind=f"neural:{relation}",
                                       evidence=sent, method=self.name))
        yield from out
