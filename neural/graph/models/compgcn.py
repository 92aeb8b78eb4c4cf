"""CompGCN (Vashishth et al., ICLR 2020, "Composition-based multi-relational graph
convolutional networks"): messages compose a neighbour with its edge's relation vector
(``sub``: e - r, ``mult``: e * r, ``corr``: circular correlation), are transformed by one
weight per direction (original, inverse, self-loop), and the relation vectors are transformed
alongside the entities. A final linear map gives the decoder's relation width (RotatE's phases).
"""

from __future__ import annotations

import dataclasses

import torch
from torch_geometric.nn import MessagePassing

from kg.errors import UnknownNameError

from neural.graph.models.encoder import EncoderConfig, GraphEncoderKGE

COMPOSITIONS = ("sub", "mult", "corr")


def compose(x: torch.Tensor, r: torch.Tensor, how: str) -> torch.Tensor:
    if how == "sub":
        return x - r
    if how == "mult":
        return x * r
    # Circular correlation through the FFT, as in HolE (Nickel et al., AAAI 2016).
    return torch.fft.irfft(torch.conj(torch.fft.rfft(x, dim=-1)) * torch.fft.rfft(r, dim=-1), n=x.shape[-1], dim=-1)


class CompGCNConv(MessagePassing):
    """One CompGCN layer over edges whose type ``< num_relations`` is original, else inverse."""

    def __init__(self, width: int, num_relations: int, composition: str):
        super().__init__(aggr="mean")
        self.num_relations, self.composition = num_relations, composition
        self.w_in = torch.nn.Linear(width, width, bias=False)
        self.w_out = torch.nn.Linear(width, width, bias=False)
        self.w_loop = torch.nn.Linear(width, width, bias=False)
        self.w_rel = torch.nn.Linear(width, width, bias=False)
        self.loop_rel = torch.nn.Parameter(torch.randn(1, width) * width**-0.5)

    def forward(self, x, rel, edge_index, edge_type):
        out = self.propagate(edge_index, x=x, rel=rel, edge_type=edge_type)
        loop = self.w_loop(compose(x, self.loop_rel, self.composition))
        return (out + loop) / 2, self.w_rel(rel)

    def message(self, x_j, rel, edge_type):
        m = compose(x_j, rel[edge_type], self.composition)
        forward = (edge_type < self.num_relations)[:, None]
        return torch.where(forward, self.w_in(m), self.w_out(m))


@dataclasses.dataclass
class CompGCNConfig(EncoderConfig):
    composition: str = "mult"


class CompGCN(GraphEncoderKGE):
    name = "compgcn"
    Config = CompGCNConfig

    def __init__(self, spec, config=None, graph=None):
        super().__init__(spec, config, graph)
        if self.config.composition not in COMPOSITIONS:
            raise UnknownNameError("composition", self.config.composition, COMPOSITIONS)
        w = self.entity_width
        # Relation vectors of the message graph (relations and inverses) live at entity width.
        self.edge_relation = torch.nn.Parameter(torch.empty(2 * self.num_relations, w))
        torch.nn.init.xavier_normal_(self.edge_relation)
        self.convs = torch.nn.ModuleList(CompGCNConv(w, self.num_relations, self.config.composition)
                                         for _ in range(self.config.layers))
        self.to_decoder = torch.nn.Linear(w, self.relation_width)

    def encode(self, x, edge_index, edge_type):
        h, rel = x, self.edge_relation
        for conv in self.convs:
            h, rel = conv(self.dropout(h), rel, edge_index, edge_type)
            h = torch.tanh(h)
        # The decoder's relation table is the transformed edge relations (plus the free table,
        # which also covers the reciprocal slots when 1-N training has no edges of that kind).
        slots = self.relation.weight
        dec = self.to_decoder(rel)[: self.num_rel_slots]
        if len(dec) < len(slots):
            dec = torch.cat([dec, torch.zeros(len(slots) - len(dec), dec.shape[1], device=dec.device)])
        return h + x, slots + dec
