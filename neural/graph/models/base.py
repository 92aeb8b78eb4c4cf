"""The base class of every knowledge-graph embedding model: representations, a decoder's score
function, three training regimes, and filtered ranking through the shared protocol.

A subclass supplies ``representations()`` (entity and relation tensors; an encoder computes them
by message passing) and the decoder's three score functions (``tails``, ``heads``, ``triples``).
Training regimes (``KGEConfig.training``):

- ``1vsall``: every training triple ``(h, r, t)`` and its reciprocal ``(t, r⁻¹, h)`` is a query
  scored against all entities, with softmax cross-entropy and label smoothing (Lacroix et al.,
  ICML 2018, "Canonical tensor decomposition for knowledge base completion"; Ruffinelli et al.,
  ICLR 2020, "You CAN teach an old dog new tricks!").
- ``kvsall``: the same queries against the multi-hot vector of all their train answers, with
  binary cross-entropy and label smoothing (Dettmers et al., AAAI 2018, ConvE).
- ``negatives``: each triple against ``negatives`` corrupted heads or tails (sLCWA, Bordes et
  al. 2013), with the self-adversarial loss of RotatE (Sun et al., ICLR 2019), softplus or margin.

With 1-N training head queries are answered through the reciprocal relation; with negatives
the decoder scores heads directly.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import torch
from torch.nn import functional as F

from kg.errors import UnknownNameError
from kg.eval.linkpred import RankingResult, filtered_ranks

from neural.data.base import DataSpec
from neural.errors import ConfigError
from neural.models.base import Model, ModelConfig

TRAINING = ("1vsall", "kvsall", "negatives")
# Negative sampling scores all entities (and picks the sampled ones) up to this graph size.
FULL_SCORING_MAX_ENTITIES = 1024
LOSSES = ("nssa", "softplus", "margin")
OPTIMIZERS = ("adam", "adagrad")


def dot(q, ents):
    return q @ ents.T


def dot_each(q, cand):
    return torch.bmm(cand, q[:, :, None])[:, :, 0]


def neg_l2(q, ents):
    """``-||q - e||_2`` for all pairs, through ``||q||^2 + ||e||^2 - 2 q.e`` (one matrix product)."""
    sq = (q * q).sum(-1, keepdim=True) + (ents * ents).sum(-1)[None, :] - 2.0 * (q @ ents.T)
    return -torch.sqrt(sq.clamp_min(1e-9))


def neg_l2_each(q, cand):
    sq = (q * q).sum(-1, keepdim=True) + (cand * cand).sum(-1) - 2.0 * dot_each(q, cand)
    return -torch.sqrt(sq.clamp_min(1e-9))


def neg_l1(q, ents):
    """``-||q - e||_1`` for all pairs (``torch.cdist``: no (B, N, D) difference tensor)."""
    return -torch.cdist(q[None], ents[None], p=1.0)[0]


class _L1Each(torch.autograd.Function):
    """``||q_b - c_bk||_1`` with a hand-written backward (the gradient is the sign of the
    difference): half the time of autograd's sub/abs/sum chain, which dominates TransE's steps."""

    @staticmethod
    def forward(ctx, q, cand):
        diff = q[:, None, :] - cand
        ctx.save_for_backward(diff.sign())
        return diff.abs_().sum(-1)

    @staticmethod
    def backward(ctx, grad):
        (sign,) = ctx.saved_tensors
        g = sign.mul(grad[:, :, None])
        return g.sum(1), g.neg_()


def neg_l1_each(q, cand):
    return -_L1Each.apply(q, cand)


@dataclasses.dataclass
class KGEConfig(ModelConfig):
    dim: int = 200  # embedding size; complex numbers for ComplEx and RotatE (as PyKEEN counts)
    training: str = "auto"  # 1vsall | kvsall | negatives; auto: the model's default
    negatives: int = 32  # corrupted triples per true one (training=negatives)
    loss: str = "auto"  # nssa | softplus | margin (training=negatives); auto: the model's default
    margin: float = 0.0  # gamma of nssa / margin losses; 0: the model's default
    temperature: float = 1.0  # self-adversarial sampling temperature (nssa)
    label_smoothing: float = 0.1  # 1-N training
    n3: float = 0.0  # N3 regulariser weight (Lacroix et al. 2018)
    dropout: float = 0.0  # on the query representation (1-N training)
    eval_batch: int = 512  # queries scored at once in evaluation
    # adam | adagrad. Adagrad with N3 and 1vsall is Lacroix et al.'s (2018) recipe: its
    # per-row step sizes suit embedding tables whose rows are updated at very different rates.
    optimizer: str = "adam"


class KGEModel(Model):
    """Entity/relation representations plus a decoder; trained by the one Trainer."""

    input_kind = "triples"
    Config = KGEConfig
    monitor = "val_MRR"
    monitor_mode = "max"
    default_lr: ClassVar[float] = 1e-3
    default_training: ClassVar[str] = "1vsall"
    default_loss: ClassVar[str] = "nssa"
    default_margin: ClassVar[float] = 9.0
    complex_valued: ClassVar[bool] = False  # entity vectors are [real | imaginary] halves
    relation_width_factor: ClassVar[float] = 1.0  # relation width / dim (RotatE: phases)
    # ``match`` against all entities is one matrix product (dot, L2); not so for L1 distances.
    matmul_scoring: ClassVar[bool] = True

    def __init__(self, spec: DataSpec, config: KGEConfig | None = None, graph: torch.Tensor | None = None):
        super().__init__(spec, config)
        cfg = self.config
        self.training_mode = self.default_training if cfg.training == "auto" else cfg.training
        if self.training_mode not in TRAINING:
            raise UnknownNameError("training regime", self.training_mode, TRAINING)
        self.loss_name = self.default_loss if cfg.loss == "auto" else cfg.loss
        if self.loss_name not in LOSSES:
            raise UnknownNameError("loss", self.loss_name, LOSSES)
        if cfg.optimizer not in OPTIMIZERS:
            raise UnknownNameError("optimizer", cfg.optimizer, OPTIMIZERS)
        if cfg.dim < 1 or cfg.negatives < 1:
            raise ConfigError(f"dim and negatives must be >= 1; got {cfg.dim}, {cfg.negatives}")
        self.gamma = cfg.margin or self.default_margin
        self.num_entities = spec.num_entities
        self.num_relations = spec.num_relations
        # 1-N training answers head queries through reciprocal relations r + R.
        self.reciprocal = self.training_mode != "negatives"
        self.num_rel_slots = self.num_relations * (2 if self.reciprocal else 1)
        # The training graph travels with the model: encoders pass messages over it, kvsall
        # reads its answer sets, and `kgn similar`/`predict` filter known facts with it.
        graph = torch.zeros(0, 3, dtype=torch.long) if graph is None else torch.as_tensor(graph, dtype=torch.long)
        self.register_buffer("graph", graph.reshape(-1, 3).clone())
        self._answers = None
        self.negative_pool: torch.Tensor | None = None

    # -- widths --------------------------------------------------------------------------------
    @property
    def entity_width(self) -> int:
        return self.config.dim * (2 if self.complex_valued else 1)

    @property
    def relation_width(self) -> int:
        return int(self.config.dim * (2 if self.complex_valued else 1) * self.relation_width_factor)

    # -- what subclasses supply -------------------------------------------------------------------
    def representations(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(entity vectors (N, entity_width), relation vectors (R or 2R, relation_width))."""
        raise NotImplementedError

    # A decoder is written as a query vector and a match: the score of (h, r, e) is
    # match(tail_query(h, r), e) and that of (e, r, t) is match(head_query(r, t), e). Scoring all
    # entities, or k sampled candidates per query, is then one matrix product each.
    @staticmethod
    def tail_query(h: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
        """(B, D) query vectors for (h, r, ?)."""
        raise NotImplementedError

    @staticmethod
    def head_query(r: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """(B, D) query vectors for (?, r, t)."""
        raise NotImplementedError

    @staticmethod
    def match(q: torch.Tensor, ents: torch.Tensor) -> torch.Tensor:
        """Scores (B, N) of queries (B, D) against entities (N, D) (higher is better)."""
        raise NotImplementedError

    @staticmethod
    def match_each(q: torch.Tensor, cand: torch.Tensor) -> torch.Tensor:
        """Scores (B, k) of queries (B, D) against their own candidates (B, k, D)."""
        raise NotImplementedError

    def tails(self, h, r, ents):
        return self.match(self.tail_query(h, r), ents)

    def heads(self, r, t, ents):
        return self.match(self.head_query(r, t), ents)

    def triples(self, h, r, t):
        """Scores (B,) of (h_b, r_b, t_b)."""
        return self.match_each(self.tail_query(h, r), t[:, None, :])[:, 0]

    # -- scoring ---------------------------------------------------------------------------------
    def score_queries(self, ents: torch.Tensor, rels: torch.Tensor, entity: torch.Tensor, relation: torch.Tensor,
                      heads: bool) -> torch.Tensor:
        """Scores (B, N) of all entities as tails of (entity, relation, ?) or heads of (?, relation, entity)."""
        if heads and self.reciprocal:
            return self.tails(ents[entity], rels[relation + self.num_relations], ents)
        if heads:
            return self.heads(rels[relation], ents[entity], ents)
        return self.tails(ents[entity], rels[relation], ents)

    @torch.no_grad()
    def scorer(self):
        """A function ``(entities, relations, heads) -> (B, N) numpy scores`` over id arrays,
        with the representations computed once (encoders run their message passing once)."""
        self.eval()
        ents, rels = self.representations()
        dev = ents.device

        def score(entity, relation, heads: bool) -> np.ndarray:
            e = torch.as_tensor(np.asarray(entity), dtype=torch.long, device=dev)
            r = torch.as_tensor(np.asarray(relation), dtype=torch.long, device=dev)
            with torch.no_grad():
                return self.score_queries(ents, rels, e, r, heads).float().cpu().numpy()

        return score

    def rank(self, triples: np.ndarray, known: np.ndarray) -> RankingResult:
        """Filtered realistic ranks of ``triples`` in both directions (kg.eval.linkpred)."""
        return filtered_ranks(self.scorer(), np.asarray(triples), np.asarray(known), batched=True,
                              batch_size=self.config.eval_batch)

    # -- Trainer hooks ---------------------------------------------------------------------------
    def batch_size_of(self, batch) -> int:
        return len(batch[0])

    @torch.no_grad()
    def evaluate(self, loader) -> dict[str, float]:
        return self.rank(loader.triples, loader.known).metrics()

    def test_report(self, loader) -> dict:
        res = self.rank(loader.triples, loader.known)
        out = res.metrics()
        out.update({f"head_{k}": v for k, v in res.metrics(res.head_ranks).items()})
        out.update({f"tail_{k}": v for k, v in res.metrics(res.tail_ranks).items()})
        return out

    def configure_optimizers(self, tcfg):
        lr = tcfg.lr if tcfg.lr is not None else self.default_lr
        if self.config.optimizer == "adagrad":
            return [torch.optim.Adagrad(self.parameters(), lr=lr, weight_decay=tcfg.weight_decay)]
        # Adam (not AdamW): embedding rows of entities absent from a batch get no decay.
        return [torch.optim.Adam(self.parameters(), lr=lr, weight_decay=tcfg.weight_decay)]

    def training_step(self, batch, trainer) -> dict[str, float]:
        logs = super().training_step(batch, trainer)
        self.after_step()
        return logs

    def after_step(self) -> None:
        """Projects parameters back onto their constraint set after each update (TransE)."""

    def loss(self, batch):
        (tr,) = batch
        ents, rels = self.training_representations(tr)
        if self.training_mode == "negatives":
            loss = self._negative_sampling_loss(ents, rels, tr)
        else:
            loss = self._one_to_n_loss(ents, rels, tr)
        if self.config.n3:
            loss = loss + self.config.n3 * self._n3(ents, rels, tr)
        return loss, {"loss": float(loss.detach())}

    def training_representations(self, batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Representations for one training batch (encoders may sample a subgraph here)."""
        return self.representations()

    # -- losses -------------------------------------------------------------------------------------
    def _queries(self, tr: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h, r, t = tr[:, 0], tr[:, 1], tr[:, 2]
        return torch.cat([h, t]), torch.cat([r, r + self.num_relations]), torch.cat([t, h])

    def _one_to_n_loss(self, ents, rels, tr):
        e, r, ans = self._queries(tr)
        q = ents[e]
        if self.config.dropout:
            q = F.dropout(q, self.config.dropout, self.training)
        logits = self.tails(q, rels[r], ents).float()
        eps = self.config.label_smoothing
        if self.training_mode == "1vsall":
            return F.cross_entropy(logits, ans, label_smoothing=eps)
        target = self._multi_hot(e, r, logits.shape[1], logits.device)
        target = (1.0 - eps) * target + eps / logits.shape[1]  # ConvE's smoothing
        return F.binary_cross_entropy_with_logits(logits, target)

    def _multi_hot(self, e: torch.Tensor, r: torch.Tensor, n: int, device) -> torch.Tensor:
        """Train answers of each (entity, relation) query as a dense (B, N) 0/1 matrix."""
        if self._answers is None:
            g = self.graph.cpu().numpy()
            keys = np.concatenate([g[:, 0] * self.num_rel_slots + g[:, 1],
                                   g[:, 2] * self.num_rel_slots + g[:, 1] + self.num_relations])
            answers = np.concatenate([g[:, 2], g[:, 0]])
            order = np.argsort(keys, kind="stable")
            uniq, start = np.unique(keys[order], return_index=True)
            self._answers = (uniq, np.append(start, len(keys)), answers[order])
        uniq, ptr, answers = self._answers
        k = (e * self.num_rel_slots + r).cpu().numpy()
        pos = np.minimum(np.searchsorted(uniq, k), len(uniq) - 1)
        hit = uniq[pos] == k
        lo, hi = np.where(hit, ptr[pos], 0), np.where(hit, ptr[pos + 1], 0)
        counts = hi - lo
        rows = np.repeat(np.arange(len(k)), counts)
        cols = answers[np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())]
        out = torch.zeros(len(k), n, device=device)
        out[torch.as_tensor(rows, device=device), torch.as_tensor(cols, device=device)] = 1.0
        return out

    def _negative_sampling_loss(self, ents, rels, tr):
        b, k = len(tr), self.config.negatives
        h, r, t = tr[:, 0], tr[:, 1], tr[:, 2]
        # Half the negatives corrupt the tail, half the head (as PyKEEN's basic sampler); each
        # side is one query vector matched against its k/2 candidates.
        k_tail = (k + 1) // 2
        pool = self.negative_pool
        if pool is None:
            corrupt = torch.randint(0, self.num_entities, (b, k), device=tr.device)
        else:  # an encoder that computed only a sampled subgraph draws negatives among its nodes
            corrupt = pool[torch.randint(0, len(pool), (b, k), device=tr.device)]
        hv, rv, tv = ents[h], rels[r], ents[t]
        q_tail = self.tail_query(hv, rv)
        pos = self.match_each(q_tail, tv[:, None, :])[:, 0].float()
        # On small graphs scoring every entity (one matrix product) and picking the sampled
        # columns is several times faster than gathering k candidate vectors per triple.
        full = self.matmul_scoring and self.num_entities <= FULL_SCORING_MAX_ENTITIES and pool is None
        if full:
            neg = self.match(q_tail, ents).gather(1, corrupt[:, :k_tail])
        else:
            neg = self.match_each(q_tail, F.embedding(corrupt[:, :k_tail], ents))
        if k > k_tail:
            q_head = self.head_query(rv, tv)
            neg_h = (self.match(q_head, ents).gather(1, corrupt[:, k_tail:]) if full
                     else self.match_each(q_head, F.embedding(corrupt[:, k_tail:], ents)))
            neg = torch.cat([neg, neg_h], dim=1)
        neg = neg.float()
        if self.loss_name == "nssa":
            # Self-adversarial weights (Sun et al. 2019): harder negatives count more; no gradient.
            w = torch.softmax(self.config.temperature * neg, dim=1).detach()
            return (-F.logsigmoid(self.gamma + pos) - (w * F.logsigmoid(-neg - self.gamma)).sum(1)).mean()
        if self.loss_name == "softplus":
            return F.softplus(-pos).mean() + F.softplus(neg).mean()
        return F.relu(self.gamma - pos[:, None] + neg).mean()

    def _n3(self, ents, rels, tr):
        """N3: mean over the batch of the summed cubed moduli of the triple's factors."""
        def cube(x):
            if self.complex_valued:
                re, im = x.chunk(2, dim=-1)
                return torch.sqrt(re**2 + im**2 + 1e-12).pow(3).sum(-1)
            return x.abs().pow(3).sum(-1)

        h, r, t = tr[:, 0], tr[:, 1], tr[:, 2]
        rel = rels[r]
        rel_term = cube(rel) if rel.shape[-1] == ents.shape[-1] else rel.abs().pow(3).sum(-1) * 0
        return (cube(ents[h]) + rel_term + cube(ents[t])).mean()

    # -- helpers for the faces ------------------------------------------------------------------------
    @torch.no_grad()
    def entity_vectors(self) -> torch.Tensor:
        """The entity representations used for similarity and the 2-D map."""
        self.eval()
        return self.representations()[0].detach().float().cpu()


class ShallowKGE(KGEModel):
    """A decoder over free embedding tables (one row per entity and per relation slot)."""

    def __init__(self, spec: DataSpec, config: KGEConfig | None = None, graph: torch.Tensor | None = None):
        super().__init__(spec, config, graph)
        self.entity = torch.nn.Embedding(self.num_entities, self.entity_width)
        self.relation = torch.nn.Embedding(self.num_rel_slots, self.relation_width)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        # Xavier-scaled normal init, as in Lacroix et al.'s and PyKEEN's defaults.
        torch.nn.init.xavier_normal_(self.entity.weight)
        torch.nn.init.xavier_normal_(self.relation.weight)

    def representations(self):
        return self.entity.weight, self.relation.weight
