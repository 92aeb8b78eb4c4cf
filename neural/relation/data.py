"""Relation examples and their encoding: a tokenised sentence with two marked spans -> tensors.

Every example is stored with ``e1`` the span that comes FIRST in the sentence and ``e2`` the
second, and a label that carries the direction, SemEval-2010 Task 8 style:
``"Work_For(e1,e2)"`` (the first span is the subject), ``"Work_For(e2,e1)"`` (the second is), or
the negative label (``"Other"`` / ``"no_relation"``). So one forward pass over an unordered pair
of mentions decides the relation and its direction.

Encoding (Zeng et al. 2014, "Relation Classification via Convolutional Deep Neural Network"):
per token, a lower-cased word id, its relative distance to e1 and to e2 (clipped to
``+-max_distance``; 0 is padding), and an entity indicator (1: inside e1, 2: inside e2, 0: neither)
that plays the role of entity markers. Word embeddings start random: no pretrained vectors are
used (en_core_web_sm has none, and nothing is downloaded). With ``Encoding.spacy_vectors`` each
token also gets spaCy's own 96-d tok2vec output (:mod:`neural.relation.features`), appended as
float rows below the four id rows (ids up to 2**24 are exact in float32).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import torch
from torch.utils.data import Dataset, TensorDataset

from kg.errors import UnknownNameError
from neural.relation.features import TAG_NAMES

PAD, UNK = "<pad>", "<unk>"
NO_RELATION = "no_relation"
_LABEL = re.compile(r"^(?P<rel>.+)\((?P<a>e[12]),(?P<b>e[12])\)$")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class RelationExample:
    """``tokens`` with two spans ``e1`` (first in the sentence) and ``e2``, end exclusive."""

    tokens: tuple[str, ...]
    e1: tuple[int, int]
    e2: tuple[int, int]
    label: str
    group: str = ""  # sentence / document id (splits by document keep groups together)


def directed(relation: str, subject_first: bool) -> str:
    return f"{relation}({'e1,e2' if subject_first else 'e2,e1'})"


def split_label(label: str) -> tuple[str, bool] | None:
    """``"Work_For(e2,e1)"`` -> ("Work_For", False); a label without direction -> None."""
    m = _LABEL.match(label)
    if m is None:
        return None
    return m.group("rel"), m.group("a") == "e1"


def make_example(tokens: Sequence[str], head: tuple[int, int], tail: tuple[int, int], relation: str | None,
                 negative: str = NO_RELATION, group: str = "") -> RelationExample:
    """An example from a head/tail pair in any order; ``relation`` None means no relation."""
    first, second = (head, tail) if head[0] <= tail[0] else (tail, head)
    label = negative if relation is None else directed(relation, head == first)
    return RelationExample(tuple(tokens), tuple(first), tuple(second), label, group)


def norm_token(token: str) -> str:
    return _DIGITS.sub("0", token.lower())


class WordVocab:
    """Token <-> id; 0 is padding, 1 unknown. Built from training examples only."""

    def __init__(self, tokens: list[str]):
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    @classmethod
    def build(cls, examples: Iterable[RelationExample], min_freq: int = 2, max_size: int = 50000) -> "WordVocab":
        counts = Counter(norm_token(t) for ex in examples for t in ex.tokens)
        kept = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        return cls([PAD, UNK] + kept[: max_size - 2])

    def ids(self, tokens: Sequence[str]) -> list[int]:
        return [self.index.get(norm_token(t), 1) for t in tokens]


@dataclass
class Encoding:
    """How examples become tensors; saved in checkpoints as plain values."""

    max_len: int = 96
    max_distance: int = 40
    spacy_vectors: bool = False  # append spaCy's tok2vec output (doc.tensor) to every token
    spacy_model: str = ""        # the spaCy model those vectors (or parse tags) came from ("core_web_sm-3.8.0")
    # spaCy parse tags as extra id rows after the four (neural.relation.features.TAG_NAMES):
    # "pos", "dep", "ner" (the token's own labels) and "sdp" (on the pair's shortest dependency path)
    tags: tuple[str, ...] = ()

    def __post_init__(self):
        self.tags = tuple(self.tags)
        unknown = [t for t in self.tags if t not in TAG_NAMES]
        if unknown or len(set(self.tags)) != len(self.tags):
            raise UnknownNameError("relation input tag", (unknown or list(self.tags))[0], TAG_NAMES)

    def window(self, n: int, e1: tuple[int, int], e2: tuple[int, int]) -> tuple[int, int]:
        """The token window kept for a long sentence: both spans plus context around them."""
        if n <= self.max_len:
            return 0, n
        lo, hi = min(e1[0], e2[0]), max(e1[1], e2[1])
        if hi - lo >= self.max_len:  # spans too far apart: keep the start of e1's region
            return lo, lo + self.max_len
        start = max(0, min(lo - (self.max_len - (hi - lo)) // 2, n - self.max_len))
        return start, start + self.max_len

    def encode(self, vocab: WordVocab, tokens: Sequence[str], e1: tuple[int, int],
               e2: tuple[int, int]) -> np.ndarray:
        """[4, max_len] int64: word ids, distance to e1, distance to e2, entity indicator."""
        start, end = self.window(len(tokens), e1, e2)
        out = np.zeros((4, self.max_len), dtype=np.int64)
        words = vocab.ids(tokens[start:end])
        n = len(words)
        out[0, :n] = words
        idx = np.arange(start, end)
        d = self.max_distance
        for row, (s, e) in ((1, e1), (2, e2)):
            # 0 inside the span, negative before it, positive after it; shifted so that 0 = padding
            dist = np.where(idx < s, idx - s, np.where(idx >= e, idx - e + 1, 0))
            out[row, :n] = np.clip(dist, -d, d) + d + 1
        out[3, :n] = np.where((idx >= e1[0]) & (idx < e1[1]), 1, np.where((idx >= e2[0]) & (idx < e2[1]), 2, 0))
        return out

    @property
    def n_positions(self) -> int:
        return 2 * self.max_distance + 2


class FeatureRelationDataset(Dataset):
    """Encoded examples plus per-token float features: item ``i`` is (float32 [ids + dim, max_len],
    label), ``ids`` the 4 id rows and any tag rows. Features are kept once per sentence (many pairs share one) and cut to each example's
    token window when the item is read, so a split of long documents stays small in memory."""

    def __init__(self, ids: np.ndarray, labels: np.ndarray, features: Sequence[np.ndarray], starts: np.ndarray,
                 dim: int):
        self.ids, self.labels, self.features, self.starts, self.dim = ids, labels, list(features), starts, dim

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int):
        ids = self.ids[i]
        k = ids.shape[0]
        x = np.zeros((k + self.dim, ids.shape[-1]), dtype=np.float32)
        x[:k] = ids
        n = int((ids[0] != 0).sum())
        f = self.features[i][self.starts[i]:self.starts[i] + n]
        x[k:, : len(f)] = f.T
        return torch.from_numpy(x), torch.tensor(self.labels[i])


def encode_examples(examples: Sequence[RelationExample], vocab: WordVocab, labels: list[str],
                    encoding: Encoding, features: Sequence[np.ndarray] | None = None,
                    parses: Sequence | None = None, tag_vocab=None) -> Dataset:
    """Tensors of ``examples``; with ``encoding.spacy_vectors``, ``features`` holds one float array
    [len(tokens), dim] per example; with ``encoding.tags``, ``parses`` one
    :class:`~neural.relation.features.TokenParse` per example and ``tag_vocab`` their
    :class:`~neural.relation.features.TagVocab` (:mod:`neural.relation.features`)."""
    index = {label: i for i, label in enumerate(labels)}
    n_tags = len(encoding.tags)
    if n_tags and (parses is None or len(parses) != len(examples) or tag_vocab is None):
        raise ValueError("tag encoding needs one parse per example and the tag vocabulary")
    x = np.zeros((len(examples), 4 + n_tags, encoding.max_len), dtype=np.int64)
    y = np.zeros(len(examples), dtype=np.int64)
    for i, ex in enumerate(examples):
        x[i, :4] = encoding.encode(vocab, ex.tokens, ex.e1, ex.e2)
        if n_tags:
            if len(parses[i]) != len(ex.tokens):
                raise ValueError(f"parse ({len(parses[i])} tokens) does not match the tokens ({len(ex.tokens)})")
            start, end = encoding.window(len(ex.tokens), ex.e1, ex.e2)
            x[i, 4:, : end - start] = tag_vocab.rows(encoding.tags, parses[i], ex.e1, ex.e2, start, end)
        y[i] = index[ex.label]
    if not encoding.spacy_vectors:
        return TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    if features is None or len(features) != len(examples):
        raise ValueError("spacy_vectors encoding needs one feature array per example")
    for ex, f in zip(examples, features):
        if len(f) != len(ex.tokens):
            raise ValueError(f"feature rows ({len(f)}) do not match the tokens ({len(ex.tokens)})")
    dim = int(features[0].shape[1]) if len(features) else 0
    starts = np.array([encoding.window(len(ex.tokens), ex.e1, ex.e2)[0] for ex in examples], dtype=np.int64)
    return FeatureRelationDataset(x, y, features, starts, dim)
