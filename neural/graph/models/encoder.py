"""The base of graph-encoder models: message passing over the training graph computes entity
(and relation) representations, which a decoder (TransE, DistMult, ComplEx, RotatE) scores.

Every step encodes the whole graph (needed for 1-N scoring, and cheap on small graphs); with
``fanouts`` set (e.g. ``"10,10"``) and negative sampling, a step encodes only the sampled
neighbourhood (:mod:`neural.graph.sampling`) of the batch's entities plus a pool of uniformly
drawn negatives, and the negatives come from that pool.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch

from neural.data.base import DataSpec
from neural.errors import ConfigError
from neural.graph.models.base import KGEConfig, KGEModel
from neural.graph.models.decoders import decoder_class
from neural.graph.models.rotate import RotatE
from neural.graph.sampling import MessageGraph, sample_subgraph


@dataclasses.dataclass
class EncoderConfig(KGEConfig):
    decoder: str = "distmult"
    layers: int = 1
    encoder_dropout: float = 0.1
    fanouts: str = ""  # neighbour sampling per layer, e.g. "10,10"; empty: whole graph every step
    negative_pool: int = 1024  # uniformly drawn nodes added to a sampled step (its negatives)


class GraphEncoderKGE(KGEModel):
    """Subclasses build ``self.encoder_layers`` and implement ``encode(x, rel, edge_index, edge_type)``."""

    Config = EncoderConfig
    default_training = "1vsall"

    def __init__(self, spec: DataSpec, config: EncoderConfig | None = None, graph: torch.Tensor | None = None):
        super().__init__(spec, config, graph)
        cfg = self.config
        self.decoder = decoder_class(cfg.decoder)
        # The decoder's widths (complex numbers, RotatE's phases) decide the representation sizes.
        self.complex_valued = self.decoder.complex_valued
        self.relation_width_factor = self.decoder.relation_width_factor
        if cfg.loss == "auto":
            self.loss_name = self.decoder.default_loss
        if not cfg.margin:
            self.gamma = self.decoder.default_margin
        try:
            self.fanouts = [int(f) for f in cfg.fanouts.split(",") if f.strip()] if cfg.fanouts else []
        except ValueError:
            raise ConfigError(f"fanouts wants comma-separated integers, got {cfg.fanouts!r}") from None
        if self.fanouts and self.training_mode != "negatives":
            raise ConfigError("neighbour sampling (fanouts) needs training=negatives: 1-N scoring needs every entity")
        if self.fanouts and len(self.fanouts) != cfg.layers:
            raise ConfigError(f"fanouts needs one value per layer ({cfg.layers}), got {cfg.fanouts!r}")
        self.entity = torch.nn.Embedding(self.num_entities, self.entity_width)
        self.relation = torch.nn.Embedding(self.num_rel_slots, self.relation_width)
        torch.nn.init.xavier_normal_(self.entity.weight)
        if self.decoder is RotatE:
            torch.nn.init.uniform_(self.relation.weight, -math.pi, math.pi)
        else:
            torch.nn.init.xavier_normal_(self.relation.weight)
        self.dropout = torch.nn.Dropout(cfg.encoder_dropout)
        self._mgraph = None
        self._rng = np.random.default_rng(0)

    # The decoder's score functions.
    def tail_query(self, h, r):
        return self.decoder.tail_query(h, r)

    def head_query(self, r, t):
        return self.decoder.head_query(r, t)

    def match(self, q, ents):
        return self.decoder.match(q, ents)

    def match_each(self, q, cand):
        return self.decoder.match_each(q, cand)

    # -- message passing --------------------------------------------------------------------------
    def message_graph(self) -> MessageGraph:
        if self._mgraph is None:
            self._mgraph = MessageGraph.from_triples(self.graph.cpu().numpy(), self.num_entities, self.num_relations)
        return self._mgraph

    def encode(self, x: torch.Tensor, edge_index: torch.Tensor, edge_type: torch.Tensor):
        """Entity representations (and, for CompGCN, relation ones) over a (sub)graph."""
        raise NotImplementedError

    def _edges(self, eids: np.ndarray | None, local: np.ndarray | None = None):
        g = self.message_graph()
        dev = self.entity.weight.device
        src, dst, rel = (g.src, g.dst, g.rel) if eids is None else (g.src[eids], g.dst[eids], g.rel[eids])
        if local is not None:
            src, dst = local[src], local[dst]
        ei = torch.as_tensor(np.stack([src, dst]), dtype=torch.long, device=dev)
        return ei, torch.as_tensor(rel, dtype=torch.long, device=dev)

    def representations(self):
        self.negative_pool = None
        ei, et = self._edges(None)
        ents, rels = self.encode(self.entity.weight, ei, et)
        return ents, rels

    def training_representations(self, batch: torch.Tensor):
        if not self.fanouts:
            return self.representations()
        g = self.message_graph()
        pool = self._rng.integers(0, self.num_entities, self.config.negative_pool)
        seeds = np.concatenate([batch[:, 0].cpu().numpy(), batch[:, 2].cpu().numpy(), pool])
        nodes, eids = sample_subgraph(g, seeds, self.fanouts, self._rng)
        local = np.full(self.num_entities, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        ei, et = self._edges(eids, local)
        dev = self.entity.weight.device
        nodes_t = torch.as_tensor(nodes, dtype=torch.long, device=dev)
        out, rels = self.encode(self.entity.weight[nodes_t], ei, et)
        # Scatter the subgraph's rows into a full table; only they receive gradients.
        ents = torch.zeros(self.num_entities, out.shape[1], device=dev, dtype=out.dtype).index_copy(0, nodes_t, out)
        self.negative_pool = torch.as_tensor(np.unique(seeds), dtype=torch.long, device=dev)
        return ents, rels
