"""Neighbourhoods of the graph index, and their drawing as an interactive Plotly figure.

Everything reads the index's CSR adjacency (every triple appears as step code ``2r`` from head
to tail and ``2r + 1`` backwards), so the work grows with the edges shown, not with the graph.
Plotly's JavaScript ships inside Streamlit's own frontend: no CDN is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Neighbourhood:
    nodes: list[int] = field(default_factory=list)
    edges: list[tuple[int, int, int]] = field(default_factory=list)  # (head, relation, tail)
    hidden: dict[int, int] = field(default_factory=dict)  # node -> neighbours left out by the cap


def neighbourhood(index, centres, *, relations=None, types=None, cap: int = 25) -> Neighbourhood:
    """The edges around ``centres`` (entity ids), at most ``cap`` neighbours per centre (hubs are
    capped; ``hidden`` says how many were left out), optionally only ``relations`` (ids) and
    neighbours having one of ``types`` (type IRIs)."""
    out = Neighbourhood()
    seen: dict[int, None] = {}
    edges: dict[tuple[int, int, int], None] = {}
    rel_ok = None if not relations else set(int(r) for r in relations)
    type_ok = None if not types else set(types)
    for c in centres:
        c = int(c)
        seen[c] = None
        lo, hi = int(index.indptr[c]), int(index.indptr[c + 1])
        nbr = np.asarray(index.neighbor[lo:hi])
        code = np.asarray(index.code[lo:hi])
        kept = 0
        hidden = 0
        for n, k in zip(nbr.tolist(), code.tolist()):
            r = k >> 1
            if rel_ok is not None and r not in rel_ok:
                continue
            if type_ok is not None and n not in seen and not type_ok.intersection(index.entity_types[n]):
                continue
            if n not in seen and kept >= cap:
                hidden += 1
                continue
            if n not in seen:
                kept += 1
                seen[n] = None
            edges[(c, r, n) if not k & 1 else (n, r, c)] = None
        if hidden:
            out.hidden[c] = hidden
    out.nodes = list(seen)
    out.edges = list(edges)
    return out


def _layout(nodes: list[int], edges, centres) -> dict[int, tuple[float, float]]:
    """Spring layout (seeded, so a rerun draws the same picture)."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((h, t) for h, _, t in edges)
    if len(nodes) <= 1:
        return {n: (0.0, 0.0) for n in nodes}
    pos = nx.spring_layout(g, seed=0, iterations=50 if len(nodes) < 300 else 20)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def figure(index, hood: Neighbourhood, centres, selected: int | None = None):
    """A Plotly figure of the neighbourhood: nodes coloured by type, edges labelled by relation;
    each node carries its entity id in ``customdata`` (clicking one selects it)."""
    import plotly.graph_objects as go

    from kg.vocab import local_name

    pos = _layout(hood.nodes, hood.edges, centres)
    ex, ey, mx, my, mt = [], [], [], [], []
    for h, r, t in hood.edges:
        (x0, y0), (x1, y1) = pos[h], pos[t]
        ex += [x0, x1, None]
        ey += [y0, y1, None]
        mx.append(x0 + 0.6 * (x1 - x0))
        my.append(y0 + 0.6 * (y1 - y0))
        mt.append(f"{index.entity_labels[h]} → {index.relation_labels[r]} → {index.entity_labels[t]}")
    traces = [go.Scatter(x=ex, y=ey, mode="lines", line=dict(width=1, color="#9aa"), hoverinfo="skip",
                         showlegend=False),
              go.Scatter(x=mx, y=my, mode="markers", marker=dict(size=5, color="#9aa", symbol="triangle-up"),
                         hovertext=mt, hoverinfo="text", showlegend=False)]
    by_type: dict[str, list[int]] = {}
    for n in hood.nodes:
        types = index.entity_types[n]
        by_type.setdefault(local_name(types[0]) if types else "(untyped)", []).append(n)
    centre_set = set(int(c) for c in centres)
    for tname, ns in sorted(by_type.items()):
        labels = [index.entity_labels[n] + (f" (+{hood.hidden[n]})" if n in hood.hidden else "") for n in ns]
        traces.append(go.Scatter(
            x=[pos[n][0] for n in ns], y=[pos[n][1] for n in ns], mode="markers+text", name=tname,
            text=labels, textposition="top center", customdata=ns, hovertext=labels, hoverinfo="text",
            marker=dict(size=[22 if n == selected else 16 if n in centre_set else 11 for n in ns],
                        line=dict(width=[3 if n == selected else 1 for n in ns], color="#333"))))
    fig = go.Figure(traces)
    fig.update_layout(height=560, margin=dict(l=0, r=0, t=10, b=0), clickmode="event+select",
                      xaxis=dict(visible=False), yaxis=dict(visible=False), legend_title_text="type",
                      dragmode="pan")
    return fig


def path_figure(paths):
    """Paths (``kg.reason.paths.Path``) drawn as rows of nodes joined by labelled arrows."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for row, p in enumerate(paths):
        y = -row
        xs = list(range(len(p.labels)))
        fig.add_trace(go.Scatter(x=xs, y=[y] * len(xs), mode="lines+markers+text", text=list(p.labels),
                                 textposition="top center", marker=dict(size=14), showlegend=False,
                                 hoverinfo="text", hovertext=list(p.nodes)))
        for i, step in enumerate(p.steps):
            arrow = f"← {step.label}" if step.inverse else f"{step.label} →"
            fig.add_annotation(x=i + 0.5, y=y, text=arrow, showarrow=False, yshift=-14, font=dict(size=11))
    fig.update_layout(height=max(160, 90 * len(paths)), margin=dict(l=10, r=10, t=20, b=10),
                      xaxis=dict(visible=False), yaxis=dict(visible=False, range=[-len(paths) + 0.5, 0.7]))
    return fig
