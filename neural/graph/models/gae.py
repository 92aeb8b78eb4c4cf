"""(Variational) graph autoencoder for link prediction on untyped graphs (Kipf & Welling, NIPS
2016 workshop, "Variational graph auto-encoders"), with ``torch_geometric.nn.GAE``/``VGAE``: a
two-layer GCN encodes every node of the undirected graph, the inner product ``z_u . z_v``
decodes an edge, and training contrasts each batch of edges with as many sampled non-edges.

Relations are ignored: a triple (h, r, t) is the edge {h, t}, and ranking uses relation 0 for
every query, so the filter holds every known neighbour.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import torch
from torch_geometric.nn import GAE, GCNConv, VGAE
from torch_geometric.utils import negative_sampling, to_undirected

from neural.graph.models.base import KGEConfig, KGEModel, dot, dot_each


@dataclasses.dataclass
class GAEConfig(KGEConfig):
    zero_ok: ClassVar[frozenset[str]] = KGEConfig.zero_ok | {"hidden"}  # 0: 2 * dim

    variational: bool = False
    hidden: int = 0  # first GCN layer's width; 0: 2 * dim


class _Encoder(torch.nn.Module):
    def __init__(self, n: int, hidden: int, dim: int, variational: bool):
        super().__init__()
        self.x = torch.nn.Embedding(n, hidden)  # no node features: learnt input vectors
        torch.nn.init.xavier_normal_(self.x.weight)
        self.conv1 = GCNConv(hidden, hidden)
        self.conv_mu = GCNConv(hidden, dim)
        self.conv_logstd = GCNConv(hidden, dim) if variational else None

    def forward(self, edge_index):
        h = torch.relu(self.conv1(self.x.weight, edge_index))
        if self.conv_logstd is None:
            return self.conv_mu(h, edge_index)
        return self.conv_mu(h, edge_index), self.conv_logstd(h, edge_index)


class GraphAutoencoder(KGEModel):
    name = "gae"
    Config = GAEConfig
    default_lr = 0.01
    default_training = "negatives"

    def __init__(self, spec, config=None, graph=None):
        super().__init__(spec, config, graph)
        cfg = self.config
        enc = _Encoder(self.num_entities, cfg.hidden or 2 * cfg.dim, cfg.dim, cfg.variational)
        self.gae = VGAE(enc) if cfg.variational else GAE(enc)

    def _edge_index(self):
        g = self.graph
        return to_undirected(torch.stack([g[:, 0], g[:, 2]]), num_nodes=self.num_entities)

    def representations(self):
        z = self.gae.encode(self._edge_index())
        return z, z.new_zeros(1, z.shape[1])

    def tail_query(self, h, r):
        return h

    def head_query(self, r, t):
        return t

    match = staticmethod(dot)
    match_each = staticmethod(dot_each)

    def score_queries(self, ents, rels, entity, relation, heads):
        return self.match(ents[entity], ents)

    def rank(self, triples, known):
        # Untyped: every query asks for any neighbour, so relations collapse to 0.
        def untyped(a):
            a = np.array(a, dtype=np.int64).reshape(-1, 3)
            a[:, 1] = 0
            return a

        return super().rank(untyped(triples), untyped(known))

    def loss(self, batch):
        (tr,) = batch
        ei = self._edge_index()
        z = self.gae.encode(ei)
        pos = torch.stack([tr[:, 0], tr[:, 2]])
        neg = negative_sampling(ei, num_nodes=self.num_entities, num_neg_samples=pos.shape[1])
        loss = self.gae.recon_loss(z, pos, neg)
        if self.config.variational:
            loss = loss + self.gae.kl_loss() / self.num_entities
        return loss, {"loss": float(loss.detach())}
