"""R-GCN (Schlichtkrull et al., ESWC 2018, "Modeling relational data with graph convolutional
networks"): relation-specific graph convolutions whose weights are mixtures of a few shared
bases (basis decomposition), here ``torch_geometric.nn.RGCNConv``, under a decoder (DistMult in
the paper)."""

from __future__ import annotations

import dataclasses

import torch
from torch_geometric.nn import RGCNConv

from neural.graph.models.encoder import EncoderConfig, GraphEncoderKGE


@dataclasses.dataclass
class RGCNConfig(EncoderConfig):
    bases: int = 4  # basis matrices shared by all relation types


class RGCN(GraphEncoderKGE):
    name = "rgcn"
    Config = RGCNConfig

    def __init__(self, spec, config=None, graph=None):
        super().__init__(spec, config, graph)
        w = self.entity_width
        # Relation types of the message graph: every relation and its inverse.
        self.convs = torch.nn.ModuleList(
            RGCNConv(w, w, num_relations=2 * self.num_relations, num_bases=min(self.config.bases, 2 * self.num_relations),
                     aggr="mean")
            for _ in range(self.config.layers)
        )

    def encode(self, x, edge_index, edge_type):
        h = x
        for i, conv in enumerate(self.convs):
            h = conv(self.dropout(h), edge_index, edge_type)
            if i < len(self.convs) - 1:
                h = torch.relu(h)
        # The input embedding as a residual: the paper's self-loop plus a skip that keeps 1-N
        # training stable on small graphs.
        return h + x, self.relation.weight
