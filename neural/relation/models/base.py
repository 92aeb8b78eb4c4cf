"""The base of every relation classifier: shared input embeddings, loss and relation scores.

Input ``x``: int64 [batch, 4 + tags, T] from :class:`neural.relation.data.Encoding` (word ids,
distance to e1, distance to e2, entity indicator, then one row per spaCy parse tag: POS,
dependency label, NER label, on the shortest dependency path); with spaCy vectors (``features`` >
0) float32 [batch, 4 + tags + features, T], the id rows first. Output: logits over the directed relation labels, the
negative label first. The model trains through the one :class:`neural.trainer.Trainer`; its
per-epoch validation metric is the SemEval-style macro-F1 (:mod:`neural.relation.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import nn

from neural.models.base import Classifier, ModelConfig
from neural.relation.scoring import relation_scores


@dataclass
class RelationConfig(ModelConfig):
    zero_ok: ClassVar[frozenset[str]] = ModelConfig.zero_ok | {"features"}

    word_dim: int = 100
    pos_dim: int = 10
    marker_dim: int = 10
    dropout: float = 0.5
    positions: int = 82        # rows of each distance table (Encoding.n_positions)
    labels: str = ""           # the label names, one per line, the negative one first
    features: int = 0          # per-token float inputs after the ids (spaCy's 96-d tok2vec), 0: none
    tags: str = ""             # vocabulary size of each parse-tag id row, comma-separated ("" : none)
    tag_dim: int = 10          # embedding size of each tag

    @property
    def tag_sizes(self) -> list[int]:
        return [int(v) for v in self.tags.split(",") if v.strip()]


class RelationModel(Classifier):
    """Word + two distance embeddings + an entity indicator embedding (+ spaCy's token vectors),
    concatenated."""

    input_kind = "relation"
    Config = RelationConfig
    monitor = "val_macro_f1"
    monitor_mode = "max"

    def __init__(self, spec, config=None):
        super().__init__(spec, config)
        c = self.config
        self.words = nn.Embedding(spec.vocab_size, c.word_dim, padding_idx=0)
        self.dist1 = nn.Embedding(c.positions, c.pos_dim, padding_idx=0)
        self.dist2 = nn.Embedding(c.positions, c.pos_dim, padding_idx=0)
        self.marker = nn.Embedding(3, c.marker_dim)
        self.tag_embeds = nn.ModuleList(nn.Embedding(n, c.tag_dim, padding_idx=0) for n in c.tag_sizes)
        self.id_rows = 4 + len(self.tag_embeds)
        self.embed_dim = c.word_dim + 2 * c.pos_dim + c.marker_dim + len(self.tag_embeds) * c.tag_dim + c.features

    @property
    def label_names(self) -> list[str]:
        names = self.config.labels.split("\n") if self.config.labels else []
        return names if len(names) == self.spec.n_classes else [str(i) for i in range(self.spec.n_classes)]

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """[B, 4 (+ tags) (+ features), T] -> [B, T, embed_dim]."""
        ids = x[:, : self.id_rows].long()
        parts = [self.words(ids[:, 0]), self.dist1(ids[:, 1]), self.dist2(ids[:, 2]), self.marker(ids[:, 3])]
        parts += [emb(ids[:, 4 + k]) for k, emb in enumerate(self.tag_embeds)]
        if self.config.features:
            parts.append(x[:, self.id_rows:].transpose(1, 2).float())
        return torch.cat(parts, -1)

    @staticmethod
    def mask(x: torch.Tensor) -> torch.Tensor:
        return x[:, 0] != 0

    @staticmethod
    def trim(x: torch.Tensor) -> torch.Tensor:
        """Drop the padding columns every row of the batch has (sentences are mostly far
        shorter than ``max_len``; this makes a forward pass several times cheaper)."""
        n = int((x[:, 0] != 0).sum(1).max().clamp(min=1))
        return x[..., :n]

    @torch.no_grad()
    def probabilities(self, x: torch.Tensor) -> torch.Tensor:
        self.eval()
        return torch.softmax(self(x.to(self.device)).float(), -1)

    def evaluate(self, loader):
        y, p, total = self.predict(loader)
        names = self.label_names
        scores = relation_scores([names[i] for i in y.tolist()], [names[i] for i in p.tolist()], negative=names[0])
        return {"loss": float(total) / max(len(y), 1), **scores.as_dict()}

    def test_report(self, loader):
        return self.evaluate(loader)
